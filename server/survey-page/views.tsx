/** @jsxImportSource hono/jsx */
import { useContext, type Child } from 'hono/jsx';
import { choicesOf, type Answers } from '../../shared/answers.js';
import { localDigits, messagesFor, type CustomerMessages } from '../../shared/customer-messages.js';
import { directionOf, type Locale } from '../../shared/locale.js';
import type { Question, SurveyDefinition } from '../../shared/survey-schema.js';
import { BrandContext, type PageBrand } from '../branding/page-brand.js';

/*
 * The kiosk variant (server/public-links/): a shared tablet on a shop counter, read at arm's length. Large text, score
 * buttons at least 64 px tall on a tablet, the card filling the screen; on a phone-sized screen it stays within the width.
 */
const KIOSK_CSS = `.kiosk{font-size:1.25rem}.kiosk main{max-width:60rem;min-height:100vh;display:flex;flex-direction:column;justify-content:center;padding:1rem}
.kiosk h1{font-size:1.75rem}.kiosk legend,.kiosk label strong{font-size:1.375rem}.kiosk .o input+span{padding:.75rem 0}.kiosk .ends{font-size:1rem}
.kiosk button,.kiosk .btn{font-size:1.375rem;min-height:64px;padding:.75rem 2.5rem}.kiosk .hint{font-size:1rem}
.kiosk .btn{display:inline-block;background:var(--a);color:#fff;border-radius:.375rem;font-weight:600;text-decoration:none;line-height:40px}.kiosk .btn:focus-visible{outline:3px solid #bf8700;outline-offset:2px}
.kiosk .lang{display:inline-block;min-height:48px;line-height:48px;padding:0 1rem;border:1px solid #6e7781;border-radius:.375rem;background:#fff;color:var(--a);font-weight:600}
.kiosk .note{background:#fff8c5;border-radius:.375rem;padding:.75rem;font-weight:600}.kiosk h1:focus{outline:0}
@media (min-width:600px){.kiosk .sc{gap:.5rem}.kiosk .o input+span{padding:0;line-height:72px;font-size:1.75rem}}`;

// Small, system fonts, no script: the page must load fast on a phone and stay under 8 KB gzip.
// No quotes or angle brackets: JSX escapes the text of <style>, which would break them. --a is the brand's accent.
// Score targets are at least 44 px tall and 24 px apart: below 350 px the 0–10 scale wraps into rows 0–5 and 6–10.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,Segoe UI,Roboto,Noto Sans,Tahoma,DejaVu Sans,sans-serif;background:#f4f5f7;color:#1f2328}
main,header{max-width:36rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}a{color:var(--a)}
header{display:flex;align-items:center;gap:.75rem;padding-bottom:0;font-weight:700;font-size:1.125rem}header img{object-fit:contain}
h1{font-size:1.25rem;margin:.25rem 0 1rem}fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}legend{font-weight:600;margin:0 0 .5rem;padding:0}
.sc{display:grid;gap:.25rem}.n11{grid-template-columns:repeat(11,1fr)}.n7{grid-template-columns:repeat(7,1fr)}.n5{grid-template-columns:repeat(5,1fr)}.n2{grid-template-columns:repeat(2,1fr)}
@media (max-width:350px){.n11{grid-template-columns:repeat(6,1fr)}}
.o{position:relative}.o input{position:absolute;opacity:0;width:100%;height:100%;margin:0}
.o input+span,.sc button{display:flex;align-items:center;justify-content:center;min-height:44px;padding:0;border:1px solid #6e7781;border-radius:.375rem;font-weight:600;cursor:pointer;background:#fff;color:inherit}
.o input:checked+span,.sc button[aria-pressed=true]{background:var(--a);color:#fff;border-color:var(--a)}.o input:focus-visible+span{outline:3px solid #bf8700;outline-offset:2px}
.vh{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
.ends{display:flex;justify-content:space-between;font-size:.875rem;color:#57606a;margin-top:.25rem}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #6e7781;border-radius:.375rem}textarea:focus{outline:3px solid #bf8700}
button{font:inherit;font-weight:600;background:var(--a);color:#fff;border:0;border-radius:.375rem;padding:.75rem 1.5rem;min-height:44px;cursor:pointer}
button:focus-visible,.sec:focus-visible,summary:focus-visible{outline:3px solid #bf8700;outline-offset:2px}.ok{background:#dafbe1;border-radius:.375rem;padding:.75rem}.err{color:#a40e26;font-weight:600}
.hint{color:#57606a;font-size:.875rem}summary{color:var(--a);font-weight:600;padding:.625rem 0;cursor:pointer}details{margin:0 0 1.5rem}
.sec{display:inline-flex;align-items:center;min-height:44px;padding:0 1rem;border:2px solid var(--a);border-radius:.375rem;font-weight:600;text-decoration:none}
${KIOSK_CSS}`;

/** The company's logo and name above every customer page; nothing when no brand is set. */
function BrandHeader(props: { brand: PageBrand; locale: Locale }) {
  const { logo, name } = props.brand;
  if (!logo && !name) return null;
  const text = name?.[props.locale];
  return (
    <header>
      {logo && <img src={logo.src} alt={text ?? ''} width={logo.width} height={logo.height} />}
      {/* With a logo, its alt text already says the name: the visible name is not read twice. */}
      {text && <span aria-hidden={logo ? 'true' : undefined}>{text}</span>}
    </header>
  );
}

export function Layout(props: { locale: Locale; title: string; nonce: string; variant?: 'kiosk'; children: Child }) {
  const brand = useContext(BrandContext);
  return (
    <html lang={props.locale} dir={directionOf(props.locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style nonce={props.nonce}>{`:root{--a:${brand.accent}}${CSS}`}</style>
      </head>
      <body class={props.variant}>
        <BrandHeader brand={brand} locale={props.locale} />
        <main>{props.children}</main>
      </body>
    </html>
  );
}

function optionLabel(value: string, locale: Locale, m: CustomerMessages): string {
  if (value === 'yes') return m.yes;
  if (value === 'no') return m.no;
  return localDigits(Number(value), locale);
}

/** How an answer value is written in the form ('yes'/'no', digits); '' when not answered. */
export function currentValue(question: Question, answers: Answers): string {
  const value = answers[question.id];
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

/** The one-tap question first (the score a customer gives in the message), then the others in the survey's order. */
function pageOrder(survey: SurveyDefinition): Question[] {
  const oneTap = survey.questions.find((q) => q.id === survey.oneTap);
  return oneTap ? [oneTap, ...survey.questions.filter((q) => q !== oneTap)] : survey.questions;
}

/** The one-tap question of a survey (the schema guarantees it exists). */
export const oneTapQuestion = (survey: SurveyDefinition): Question => survey.questions.find((q) => q.id === survey.oneTap)!;

/** A scale's end labels, read with its first and last choice by screen readers ("0, not at all likely"). */
function endLabel(question: Question, index: number, count: number, locale: Locale): string | null {
  if (!('lowLabel' in question)) return null;
  if (index === 0) return question.lowLabel[locale];
  return index === count - 1 ? question.highLabel[locale] : null;
}

function ChoiceText(props: { question: Question; value: string; index: number; count: number; locale: Locale; m: CustomerMessages }) {
  const end = endLabel(props.question, props.index, props.count, props.locale);
  return (
    <>
      {optionLabel(props.value, props.locale, props.m)}
      {end && <span class="vh">, {end}</span>}
    </>
  );
}

/** The scale's end labels as the eye sees them; screen readers hear them with the end choices instead. */
function Ends(props: { question: Question; locale: Locale }) {
  const { question, locale } = props;
  if (!('lowLabel' in question)) return null;
  return (
    <div class="ends" aria-hidden="true">
      <span>{question.lowLabel[locale]}</span>
      <span>{question.highLabel[locale]}</span>
    </div>
  );
}

function QuestionField(props: { question: Question; locale: Locale; value: string; error?: string; m: CustomerMessages }) {
  const { question, locale, value, error, m } = props;
  const errorId = `${question.id}-error`;
  const legend = (
    <>
      {question.text[locale]}
      {question.optional && <span class="hint"> {m.optional}</span>}
    </>
  );
  if (question.type === 'text') {
    return (
      <p>
        <label for={question.id}>
          <strong>{legend}</strong>
        </label>
        <textarea id={question.id} name={question.id} maxlength={question.maxLength} aria-describedby={error ? errorId : undefined}>
          {value}
        </textarea>
        {error && (
          <span id={errorId} class="err">
            {error}
          </span>
        )}
      </p>
    );
  }
  const choices = choicesOf(question);
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div class={`sc n${choices.length}`}>
        {choices.map((choice, index) => (
          <label class="o">
            <input type="radio" name={question.id} value={choice.value} checked={choice.value === value} required={!question.optional} />
            <span>
              <ChoiceText question={question} value={choice.value} index={index} count={choices.length} locale={locale} m={m} />
            </span>
          </label>
        ))}
      </div>
      <Ends question={question} locale={locale} />
      {error && (
        <p id={errorId} class="err">
          {error}
        </p>
      )}
    </fieldset>
  );
}

interface SurveyPageProps {
  survey: SurveyDefinition;
  locale: Locale;
  nonce: string;
  action: string;
  answers: Answers;
  /** An answer is already saved for this link: the button says "Update my answer" rather than "Send". */
  saved?: boolean;
  /** 'invalid' when the submitted values need fixing. */
  notice: 'invalid' | null;
  errors: Record<string, string>;
  /** Shown below the form (the public link's language switch). */
  children?: Child;
  /** The kiosk's large layout (server/public-links/). */
  variant?: 'kiosk';
  /** At the top of the form, before the questions: the public link's "one moment, then Send again" note, its hidden fields. */
  beforeQuestions?: Child;
}

/**
 * The whole survey as one form, the one-tap question first: for a link opened without a tap, and for changing an
 * answer (answered questions come pre-selected).
 */
export function SurveyPage(props: SurveyPageProps) {
  const { survey, locale, answers, errors } = props;
  const m = messagesFor(locale);
  // Choices shown again after a refused or invalid form are not saved: only a saved answer is "updated".
  const answered = props.saved === true;
  return (
    <Layout locale={locale} title={survey.subject[locale]} nonce={props.nonce} variant={props.variant}>
      <form class="card" method="post" action={props.action}>
        <h1>{survey.subject[locale]}</h1>
        {props.beforeQuestions}
        {props.notice === 'invalid' && (
          <p class="err" role="alert">
            {m.fixErrors}
          </p>
        )}
        {!answered && <p>{survey.intro[locale]}</p>}
        {pageOrder(survey).map((question) => (
          <QuestionField question={question} locale={locale} value={currentValue(question, answers)} error={errors[question.id]} m={m} />
        ))}
        <button type="submit">{answered ? m.update : m.submit}</button>
      </form>
      {props.children}
    </Layout>
  );
}

/** "Thanks — your 3 is saved." for a scale, "your answer “Yes” is saved." for yes/no. */
function savedText(question: Question, value: string, locale: Locale, m: CustomerMessages): string {
  const label = optionLabel(value, locale, m);
  return question.type === 'yes_no' ? m.savedChoice(label) : m.savedScore(label);
}

/**
 * After a one-tap answer: the score is saved, and only the questions still open are asked, with Send. The score
 * can be changed in a folded control, which is not the main thing on the page.
 */
export function SavedPage(props: { survey: SurveyDefinition; locale: Locale; nonce: string; action: string; answers: Answers }) {
  const { survey, locale, answers } = props;
  const m = messagesFor(locale);
  const oneTap = oneTapQuestion(survey);
  const rest = pageOrder(survey).slice(1);
  return (
    <Layout locale={locale} title={survey.subject[locale]} nonce={props.nonce}>
      <form class="card" method="post" action={props.action}>
        <h1>{savedText(oneTap, currentValue(oneTap, answers), locale, m)}</h1>
        <p>{m.tellUsMore}</p>
        {rest.map((question) => (
          <QuestionField question={question} locale={locale} value={currentValue(question, answers)} m={m} />
        ))}
        <details>
          <summary>{m.changeScore}</summary>
          <QuestionField question={oneTap} locale={locale} value={currentValue(oneTap, answers)} m={m} />
        </details>
        <button type="submit">{m.submit}</button>
      </form>
    </Layout>
  );
}

/** The end: the survey is complete. Changing the answer is offered as a link, not as the main button. */
export function ThanksPage(props: { survey: SurveyDefinition; locale: Locale; nonce: string; changeHref: string }) {
  const { survey, locale } = props;
  const m = messagesFor(locale);
  return (
    <Layout locale={locale} title={m.completeTitle} nonce={props.nonce}>
      <div class="card">
        <h1>{m.completeTitle}</h1>
        <p>{survey.thanks[locale]}</p>
        <p class="hint">
          {m.saved} {m.changeHint}
        </p>
        <a class="sec" href={props.changeHref}>
          {m.changeAnswer}
        </a>
      </div>
    </Layout>
  );
}

/** The form field that marks a POST as the confirmation of a one-tap answer, not the whole survey. */
export const CONFIRM_FIELD = 'hami-step';

/**
 * Two different taps on one link within seconds: taken for a mail scanner, so nothing was kept. If it was a person
 * correcting a mis-tap, their last tap is shown chosen and one button confirms it (a POST: a person's answer).
 */
export function ConfirmPage(props: { survey: SurveyDefinition; locale: Locale; nonce: string; action: string; value: string }) {
  const { survey, locale, value } = props;
  const m = messagesFor(locale);
  const question = oneTapQuestion(survey);
  const choices = choicesOf(question);
  return (
    <Layout locale={locale} title={m.confirmTitle} nonce={props.nonce}>
      <form class="card" method="post" action={props.action}>
        <input type="hidden" name={CONFIRM_FIELD} value="confirm" />
        <h1>{m.confirmTitle}</h1>
        <p>{m.confirmBody}</p>
        <p>
          <button type="submit" name={question.id} value={value}>
            {m.confirm(optionLabel(value, locale, m))}
          </button>
        </p>
        <fieldset>
          <legend>
            {question.text[locale]} <span class="hint">{m.confirmOther}</span>
          </legend>
          <div class={`sc n${choices.length}`}>
            {choices.map((choice, index) => (
              <button type="submit" name={question.id} value={choice.value} aria-pressed={choice.value === value ? 'true' : 'false'}>
                <ChoiceText question={question} value={choice.value} index={index} count={choices.length} locale={locale} m={m} />
              </button>
            ))}
          </div>
          <Ends question={question} locale={locale} />
        </fieldset>
      </form>
    </Layout>
  );
}

/** A friendly page for links that are unknown, expired or done with: never a stack trace. */
export function MessagePage(props: { locale: Locale; nonce: string; title: string; body: string; children?: Child }) {
  return (
    <Layout locale={props.locale} title={props.title} nonce={props.nonce}>
      <div class="card">
        <h1>{props.title}</h1>
        <p>{props.body}</p>
        {props.children}
      </div>
    </Layout>
  );
}
