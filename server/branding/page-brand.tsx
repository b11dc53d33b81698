/** @jsxImportSource hono/jsx */
import { createHash } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { createContext, type Child } from 'hono/jsx';
import type { Locale } from '../../shared/locale.js';
import { DEFAULT_ACCENT, LOGO_PATH, readLogoFile, type Brand } from './brand.js';
import { headerBox, intrinsicSize } from './logo-box.js';

/** What a customer page needs of the brand, worked out once at start-up (the logo file is read then, not per page). */
export interface PageBrand {
  name: Record<Locale, string> | null;
  /** The logo's src: its https URL, or /brand/logo?v={content hash} so a changed file is fetched anew. */
  logo: { src: string; width: number; height: number } | null;
  accent: string;
}

export const NEUTRAL_PAGE_BRAND: PageBrand = { name: null, logo: null, accent: DEFAULT_ACCENT };

/** A short hash of the logo file: its ETag and the version in its address. */
export function logoVersionOf(body: Buffer): string {
  return createHash('sha256').update(body).digest('base64url').slice(0, 16);
}

export function pageBrandOf(brand: Brand): PageBrand {
  const file = readLogoFile(brand);
  if (file) {
    const version = logoVersionOf(file.body);
    return {
      name: brand.name,
      accent: brand.accent,
      logo: { src: `${LOGO_PATH}?v=${version}`, ...headerBox(intrinsicSize(file.body, file.contentType)) },
    };
  }
  const logo = brand.logo?.kind === 'url' ? { src: brand.logo.url, ...headerBox(null) } : null;
  return { name: brand.name, accent: brand.accent, logo };
}

declare module 'hono' {
  interface ContextVariableMap {
    /** Set for every request by brandOnRequest (server/app.tsx); customer pages and their CSP read it. */
    pageBrand: PageBrand;
  }
}

/** Puts the brand on every request, so customer pages of any area (survey, opt-out, public links) show it. */
export function brandOnRequest(brand: Brand): MiddlewareHandler {
  const pageBrand = pageBrandOf(brand);
  return async function brandOnRequest(c, next) {
    c.set('pageBrand', pageBrand);
    await next();
  };
}

/** The brand of the page being rendered (read by the customer pages' Layout). */
export const BrandContext = createContext<PageBrand>(NEUTRAL_PAGE_BRAND);

/** A customer page as the HTML document sent, with the request's brand (neutral when none is set). */
export function customerPageHtml(c: Context, page: Child): string {
  const brand = c.get('pageBrand') ?? NEUTRAL_PAGE_BRAND;
  return `<!doctype html>${(<BrandContext.Provider value={brand}>{page}</BrandContext.Provider>).toString()}`;
}

/** The origin an https logo is loaded from, for the pages' img-src; '' when the logo is ours or there is none. */
export function logoOrigin(c: Context): string {
  const src = c.get('pageBrand')?.logo?.src;
  return src?.startsWith('https://') ? new URL(src).origin : '';
}
