/**
 * Staff alerts that quote a customer (pure, no I/O). Whatever the customer wrote is shown as a quotation that
 * cannot pass for Hami's own words: a blockquote in the HTML mail, "> " before every line in the plain-text mail
 * and on the chat webhook; and on the chat webhook Slack's control characters are escaped, so a comment cannot
 * ping the channel (`<!channel>`), mention anyone or dress a link up (`<https://evil|Reset password>`).
 */

export interface StaffAlert {
  /** Hami's own sentence (it may carry the customer's name, which is flattened to one line). */
  headline: string;
  /** The customer's own words, if any: always shown quoted. */
  quote: string | null;
  /** Hami's own closing line: what to do (the link follows it). */
  footer: string;
  /** The case in the dashboard: after the footer in text, a real link in HTML. */
  link: string;
}

/** A customer's name or other short text inside Hami's sentence: line breaks and control characters become one space. */
export function oneLine(text: string): string {
  // Line and paragraph separators and bidi overrides as well as C0/C1 controls: none may start a line of their own.
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]+/g, ' ').trim();
}

function lines(text: string): string[] {
  return text.split(/\r\n|[\r\n\u2028\u2029\u0085]/);
}

/** Slack's escaping for message text: &, < and > (https://api.slack.com/reference/surfaces/formatting#escaping). */
function slackEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text for HTML: &, <, >, " and ' as character references. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}

/** The plain-text mail: the quote as "> " lines. */
export function alertText(alert: StaffAlert): string {
  const quote = alert.quote === null ? [] : lines(alert.quote).map((line) => `> ${line}`);
  return [alert.headline, ...quote, `${alert.footer} ${alert.link}`].join('\n');
}

/** The HTML mail: the quote in a blockquote, everything escaped; right-to-left for a Persian-speaking team. */
export function alertHtml(alert: StaffAlert, dir: 'ltr' | 'rtl' = 'ltr'): string {
  const quote =
    alert.quote === null
      ? ''
      : `<blockquote style="margin:.5em 0;padding:.25em .75em;border-left:3px solid #999;color:#333;white-space:pre-wrap">${escapeHtml(alert.quote)}</blockquote>`;
  const link = `<a href="${escapeHtml(alert.link)}" dir="ltr">${escapeHtml(alert.link)}</a>`;
  return `<div dir="${dir}" style="font:14px sans-serif"><p style="margin:0">${escapeHtml(alert.headline)}</p>${quote}<p style="margin:0">${escapeHtml(alert.footer)} ${link}</p></div>`;
}

/** The chat webhook's `text`: Slack-escaped, the quote as a quote block (every line starting with ">"). */
export function alertSlackText(alert: StaffAlert): string {
  const quote = alert.quote === null ? [] : lines(alert.quote).map((line) => `> ${slackEscape(line)}`);
  return [slackEscape(alert.headline), ...quote, slackEscape(`${alert.footer} ${alert.link}`)].join('\n');
}
