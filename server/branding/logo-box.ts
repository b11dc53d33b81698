import { readFileSync } from 'node:fs';
import type { Brand } from './brand.js';

/** The logo is shown this tall in a page's or an email's header; the width follows its shape, up to LOGO_MAX_WIDTH. */
const LOGO_HEIGHT = 40;
const LOGO_MAX_WIDTH = 160;

/** Width and height of a PNG (IHDR) or SVG (width/height or viewBox); null when the file does not say. */
export function intrinsicSize(body: Buffer, contentType: string): { width: number; height: number } | null {
  if (contentType === 'image/png' && body.length >= 24 && body.toString('latin1', 12, 16) === 'IHDR') {
    const [width, height] = [body.readUInt32BE(16), body.readUInt32BE(20)];
    return width > 0 && height > 0 ? { width, height } : null;
  }
  if (contentType === 'image/svg+xml') {
    const tag = /<svg\b[^>]*>/i.exec(body.toString('utf8', 0, 4096))?.[0] ?? '';
    const attr = (name: string) => Number(new RegExp(`\\s${name}="([\\d.]+)(px)?"`).exec(tag)?.[1]);
    const [width, height] = [attr('width'), attr('height')];
    if (width > 0 && height > 0) return { width, height };
    const box = /viewBox="[\d.-]+[\s,]+[\d.-]+[\s,]+([\d.]+)[\s,]+([\d.]+)"/.exec(tag);
    if (box && Number(box[1]) > 0 && Number(box[2]) > 0) return { width: Number(box[1]), height: Number(box[2]) };
  }
  return null;
}

/**
 * The header's box for a logo of this shape: its width and height attributes keep the header's shape while images
 * load or are blocked, and Outlook (which ignores CSS sizes) draws it at that size. An unknown shape (a logo URL, a
 * JPEG) gets a square box with the image fitted in it.
 */
export function headerBox(size: { width: number; height: number } | null): { width: number; height: number } {
  if (!size) return { width: LOGO_HEIGHT, height: LOGO_HEIGHT };
  return { width: Math.min(LOGO_MAX_WIDTH, Math.round((LOGO_HEIGHT * size.width) / size.height)), height: LOGO_HEIGHT };
}

/** Read once per file: every invitation email needs it. */
const boxes = new Map<string, { width: number; height: number }>();

/** The header box of the brand's logo, from a logo file's own proportions (a square box for a URL). */
export function logoBox(brand: Brand): { width: number; height: number } {
  if (brand.logo?.kind !== 'file') return headerBox(null);
  const { path, contentType } = brand.logo;
  let box = boxes.get(path);
  if (!box) {
    let size = null;
    try {
      size = intrinsicSize(readFileSync(path), contentType);
    } catch {
      // checked at start-up; a file removed since only loses its proportions here
    }
    box = headerBox(size);
    boxes.set(path, box);
  }
  return box;
}
