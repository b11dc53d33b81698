import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Locale } from '../../shared/locale.js';
// config.ts imports this module too; ConfigError is only used inside functions, so the cycle is harmless.
import { ConfigError } from '../config.js';

/**
 * The company's own face on everything a customer sees (email, SMS, survey and message pages, outcome message).
 * Read once from HAMI_BRAND_* at start-up; unset, everything stays neutral (no name, no logo, Hami's blue).
 */
export interface Brand {
  /** The company's name in each language; null: no name is shown and texts stay neutral. */
  name: Record<Locale, string> | null;
  /** A logo at an https URL, or a file served at /brand/logo; null: none. */
  logo: { kind: 'url'; url: string } | { kind: 'file'; path: string; contentType: string } | null;
  /** #rrggbb, dark enough for white text on it (4.5:1): buttons, selected scores, links. */
  accent: string;
  /** The display name on emails ("DigiShop <surveys@…>"); null: MAIL_FROM's own name. */
  senderName: string | null;
  /** Where a customer's reply to an email goes (the care team's inbox); null: no Reply-To header. */
  replyTo: string | null;
}

/** Hami's own accent, used when none is configured. */
export const DEFAULT_ACCENT = '#0b3d91';

type Env = Record<string, string | undefined>;

const LOGO_TYPES: Record<string, string> = {
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
};
/** Large enough for any logo, small enough that a mistaken path (a video) is caught. */
const MAX_LOGO_BYTES = 256 * 1024;

function read(env: Env, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === '' ? undefined : value;
}

/** WCAG relative luminance of #rrggbb. */
function luminance(hex: string): number {
  const channel = (i: number) => {
    const c = parseInt(hex.slice(1 + i * 2, 3 + i * 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(0) + 0.7152 * channel(1) + 0.0722 * channel(2);
}

/** WCAG contrast ratio of white text on `hex`. */
export function contrastWithWhite(hex: string): number {
  return 1.05 / (luminance(hex) + 0.05);
}

// One line of visible text: a name or a sender name goes into headers and pages.
const oneLine = z
  .string()
  .max(80)
  .regex(/^[^\x00-\x1f\x7f<>"]+$/);

function loadLogo(env: Env, cwd: string): Brand['logo'] {
  const raw = read(env, 'HAMI_BRAND_LOGO');
  if (raw === undefined) return null;
  if (/^https:\/\//i.test(raw)) {
    if (!z.url({ protocol: /^https$/ }).safeParse(raw).success)
      throw new ConfigError('HAMI_BRAND_LOGO', 'an https:// URL or the path of a PNG, SVG, JPEG or WebP file', raw);
    return { kind: 'url', url: raw };
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(raw))
    throw new ConfigError('HAMI_BRAND_LOGO', 'an https:// URL (mail apps block http images) or a file path', raw);
  const file = path.resolve(cwd, raw);
  const contentType = LOGO_TYPES[path.extname(file).toLowerCase()];
  if (!contentType) throw new ConfigError('HAMI_BRAND_LOGO', 'a .png, .svg, .jpg or .webp file', raw);
  if (!existsSync(file) || !statSync(file).isFile())
    throw new ConfigError('HAMI_BRAND_LOGO', `an existing file; nothing at ${file}`, undefined);
  if (statSync(file).size > MAX_LOGO_BYTES)
    throw new ConfigError('HAMI_BRAND_LOGO', `a file of at most 256 KB (${file} is larger)`, undefined);
  return { kind: 'file', path: file, contentType };
}

/** Reads HAMI_BRAND_NAME, HAMI_BRAND_NAME_FA, HAMI_BRAND_LOGO, HAMI_BRAND_COLOR, HAMI_BRAND_SENDER, HAMI_BRAND_REPLY_TO. */
export function loadBrand(env: Env, cwd: string = process.cwd()): Brand {
  const text = (variable: string): string | undefined => {
    const raw = read(env, variable);
    if (raw !== undefined && !oneLine.safeParse(raw).success) {
      throw new ConfigError(variable, 'one line of at most 80 characters without < > " or control characters', raw);
    }
    return raw;
  };
  const nameEn = text('HAMI_BRAND_NAME');
  const nameFa = text('HAMI_BRAND_NAME_FA');
  if (nameFa !== undefined && nameEn === undefined)
    throw new ConfigError('HAMI_BRAND_NAME', 'set when HAMI_BRAND_NAME_FA is (the name in English or Latin letters)', undefined);
  const accent = read(env, 'HAMI_BRAND_COLOR')?.toLowerCase() ?? DEFAULT_ACCENT;
  if (!/^#[0-9a-f]{6}$/.test(accent)) throw new ConfigError('HAMI_BRAND_COLOR', 'a colour written #rrggbb such as #0b3d91', accent);
  const ratio = contrastWithWhite(accent);
  if (ratio < 4.5) {
    throw new ConfigError(
      'HAMI_BRAND_COLOR',
      `dark enough for white text on it (contrast 4.5:1 or more; ${accent} gives ${ratio.toFixed(2)}:1) — pick a darker shade`,
      accent,
    );
  }
  const replyTo = read(env, 'HAMI_BRAND_REPLY_TO');
  if (replyTo !== undefined && !z.email().safeParse(replyTo).success)
    throw new ConfigError('HAMI_BRAND_REPLY_TO', 'an email address such as care@example.com', replyTo);
  return {
    name: nameEn === undefined ? null : { en: nameEn, fa: nameFa ?? nameEn },
    logo: loadLogo(env, cwd),
    accent,
    senderName: text('HAMI_BRAND_SENDER') ?? nameEn ?? null,
    replyTo: replyTo ?? null,
  };
}

/** The neutral brand: what an unset HAMI_BRAND_* gives. */
export const NEUTRAL_BRAND: Brand = { name: null, logo: null, accent: DEFAULT_ACCENT, senderName: null, replyTo: null };

/** Path the logo file is served at (server/branding/routes.ts). */
export const LOGO_PATH = '/brand/logo';

/** The logo's address for an <img> in a page or an email; null when there is none. */
export function logoUrlOf(brand: Brand, publicUrl: string): string | null {
  if (!brand.logo) return null;
  return brand.logo.kind === 'url' ? brand.logo.url : `${publicUrl}${LOGO_PATH}`;
}

/** The logo file's bytes, read when served (a file changed on disk shows after a restart only if cached). */
export function readLogoFile(brand: Brand): { body: Buffer; contentType: string } | null {
  if (brand.logo?.kind !== 'file') return null;
  return { body: readFileSync(brand.logo.path), contentType: brand.logo.contentType };
}
