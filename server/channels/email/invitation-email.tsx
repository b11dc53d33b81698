/** @jsxImportSource hono/jsx */
import { choicesOf, type Choice } from '../../../shared/answers.js';
import { localDigits, messagesFor, type CustomerMessages } from '../../../shared/customer-messages.js';
import { directionOf, type Locale } from '../../../shared/locale.js';
import type { Question, SurveyDefinition } from '../../../shared/survey-schema.js';
import { optOutLink, surveyLink } from '../../delivery/links.js';

export interface InvitationEmailInput {
  survey: SurveyDefinition;
  locale: Locale;
  customerName: string | null;
  publicUrl: string;
  token: string;
}

export interface RenderedEmail {
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

/**
 * The invitation: every choice of the one-tap question is a plain link (no images, no script, no form), so one tap
 * in any mail client records the answer. In Persian the whole message is right-to-left and the row of numbers,
 * written lowest first, runs from 0 at the right to 10 at the left.
 */
export function renderInvitationEmail(input: InvitationEmailInput): RenderedEmail {
  const { survey, locale, publicUrl, token } = input;
  const m = messagesFor(locale);
  const dir = directionOf(locale);
  const question = survey.questions.find((q) => q.id === survey.oneTap)!;
  const choices = choicesOf(question);
  const ends = scaleEnds(question, locale);
  const optOut = optOutLink(publicUrl, token);
  const open = surveyLink(publicUrl, token);
  const align = dir === 'rtl' ? 'right' : 'left';
  const font = "font-family:Tahoma,'DejaVu Sans',Arial,sans-serif;";

  const html = (
    <html lang={locale} dir={dir}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <title>{survey.subject[locale]}</title>
      </head>
      <body dir={dir} style={`margin:0;padding:16px;background:#f4f5f7;color:#1f2328;${font}`}>
        <table role="presentation" dir={dir} width="100%" cellpadding="0" cellspacing="0" style={`max-width:560px;margin:0 auto;background:#fff;border-radius:8px;text-align:${align}`}>
          <tr><td style="padding:24px 24px 8px;font-size:16px">{m.greeting(input.customerName)}</td></tr>
          <tr><td style="padding:0 24px 16px;font-size:16px;line-height:1.5">{survey.intro[locale]}</td></tr>
          <tr><td style="padding:0 24px 12px;font-size:18px;font-weight:bold;line-height:1.4">{question.text[locale]}</td></tr>
          <tr>
            <td style="padding:0 16px">
              <table role="presentation" dir={dir} width="100%" cellpadding="0" cellspacing="4">
                <tr>
                  {choices.map((choice) => (
                    <td align="center">
                      <a
                        href={surveyLink(publicUrl, token, choice.value)}
                        style={`display:block;padding:10px 0;min-width:28px;border:1px solid #8c959f;border-radius:6px;color:#0b3d91;text-decoration:none;font-size:16px;font-weight:bold;${font}`}
                      >
                        {choiceLabel(choice, locale, m)}
                      </a>
                    </td>
                  ))}
                </tr>
              </table>
            </td>
          </tr>
          {ends && (
            <tr>
              <td style="padding:4px 24px 16px;font-size:13px;color:#57606a">
                <table role="presentation" dir={dir} width="100%" cellpadding="0" cellspacing="0">
                  <tr>
                    <td style={`text-align:${align}`}>{ends.low}</td>
                    <td style={`text-align:${dir === 'rtl' ? 'left' : 'right'}`}>{ends.high}</td>
                  </tr>
                </table>
              </td>
            </tr>
          )}
          <tr><td style="padding:0 24px 24px;font-size:15px"><a href={open} style="color:#0b3d91">{m.openSurvey}</a></td></tr>
          <tr>
            <td style="padding:16px 24px;border-top:1px solid #d0d7de;font-size:12px;color:#57606a">
              {m.optOutWhy} <a href={optOut} style="color:#57606a">{m.optOut}</a>
            </td>
          </tr>
        </table>
      </body>
    </html>
  );

  const textLines = [
    m.greeting(input.customerName),
    '',
    survey.intro[locale],
    '',
    question.text[locale],
    ...(ends ? [`(${localDigits(choices[0]!.label as number, locale)} = ${ends.low}, ${localDigits(choices.at(-1)!.label as number, locale)} = ${ends.high})`] : []),
    m.tapToAnswer,
    ...choices.map((choice) => `  ${choiceLabel(choice, locale, m)}: ${surveyLink(publicUrl, token, choice.value)}`),
    '',
    `${m.openSurvey}: ${open}`,
    '',
    '-- ',
    m.optOutWhy,
    `${m.optOut}: ${optOut}`,
  ];

  return {
    subject: survey.subject[locale],
    html: `<!doctype html>${html.toString()}`,
    text: `${textLines.join('\n')}\n`,
    headers: { 'List-Unsubscribe': `<${optOut}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}
