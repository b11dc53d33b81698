import type { Bucket } from '../../../shared/scoring.js';

/*
 * Chart colours from the Okabe–Ito palette, told apart with the common colour-vision deficiencies; every chart
 * also says in words what each colour means, so colour is never the only cue.
 */
export const BUCKET_COLOURS: Record<Bucket, string> = {
  detractor: '#d55e00', // vermillion
  passive: '#e69f00', // amber
  promoter: '#009e73', // bluish green
};
export const LINE = '#0072b2'; // blue
export const BAND = 'rgba(0, 114, 178, 0.16)';
/** A period with too few answers to score: neutral grey, so it cannot pass for a result. */
export const TOO_FEW = 'rgba(110, 118, 129, 0.28)';
export const SECOND_LINE = '#cc79a7'; // reddish purple
export const THIRD_LINE = '#009e73';
export const THIRD_BAND = 'rgba(0, 158, 115, 0.14)';
/** Significant changes: black diamonds, a shape and a contrast that stand out from the blue line without colour. */
export const SIGNIFICANT = '#000000';
