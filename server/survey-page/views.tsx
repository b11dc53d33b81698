/** @jsxImportSource hono/jsx */
import type { Child } from 'hono/jsx';
import { choicesOf, type Answers } from '../../shared/answers.js';
import { localDigits, messagesFor, type CustomerMessages } from '../../shared/customer-messages.js';
import { directionOf, type Locale } from '../../shared/locale.js';
import type { Question, SurveyDefinition } from '../../shared/survey-schema.js';

/*
 * The kiosk variant (server/public-links/): a shared tablet on a shop counter, read at arm's length. Large text, score
 * buttons at least 64 px tall on a tablet, the card filling the screen; on a phone-sized screen it stays within the width.
 */
const KIOSK_CSS = `.kiosk{font-size:1.25rem}.kiosk main{max-width:60rem;min-height:100vh;display:flex;flex-direction:column;justify-content:center;padding:1rem}
.kiosk h1{font-size:1.75rem}.kiosk legend,.kiosk label strong{font-size:1.375rem}.kiosk .o span{padding:.75rem 0}.kiosk .ends{font-size:1rem}
.kiosk button,.kiosk .btn{font-size:1.375rem;min-height:64px;padding:.75rem 2.5rem}.kiosk .hint{font-size:1rem}
.kiosk .btn{display:inline-block;background:#0b3d91;color:#fff;border-radius:.375rem;font-weight:600;text-decoration:none;line-height:40px}.kiosk .btn:focus-visible{outline:3px solid #bf8700;outline-offset:2px}
.kiosk .lang{display:inline-block;min-height:48px;line-height:48px;padding:0 1rem;border:1px solid #6e7781;border-radius:.375rem;background:#fff;color:#0b3d91;font-weight:600}
.kiosk .note{background:#fff8c5;border-radius:.375rem;padding:.75rem;font-weight:600}.kiosk h1:focus{outline:0}
@media (min-width:600px){.kiosk .sc{gap:.5rem}.kiosk .o span{padding:0;line-height:72px;font-size:1.75rem}}`;

// Small, system fonts, no script: the page must load fast on a phone and stay under 8 KB gzip.
// No quotes or angle brackets: JSX escapes the text of <style>, which would break them.
const CSS = `*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,Segoe UI,Roboto,Noto Sans,Tahoma,DejaVu Sans,sans-serif;background:#f4f5f7;color:#1f2328}
main{max-width:36rem;margin:0 auto;padding:1rem}.card{background:#fff;border-radius:.5rem;padding:1rem 1.25rem;margin:0 0 1rem}
h1{font-size:1.25rem;margin:.25rem 0 1rem}fieldset{border:0;margin:0 0 1.5rem;padding:0;min-width:0}legend{font-weight:600;margin:0 0 .5rem;padding:0}
.sc{display:grid;gap:.25rem}.n11{grid-template-columns:repeat(11,1fr)}.n7{grid-template-columns:repeat(7,1fr)}.n5{grid-template-columns:repeat(5,1fr)}.n2{grid-template-columns:repeat(2,1fr)}
.o{position:relative}.o input{position:absolute;opacity:0;width:100%;height:100%;margin:0}.o span{display:block;text-align:center;padding:.6rem 0;border:1px solid #6e7781;border-radius:.375rem;font-weight:600;cursor:pointer}
.o input:checked+span{background:#0b3d91;color:#fff;border-color:#0b3d91}.o input:focus-visible+span{outline:3px solid #bf8700;outline-offset:2px}
.ends{display:flex;justify-content:space-between;font-size:.875rem;color:#57606a;margin-top:.25rem}
textarea{width:100%;min-height:6rem;font:inherit;padding:.5rem;border:1px solid #6e7781;border-radius:.375rem}textarea:focus{outline:3px solid #bf8700}
button{font:inherit;font-weight:600;background:#0b3d91;color:#fff;border:0;border-radius:.375rem;padding:.75rem 1.5rem;min-height:44px;cursor:pointer}
button:focus-visible{outline:3px solid #bf8700;outline-offset:2px}.ok{background:#dafbe1;border-radius:.375rem;padding:.75rem}.err{color:#a40e26;font-weight:600}
.hint{color:#57606a;font-size:.875rem}
${KIOSK_CSS}`;

export function Layout(props: { locale: Locale; title: string; nonce: string; variant?: 'kiosk'; children: Child }) {
  return (
    <html lang={props.locale} dir={directionOf(props.locale)}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width,initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{props.title}</title>
        <style nonce={props.nonce}>{CSS}</style>
      </head>
      <body class={props.variant}>
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

function currentValue(question: Question, answers: Answers): string {
  const value = answers[question.id];
  if (value === undefined) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
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
        {error && <span id={errorId} class="err">{error}</span>}
      </p>
    );
  }
  const choices = choicesOf(question);
  return (
    <fieldset aria-describedby={error ? errorId : undefined}>
      <legend>{legend}</legend>
      <div class={`sc n${choices.length}`}>
        {choices.map((choice) => (
          <label class="o">
            <input type="radio" name={question.id} value={choice.value} checked={choice.value === value} required={!question.optional} />
            <span>{optionLabel(choice.value, locale, m)}</span>
          </label>
        ))}
      </div>
      {'lowLabel' in question && (
        <div class="ends" aria-hidden="true">
          <span>{question.lowLabel[locale]}</span>
          <span>{question.highLabel[locale]}</span>
        </div>
      )}
      {error && <p id={errorId} class="err">{error}</p>}
    </fieldset>
  );
}

export interface SurveyPageProps {
  survey: SurveyDefinition;
  locale: Locale;
  nonce: string;
  action: string;
  answers: Answers;
  /** 'saved' after an answer was recorded; 'invalid' when the submitted values need fixing. */
  notice: 'saved' | 'invalid' | null;
  errors: Record<string, string>;
  /** Shown below the form (the public link's language switch). */
  children?: Child;
  /** The kiosk's large layout (server/public-links/). */
  variant?: 'kiosk';
  /** At the top of the form, before the questions: the public link's "one moment, then Send again" note, its hidden fields. */
  beforeQuestions?: Child;
}

/** The survey as one form: answered questions come pre-selected, so changing an answer is the same form again. */
export function SurveyPage(props: SurveyPageProps) {
  const { survey, locale, answers, errors } = props;
  const m = messagesFor(locale);
  // A kiosk's form never shows a saved answer (choices kept after a refused burst are not saved yet): always Send.
  const answered = props.variant !== 'kiosk' && Object.keys(answers).length > 0;
  return (
    <Layout locale={locale} title={survey.subject[locale]} nonce={props.nonce} variant={props.variant}>
      <form class="card" method="post" action={props.action}>
        <h1>{survey.subject[locale]}</h1>
        {props.beforeQuestions}
        {props.notice === 'saved' && (
          <p class="ok" role="status">
            {m.saved} {survey.thanks[locale]}
            <br />
            <span class="hint">{m.changeHint}</span>
          </p>
        )}
        {props.notice === 'invalid' && (
          <p class="err" role="alert">
            {m.fixErrors}
          </p>
        )}
        {!answered && <p>{survey.intro[locale]}</p>}
        {survey.questions.map((question) => (
          <QuestionField question={question} locale={locale} value={currentValue(question, answers)} error={errors[question.id]} m={m} />
        ))}
        <button type="submit">{answered ? m.update : m.submit}</button>
      </form>
      {props.children}
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
