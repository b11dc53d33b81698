/** @jsxImportSource hono/jsx */
import { choicesOf, type Choice } from '../../../shared/answers.js';
import { localDigits, messagesFor, withBrand, type CustomerMessages } from '../../../shared/customer-messages.js';
import { directionOf, type Locale } from '../../../shared/locale.js';
import type { Question, SurveyDefinition } from '../../../shared/survey-schema.js';
import { logoUrlOf, type Brand } from '../../branding/brand.js';
import { logoBox } from '../../branding/logo-box.js';
import { optOutLink, surveyLink } from '../../delivery/links.js';

interface InvitationEmailInput {
  survey: SurveyDefinition;
  locale: Locale;
  customerName: string | null;
  publicUrl: string;
  token: string;
  /** The company's face (HAMI_BRAND_*): name in the subject, header and footer, logo, accent colour. */
  brand: Brand;
  /** The one reminder: its subject says so. */
  reminder?: boolean;
}

interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
  /** RFC 2369 / RFC 8058 headers: mail clients show an unsubscribe button that needs no page visit. */
  headers: Record<string, string>;
}

function choiceLabel(choice: Choice, locale: Locale, m: CustomerMessages): string {
  if (choice.label === 'yes') return m.yes;
  if (choice.label === 'no') return m.no;
  return localDigits(choice.label, locale);
}

function scaleEnds(question: Question, locale: Locale): { low: string; high: string } | null {
  return 'lowLabel' in question ? { low: question.lowLabel[locale], high: question.highLabel[locale] } : null;
}

/** A score link's box: at least 44 px tall and, at 320 px, about 44 px wide (never under 40). */
const TARGET = 44;
/** At most this many choices on one row: 0–10 becomes 0–5 over 6–10, which fits a 320 px screen. */
const PER_ROW = 6;
/** The widest the choice rows grow (6 targets and their gaps); narrower screens shrink them evenly. */
const ROWS_MAX_WIDTH = 312;

/** A share as an HTML width attribute: 1 → "100%", 1/6 → "16.67%". */
const percent = (share: number) => `${Number((share * 100).toFixed(2))}%`;

/** Choices in rows of at most PER_ROW, the first row the longer: 11 → 6 + 5, 7 → 4 + 3, 5 → 5, 2 → 2. */
function rowsOf<T>(items: readonly T[]): T[][] {
  if (items.length <= PER_ROW) return [[...items]];
  const first = Math.ceil(items.length / 2);
  return [items.slice(0, first), items.slice(first)];
}

/**
 * The invitation: every choice of the one-tap question is a plain link (no images needed, no script, no form), so one
 * tap in any mail client records the answer. The layout is tables and inline styles only (what Gmail, Outlook and
 * Apple Mail all keep), fluid rather than media-query driven: 0–10 is two rows, 0–5 over 6–10, of equal cells that
 * are about 44 px at 320 px and stay at least 40 px down to a 264 px wide column. In Persian the whole message is
 * right-to-left and each row, written lowest first, runs from right to left (0 at the right).
 */
export function renderInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  const { survey, locale, publicUrl, token, brand } = input;
  const m = messagesFor(locale);
  const dir = directionOf(locale);
  const question = survey.questions.find((q) => q.id === survey.oneTap)!;
  const choices = choicesOf(question);
  const rows = rowsOf(choices);
  const widest = rows[0]!.length;
  const ends = scaleEnds(question, locale);
  const optOut = optOutLink(publicUrl, token);
  const open = surveyLink(publicUrl, token);
  const align = dir === 'rtl' ? 'right' : 'left';
  const font = "font-family:Tahoma,'DejaVu Sans',Arial,sans-serif;";
  const accent = brand.accent;
  const brandName = brand.name?.[locale] ?? null;
  const logo = logoUrlOf(brand, publicUrl);
  const logoSize = logo ? logoBox(brand) : null;
  const subject = withBrand(brandName, (input.reminder ? m.reminderPrefix : '') + survey.subject[locale]);
  const legend = ends
    ? // A middle dot would read as a Persian zero (۰): Persian gets its own comma.
      `${localDigits(choices[0]!.label as number, locale)} = ${ends.low}${locale === 'fa' ? '، ' : ' · '}${localDigits(choices.at(-1)!.label as number, locale)} = ${ends.high}`
    : null;

  const html = (
    <html lang={locale} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{subject}</title>
      </head>
      <body dir={dir} style={`margin:0;padding:12px 8px;background:#f4f5f7;color:#1f2328;${font}`}>
        <table
          role="presentation"
          dir={dir}
          width="100%"
          cellpadding="0"
          cellspacing="0"
          style={`max-width:560px;margin:0 auto;background:#fff;border-radius:8px;text-align:${align}`}
        >
          {(logo || brandName) && (
            <tr>
              <td style={`padding:16px 16px 0;font-size:20px;font-weight:bold;line-height:40px;color:${accent}`}>
                {logo && logoSize && (
                  // The alt text is the name, styled like it, so a blocked image still reads as the header; the name
                  // written beside it is hidden from screen readers, which read the alt text.
                  <img
                    src={logo}
                    alt={brandName ?? ''}
                    width={String(logoSize.width)}
                    height={String(logoSize.height)}
                    style={`display:inline-block;vertical-align:middle;border:0;height:${logoSize.height}px;width:${logoSize.width}px;object-fit:contain;color:${accent};font-size:20px;font-weight:bold`}
                  />
                )}
                {brandName && (
                  <span aria-hidden={logo ? 'true' : undefined} style={`vertical-align:middle;${logo ? 'padding:0 8px' : ''}`}>
                    {brandName}
                  </span>
                )}
              </td>
            </tr>
          )}
          <tr>
            <td style="padding:16px 16px 8px;font-size:16px">{m.greeting(input.customerName)}</td>
          </tr>
          <tr>
            <td style="padding:0 16px 16px;font-size:16px;line-height:1.5">{survey.intro[locale]}</td>
          </tr>
          <tr>
            <td style="padding:0 16px 8px">
              {/* A heading, so a screen reader can jump to the question; sized inline, as mail apps style h1 their own way. */}
              <h1 style="margin:0;font-size:18px;font-weight:bold;line-height:1.4">{question.text[locale]}</h1>
            </td>
          </tr>
          {legend && (
            <tr>
              <td style="padding:0 16px 8px;font-size:14px;line-height:1.4;color:#57606a">{legend}</td>
            </tr>
          )}
          <tr>
            <td align="center" style="padding:0 4px 16px">
              {rows.map((row) => (
                // Every row's cells are as wide as the first row's: a shorter row is a narrower table, centred.
                <table
                  role="presentation"
                  dir={dir}
                  align="center"
                  width={percent(row.length / widest)}
                  cellpadding="0"
                  cellspacing="0"
                  style={`max-width:${Math.round((ROWS_MAX_WIDTH * row.length) / widest)}px;margin:0 auto`}
                >
                  <tr>
                    {row.map((choice) => (
                      <td align="center" width={percent(1 / row.length)} style="padding:2px">
                        <a
                          href={surveyLink(publicUrl, token, choice.value)}
                          style={`display:block;height:${TARGET}px;line-height:${TARGET}px;min-width:40px;text-align:center;border:2px solid ${accent};border-radius:6px;color:${accent};background:#fff;text-decoration:none;font-size:18px;font-weight:bold;${font}`}
                        >
                          {choiceLabel(choice, locale, m)}
                        </a>
                      </td>
                    ))}
                  </tr>
                </table>
              ))}
            </td>
          </tr>
          <tr>
            <td style="padding:0 16px 20px">
              <a
                href={open}
                style={`display:inline-block;padding:12px 20px;line-height:22px;font-size:16px;font-weight:bold;color:${accent};border:2px solid ${accent};border-radius:6px;text-decoration:none;${font}`}
              >
                {m.openSurvey}
              </a>
            </td>
          </tr>
          <tr>
            <td style="padding:12px 16px 8px;border-top:1px solid #d0d7de;font-size:13px;line-height:1.5;color:#57606a">
              {m.optOutWhy(brandName)}
              <br />
              <a
                href={optOut}
                style={`display:inline-block;padding:12px 0;line-height:20px;font-size:14px;color:#57606a;text-decoration:underline;${font}`}
              >
                {m.optOut}
              </a>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );

  const textLines = [
    ...(brandName ? [brandName, ''] : []),
    m.greeting(input.customerName),
    '',
    survey.intro[locale],
    '',
    question.text[locale],
    ...(ends ? [`(${legend})`] : []),
    m.tapToAnswer,
    ...choices.map((choice) => `  ${choiceLabel(choice, locale, m)}: ${surveyLink(publicUrl, token, choice.value)}`),
    '',
    `${m.openSurvey}: ${open}`,
    '',
    '-- ',
    m.optOutWhy(brandName),
    `${m.optOut}: ${optOut}`,
  ];

  return {
    subject,
    html: `<!doctype html>${html.toString()}`,
    text: `${textLines.join('\n')}\n`,
    headers: { 'List-Unsubscribe': `<${optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
