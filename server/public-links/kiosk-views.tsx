/** @jsxImportSource hono/jsx */
import { raw } from 'hono/html';
import { localDigits } from '../../shared/customer-messages.js';
import type { Locale } from '../../shared/locale.js';
import type { SurveyDefinition } from '../../shared/survey-schema.js';
import { Layout } from '../survey-page/views.js';
import { publicLinkMessagesFor } from './messages.js';

/** Seconds the kiosk's thank-you page stays before the empty survey comes back for the next customer. */
export const KIOSK_RESET_SECONDS = 5;

/** The survey as a kiosk shows it: its own neutral title and intro, never the survey's "your order". */
export function kioskSurvey(survey: SurveyDefinition): SurveyDefinition {
  const en = publicLinkMessagesFor('en');
  const fa = publicLinkMessagesFor('fa');
  return { ...survey, subject: { en: en.kioskTitle, fa: fa.kioskTitle }, intro: { en: en.kioskIntro, fa: fa.kioskIntro } };
}

/*
 * Counts the seconds down on the page, then replaces it with the empty survey (replace: the browser's Back never
 * returns to a thank-you). Focus goes to the heading so a screen reader says "Thank you" first. No meta refresh:
 * screen readers warn about one and axe flags it. Without script the "Next customer" button does the same.
 */
const RESET_SCRIPT = `(function(){var r=document.getElementById('kiosk-reset');var left=document.getElementById('kiosk-left');
var h=document.getElementById('kiosk-thanks');if(h)h.focus();var n=Number(r.getAttribute('data-seconds'));
var fmt=new Intl.NumberFormat(document.documentElement.lang==='fa'?'fa-IR':'en');
var t=setInterval(function(){n-=1;if(n>0){left.textContent=fmt.format(n);return;}clearInterval(t);location.replace(r.getAttribute('data-next'));},1000);})();`;

/** The kiosk's one thank-you, a countdown and a "Next customer" button; it never links to the answer. */
export function KioskThanks(props: { locale: Locale; nonce: string; next: string; resetSeconds: number }) {
  const pm = publicLinkMessagesFor(props.locale);
  const [before, after] = pm.kioskResets.split('{seconds}');
  return (
    <Layout locale={props.locale} title={pm.kioskThanksTitle} nonce={props.nonce} variant="kiosk">
      <div class="card">
        <h1 id="kiosk-thanks" tabindex={-1}>
          {pm.kioskThanksTitle}
        </h1>
        <p>{pm.kioskThanksBody}</p>
        <p id="kiosk-reset" class="hint" data-seconds={String(props.resetSeconds)} data-next={props.next}>
          {before}
          <span id="kiosk-left">{localDigits(props.resetSeconds, props.locale)}</span>
          {after}
        </p>
        <p>
          <a class="btn" href={props.next}>
            {pm.nextCustomer}
          </a>
        </p>
      </div>
      <script nonce={props.nonce}>{raw(RESET_SCRIPT)}</script>
    </Layout>
  );
}
