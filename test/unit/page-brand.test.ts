import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadBrand, NEUTRAL_BRAND } from '../../server/branding/brand.js';
import { intrinsicSize } from '../../server/branding/logo-box.js';
import { NEUTRAL_PAGE_BRAND, pageBrandOf } from '../../server/branding/page-brand.js';

/** A PNG header (signature and IHDR) of the given size: all intrinsicSize reads. */
function pngOf(width: number, height: number): Buffer {
  const head = Buffer.alloc(24);
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(head);
  head.write('IHDR', 12, 'latin1');
  head.writeUInt32BE(width, 16);
  head.writeUInt32BE(height, 20);
  return head;
}

describe('the brand as customer pages show it', () => {
  test.each([
    ['a PNG', pngOf(300, 100), 'image/png', { width: 300, height: 100 }],
    [
      'an SVG with width and height',
      Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="96px" height="48">'),
      'image/svg+xml',
      { width: 96, height: 48 },
    ],
    [
      'an SVG with only a viewBox',
      Buffer.from('<?xml version="1.0"?><svg viewBox="0 0 200 50">'),
      'image/svg+xml',
      { width: 200, height: 50 },
    ],
    ['an SVG that gives no size', Buffer.from('<svg>'), 'image/svg+xml', null],
    ['a JPEG (not read)', Buffer.from([0xff, 0xd8, 0xff]), 'image/jpeg', null],
  ])('reads the size of %s', (_name, body, type, size) => {
    expect(intrinsicSize(body, type)).toEqual(size);
  });

  test('a logo file is shown 40 px tall at its own shape (at most 160 px wide), under an address that changes with its content', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'hami-logo-'));
    writeFileSync(path.join(dir, 'wide.png'), pngOf(1000, 100));
    writeFileSync(path.join(dir, 'logo.png'), pngOf(120, 60));
    const wide = pageBrandOf(loadBrand({ HAMI_BRAND_NAME: 'Anar', HAMI_BRAND_LOGO: path.join(dir, 'wide.png') }));
    const logo = pageBrandOf(loadBrand({ HAMI_BRAND_NAME: 'Anar', HAMI_BRAND_LOGO: path.join(dir, 'logo.png') }));
    expect(wide.logo).toMatchObject({ width: 160, height: 40 });
    expect(logo.logo).toMatchObject({ width: 80, height: 40 });
    expect(logo.logo!.src).toMatch(/^\/brand\/logo\?v=[\w-]{16}$/);
    expect(logo.logo!.src).not.toBe(wide.logo!.src);
  });

  test('no brand: no name, no logo, the default accent', () => {
    expect(pageBrandOf(NEUTRAL_BRAND)).toEqual(NEUTRAL_PAGE_BRAND);
  });
});
