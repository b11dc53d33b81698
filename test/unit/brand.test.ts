import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contrastWithWhite, DEFAULT_ACCENT, loadBrand, logoUrlOf, NEUTRAL_BRAND } from '../../server/branding/brand.js';
import { DEMO_BRAND_ENV } from '../../server/demo/brand.js';

describe('brand configuration (HAMI_BRAND_*)', () => {
  it('stays neutral when nothing is set', () => {
    expect(loadBrand({})).toEqual(NEUTRAL_BRAND);
    expect(NEUTRAL_BRAND.accent).toBe(DEFAULT_ACCENT);
  });

  it('reads a name per language, a sender name that defaults to the name, a colour and a reply-to', () => {
    const brand = loadBrand({
      HAMI_BRAND_NAME: 'Anar Shop',
      HAMI_BRAND_NAME_FA: 'فروشگاه انار',
      HAMI_BRAND_COLOR: '#9B1C31',
      HAMI_BRAND_REPLY_TO: 'care@anar.example',
    });
    expect(brand.name).toEqual({ en: 'Anar Shop', fa: 'فروشگاه انار' });
    expect(brand.senderName).toBe('Anar Shop');
    expect(brand.accent).toBe('#9b1c31');
    expect(brand.replyTo).toBe('care@anar.example');
    expect(loadBrand({ HAMI_BRAND_NAME: 'Anar' }).name).toEqual({ en: 'Anar', fa: 'Anar' });
  });

  it('refuses a colour white text cannot be read on, naming the contrast', () => {
    expect(() => loadBrand({ HAMI_BRAND_COLOR: '#ffd000' })).toThrow(/HAMI_BRAND_COLOR must be dark enough .*1\.\d\d:1/);
    expect(() => loadBrand({ HAMI_BRAND_COLOR: 'red' })).toThrow(/HAMI_BRAND_COLOR must be a colour written #rrggbb/);
    expect(contrastWithWhite('#000000')).toBeCloseTo(21, 5);
    expect(contrastWithWhite('#ffffff')).toBeCloseTo(1, 5);
  });

  it('refuses names that would break a header or a page, and a bad reply-to', () => {
    expect(() => loadBrand({ HAMI_BRAND_NAME: 'Evil\r\nBcc: x@y' })).toThrow(/HAMI_BRAND_NAME must be one line/);
    expect(() => loadBrand({ HAMI_BRAND_NAME: '<script>' })).toThrow(/HAMI_BRAND_NAME/);
    expect(() => loadBrand({ HAMI_BRAND_NAME_FA: 'انار' })).toThrow(/HAMI_BRAND_NAME must be set when HAMI_BRAND_NAME_FA is/);
    expect(() => loadBrand({ HAMI_BRAND_REPLY_TO: 'care team' })).toThrow(/HAMI_BRAND_REPLY_TO must be an email address/);
  });

  it('takes a logo as an https URL or an image file, served from the public URL', () => {
    const url = loadBrand({ HAMI_BRAND_LOGO: 'https://cdn.example.com/logo.png' });
    expect(logoUrlOf(url, 'https://survey.example.com')).toBe('https://cdn.example.com/logo.png');
    const dir = mkdtempSync(path.join(tmpdir(), 'hami-brand-'));
    writeFileSync(path.join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const file = loadBrand({ HAMI_BRAND_LOGO: 'logo.png' }, dir);
    expect(file.logo).toEqual({ kind: 'file', path: path.join(dir, 'logo.png'), contentType: 'image/png' });
    expect(logoUrlOf(file, 'https://survey.example.com')).toBe('https://survey.example.com/brand/logo');
    expect(() => loadBrand({ HAMI_BRAND_LOGO: 'http://cdn.example.com/logo.png' })).toThrow(/HAMI_BRAND_LOGO must be an https:\/\/ URL/);
    expect(() => loadBrand({ HAMI_BRAND_LOGO: 'missing.png' }, dir)).toThrow(/HAMI_BRAND_LOGO must be an existing file/);
    writeFileSync(path.join(dir, 'logo.gif'), 'GIF89a');
    expect(() => loadBrand({ HAMI_BRAND_LOGO: 'logo.gif' }, dir)).toThrow(/HAMI_BRAND_LOGO must be a \.png, \.svg/);
    writeFileSync(path.join(dir, 'big.png'), Buffer.alloc(300 * 1024));
    expect(() => loadBrand({ HAMI_BRAND_LOGO: 'big.png' }, dir)).toThrow(/at most 256 KB/);
  });

  it('the demo shop is a valid brand', () => {
    const brand = loadBrand({ ...DEMO_BRAND_ENV });
    expect(brand.name?.fa).toBe('فروشگاه انار');
    expect(brand.logo?.kind).toBe('file');
  });
});
