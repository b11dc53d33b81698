import type { ThemeDefinition } from './theme.js';

/*
 * The themes Hami ships for shops and support desks, in English and Persian. A first short list: the tagger's
 * owner grows it against the labelled comments in test/fixtures/themes.
 */
export const BUILT_IN_THEMES: readonly ThemeDefinition[] = [
  {
    id: 'delivery',
    label: { en: 'Delivery time', fa: 'زمان ارسال' },
    terms: { en: ['late', 'delivery', 'shipping'], fa: ['دیر', 'تاخیر', 'ارسال'] },
    enabled: true,
    builtIn: true,
  },
  {
    id: 'price',
    label: { en: 'Price', fa: 'قیمت' },
    terms: { en: ['price', 'expensive'], fa: ['قیمت', 'گران'] },
    enabled: true,
    builtIn: true,
  },
];
