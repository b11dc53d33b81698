import path from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

/** The demo shop's face: `npm run demo` shows what HAMI_BRAND_* does (README "The email and SMS", "Configuration"). */
export const DEMO_BRAND_ENV = {
  HAMI_BRAND_NAME: 'Anar Shop',
  HAMI_BRAND_NAME_FA: 'فروشگاه انار',
  // The SVG ships beside the source; the compiled server runs from dist/, so the path is from the project root.
  HAMI_BRAND_LOGO: path.join(PROJECT_ROOT, 'server/demo/anar-logo.svg'),
  HAMI_BRAND_COLOR: '#9b1c31',
  HAMI_BRAND_REPLY_TO: 'care@anar-shop.example',
} as const;
