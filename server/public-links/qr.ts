import QRCode from 'qrcode';
import type { Locale } from '../../shared/locale.js';

/** Pixels across the PNG: sharp on an A4 poster and plenty for a receipt printer to scale down. */
const QR_PNG_WIDTH = 1024;
/** The quiet zone around the code, in modules: 4 is what the QR standard asks for, so every scanner finds it. */
const QR_MARGIN = 4;
/** Medium error correction (~15%): survives a crease or a smudge on paper without making the code dense. */
const ERROR_CORRECTION = 'M';

/** The address a public link's poster, receipt or kiosk opens. Persian is named only when asked for. */
export function publicLinkUrl(publicUrl: string, surveyId: string, linkId: string, locale?: Locale): string {
  const base = `${publicUrl.replace(/\/+$/, '')}/p/${encodeURIComponent(surveyId)}/${encodeURIComponent(linkId)}`;
  return locale === 'fa' ? `${base}?lang=fa` : base;
}

/** The QR code of `url` as a scalable SVG (black on white, quiet zone included). */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: ERROR_CORRECTION, margin: QR_MARGIN, width: QR_PNG_WIDTH });
}

/** The QR code of `url` as a PNG QR_PNG_WIDTH pixels square (quiet zone included). */
export function qrPng(url: string): Promise<Buffer> {
  return QRCode.toBuffer(url, { type: 'png', errorCorrectionLevel: ERROR_CORRECTION, margin: QR_MARGIN, width: QR_PNG_WIDTH });
}
