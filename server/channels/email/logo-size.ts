import { readFileSync } from 'node:fs';
import type { Brand } from '../../branding/brand.js';

/** The logo's box in the email header: this tall, and as wide as its shape allows up to MAX_WIDTH. */
const HEIGHT = 40;
const MAX_WIDTH = 160;

/** Width ÷ height of a PNG (IHDR) or an SVG (width/height, else viewBox); null when unknown. */
function aspectOf(body: Buffer, contentType: string): number | null {
  if (contentType === 'image/png' && body.length >= 24 && body.toString('latin1', 12, 16) === 'IHDR') {
    const width = body.readUInt32BE(16);
    const height = body.readUInt32BE(20);
    return width > 0 && height > 0 ? width / height : null;
  }
  if (contentType === 'image/svg+xml') {
    const tag = /<svg\b[^>]*>/i.exec(body.toString('utf8', 0, 4096))?.[0] ?? '';
    const attr = (name: string) => new RegExp(`\\s${name}="([^"]*)"`, 'i').exec(tag)?.[1];
    const width = parseFloat(attr('width') ?? '');
    const height = parseFloat(attr('height') ?? '');
    if (width > 0 && height > 0) return width / height;
    const box = (attr('viewBox') ?? '').trim().split(/[\s,]+/).map(Number);
    if (box.length === 4 && box[2]! > 0 && box[3]! > 0) return box[2]! / box[3]!;
  }
  return null;
}

/** Read once per file: every invitation email needs it. */
const aspects = new Map<string, number | null>();

/**
 * The width and height attributes of the logo's <img>, so the header keeps its shape while images are blocked and
 * Outlook (which ignores CSS sizes) draws it at the right size. A logo file's own proportions are used; a logo URL's
 * are unknown, so it gets a square box and `object-fit: contain` (where a mail app ignores that, a wide logo is
 * squeezed: give a square logo, or a file).
 */
export function logoSize(brand: Brand): { width: number; height: number } {
  let aspect: number | null = null;
  if (brand.logo?.kind === 'file') {
    const { path, contentType } = brand.logo;
    if (!aspects.has(path)) {
      try {
        aspects.set(path, aspectOf(readFileSync(path), contentType));
      } catch {
        aspects.set(path, null); // checked at start-up; a file removed since only loses its proportions here
      }
    }
    aspect = aspects.get(path) ?? null;
  }
  return { width: Math.min(MAX_WIDTH, Math.round(HEIGHT * (aspect ?? 1))), height: HEIGHT };
}
