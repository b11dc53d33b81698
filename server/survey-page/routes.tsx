/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { parseAnswer, parseAnswers, type Answers } from '../../shared/answers.js';
import { messagesFor, type CustomerMessages } from '../../shared/customer-messages.js';
import type { Locale } from '../../shared/locale.js';
import { isChannel, type Question, type SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import { customerPageHeaders } from '../http/page-headers.js';
import { markInvitationOpened, suppress } from '../delivery/store.js';
import { recordOneTap } from '../responses/one-tap.js';
import { recordAnswer } from '../responses/record-answer.js';
import { findResponseOfInvitation, wasSubmittedByForm } from '../responses/store.js';
import { customerPageHtml } from '../branding/page-brand.js';
import { TOO_MANY_GUESSES, unknownTokenGuess } from '../limits/limiters.js';
import { readForm } from '../http/form-body.js';
import { BAD_TEXT } from './form-text.js';
import { loadLink, localeFromHeader, type LinkState } from './load-invitation.js';
import { CONFIRM_FIELD, ConfirmPage, currentValue, MessagePage, oneTapQuestion, SavedPage, SurveyPage, ThanksPage } from './views.js';

type Env = { Variables: { secureHeadersNonce?: string } };

const nonceOf = (c: Context<Env>) => c.get('secureHeadersNonce') ?? '';

/** A customer page, never cached (it shows the customer's answer), with the brand. */
function sendPage(c: Context<Env>, status: 200 | 400 | 404 | 410 | 429, page: Child) {
  c.header('Cache-Control', 'no-store');
  return c.html(customerPageHtml(c, page), status);
}

function messagePage(c: Context<Env>, status: 404 | 410 | 400 | 429 | 200, locale: Locale, title: string, body: string) {
  return sendPage(c, status, <MessagePage locale={locale} nonce={nonceOf(c)} title={title} body={body} />);
}

function unusableLink(c: Context<Env>, state: Exclude<LinkState, { kind: 'open' }>) {
  if (state.kind === 'closed') {
    const m = messagesFor(state.locale);
    return messagePage(c, 410, state.locale, m.expiredTitle, m.expiredBody);
  }
  const locale = localeFromHeader(c.req.header('accept-language'));
  const m = messagesFor(locale);
  return messagePage(c, 404, locale, m.notFoundTitle, m.notFoundBody);
}

function errorText(question: Question, m: CustomerMessages): string {
  return question.type === 'text' ? m.tooLong : m.invalidChoice;
}

/** Answers read from the database: any at all means the customer's answer is saved. */
const isSaved = (answers: Answers) => Object.keys(answers).length > 0;

async function savedAnswers(deps: AppDeps, invitationId: string): Promise<Answers> {
  const response = await findResponseOfInvitation(deps.db, invitationId);
  return response ? (JSON.parse(response.answers) as Answers) : {};
}

/**
 * Where a customer is in the survey: nothing answered yet (the whole form); the one-tap answer given by a tap, an
 * SMS reply or a confirmation (saved: the rest is asked); or the form sent (complete: the thank-you view).
 */
async function progressOf(
  deps: AppDeps,
  survey: SurveyDefinition,
  invitationId: string,
): Promise<{ answers: Answers; step: 'start' | 'saved' | 'complete' }> {
  const response = await findResponseOfInvitation(deps.db, invitationId);
  if (!response) return { answers: {}, step: 'start' };
  const answers = JSON.parse(response.answers) as Answers;
  if (await wasSubmittedByForm(deps.db, response.id)) return { answers, step: 'complete' };
  if (answers[survey.oneTap] === undefined) return { answers, step: 'start' };
  // A survey of the one-tap question alone is complete with it.
  return { answers, step: survey.questions.length > 1 ? 'saved' : 'complete' };
}

function renderSurvey(
  c: Context<Env>,
  status: 200 | 400,
  props: {
    survey: SurveyDefinition;
    locale: Locale;
    token: string;
    answers: Answers;
    saved: boolean;
    notice: 'invalid' | null;
    errors: Record<string, string>;
  },
) {
  return sendPage(c, status, <SurveyPage {...props} nonce={nonceOf(c)} action={`/s/${props.token}`} />);
}

export function surveyPageRoutes(deps: AppDeps) {
  // Scoped to the pages' own paths: mounted at '/', a bare use() would put this policy on every later route.
  const headers = customerPageHeaders();
  const app = new Hono<Env>().use('/s/*', headers).use('/u/*', headers);

  /**
   * The link behind a token; for a token that matches nothing, counted as a guess, and the 429 page once the
   * client has guessed too often. A valid link is always served: guessing cannot lock anyone out of their own.
   */
  async function lookUp(c: Context<Env>, token: string): Promise<LinkState | Response> {
    const state = await loadLink(deps, token);
    if (state.kind !== 'unknown') {
      c.set('pageLocale', state.locale); // an error page from here on speaks the customer's language
      return state;
    }
    const decision = unknownTokenGuess(deps, c);
    if (decision.allowed) return state;
    const locale = localeFromHeader(c.req.header('accept-language'));
    c.header('Retry-After', String(decision.retryAfterSeconds));
    return messagePage(c, 429, locale, TOO_MANY_GUESSES[locale].title, TOO_MANY_GUESSES[locale].body);
  }

  app.get('/s/:token', async (c) => {
    const token = c.req.param('token');
    const state = await lookUp(c, token);
    if (state instanceof Response) return state;
    if (state.kind !== 'open') return unusableLink(c, state);
    const { invitation, survey, locale } = state;
    const m = messagesFor(locale);
    // HEAD never changes anything: link checkers and mail scanners send it freely.
    const isHead = c.req.raw.method === 'HEAD';
    const oneTap = c.req.query('score');
    if (oneTap !== undefined && !isHead) {
      const question = oneTapQuestion(survey);
      const parsed = parseAnswer(question, oneTap);
      if (parsed.value === undefined) {
        const answers = await savedAnswers(deps, invitation.id);
        return renderSurvey(c, 400, {
          survey,
          locale,
          token,
          answers,
          saved: isSaved(answers),
          notice: 'invalid',
          errors: { [question.id]: errorText(question, m) },
        });
      }
      // Different taps on one link within seconds are a mail scanner: nothing is recorded (server/responses/one-tap.ts).
      // They may also be a person correcting a mis-tap: the last tap is offered for confirmation by a POST.
      const outcome = await recordOneTap(deps, { invitation, survey, answers: { [question.id]: parsed.value }, now: deps.clock.now() });
      if (outcome === 'scanner') {
        const value = currentValue(question, { [question.id]: parsed.value });
        return sendPage(c, 200, <ConfirmPage survey={survey} locale={locale} nonce={nonceOf(c)} action={`/s/${token}`} value={value} />);
      }
      // Redirect so that reloading the page does not record the tap again.
      return c.redirect(`/s/${token}?saved=1`, 303);
    }
    if (!isHead) await markInvitationOpened(deps.db, invitation.id, deps.clock.now());
    const { answers, step } = await progressOf(deps, survey, invitation.id);
    // ?change=1 (the thank-you view's link): the whole form again, pre-filled.
    if (step === 'start' || c.req.query('change') !== undefined)
      return renderSurvey(c, 200, { survey, locale, token, answers, saved: isSaved(answers), notice: null, errors: {} });
    if (step === 'saved')
      return sendPage(c, 200, <SavedPage survey={survey} locale={locale} nonce={nonceOf(c)} action={`/s/${token}`} answers={answers} />);
    return sendPage(c, 200, <ThanksPage survey={survey} locale={locale} nonce={nonceOf(c)} changeHref={`/s/${token}?change=1`} />);
  });

  app.post('/s/:token', async (c) => {
    const token = c.req.param('token');
    const state = await lookUp(c, token);
    if (state instanceof Response) return state;
    if (state.kind !== 'open') return unusableLink(c, state);
    const { invitation, survey, locale } = state;
    const m = messagesFor(locale);
    const form = await readForm(c);
    if (form.broken !== null) {
      const question = survey.questions.find((q) => q.id === form.broken);
      const answers = await savedAnswers(deps, invitation.id);
      return renderSurvey(c, 400, {
        survey,
        locale,
        token,
        answers,
        saved: isSaved(answers),
        notice: 'invalid',
        errors: question ? { [question.id]: BAD_TEXT[locale] } : {},
      });
    }
    const raw: Record<string, string | undefined> = form.fields;
    if (raw[CONFIRM_FIELD] !== undefined) return confirmOneTap(c, state, raw[survey.oneTap] ?? '');
    const { answers, errors } = parseAnswers(survey, raw);
    const previous = await savedAnswers(deps, invitation.id);
    const merged = { ...previous, ...answers };
    const problems: Record<string, string> = {};
    for (const error of errors) problems[error.questionId] = errorText(survey.questions.find((q) => q.id === error.questionId)!, m);
    for (const question of survey.questions) {
      if (!question.optional && merged[question.id] === undefined && !problems[question.id]) problems[question.id] = m.required;
    }
    if (Object.keys(problems).length > 0) {
      return renderSurvey(c, 400, {
        survey,
        locale,
        token,
        answers: merged,
        saved: isSaved(previous),
        notice: 'invalid',
        errors: problems,
      });
    }
    // An emptied text box clears that answer rather than keeping the old text.
    for (const question of survey.questions) if (question.type === 'text' && raw[question.id]?.trim() === '') delete merged[question.id];
    await recordAnswer(deps.db, { invitation, survey, answers: merged, source: 'form', now: deps.clock.now() });
    // The thank-you view (the survey is complete); reloading it sends nothing again.
    return c.redirect(`/s/${token}`, 303);
  });

  /**
   * The confirmation of a one-tap answer after a mis-tap (ConfirmPage): recorded as a person's answer at once (no
   * scanner window: a POST from the page is no scanner), then the rest of the survey is asked.
   */
  async function confirmOneTap(c: Context<Env>, state: Extract<LinkState, { kind: 'open' }>, raw: string) {
    const { invitation, survey, locale } = state;
    const token = c.req.param('token')!;
    const question = oneTapQuestion(survey);
    const parsed = parseAnswer(question, raw);
    if (parsed.value === undefined) {
      const m = messagesFor(locale);
      const answers = await savedAnswers(deps, invitation.id);
      return renderSurvey(c, 400, {
        survey,
        locale,
        token,
        answers,
        saved: isSaved(answers),
        notice: 'invalid',
        errors: { [question.id]: parsed.error ? errorText(question, m) : m.required },
      });
    }
    // Source 'link': it is the tap's answer, confirmed; not the form, so the survey goes on to its other questions.
    await recordAnswer(deps.db, { invitation, survey, answers: { [question.id]: parsed.value }, source: 'link', now: deps.clock.now() });
    return c.redirect(`/s/${token}?saved=1`, 303);
  }

  // Opt-out: GET asks (a scanner following the link must not unsubscribe anyone), POST does it.
  // POST is also RFC 8058 one-click: mail clients send "List-Unsubscribe=One-Click" with no cookies or page.
  app.get('/u/:token', async (c) => {
    const state = await lookUp(c, c.req.param('token'));
    if (state instanceof Response) return state;
    if (state.kind === 'unknown') return unusableLink(c, state);
    const m = messagesFor(state.locale);
    return sendPage(
      c,
      200,
      <MessagePage locale={state.locale} nonce={nonceOf(c)} title={m.optOutTitle} body={m.optOutQuestion(state.invitation.address ?? '')}>
        <form method="post" action={`/u/${c.req.param('token')}`}>
          <button type="submit">{m.optOutConfirm}</button>
        </form>
      </MessagePage>,
    );
  });

  app.post('/u/:token', async (c) => {
    const state = await lookUp(c, c.req.param('token'));
    if (state instanceof Response) return state;
    if (state.kind === 'unknown') return unusableLink(c, state);
    const { invitation, locale } = state;
    // A public link's or kiosk's invitation has no address: there is nothing to suppress.
    if (invitation.address && isChannel(invitation.channel))
      await suppress(deps.db, invitation.channel, invitation.address, 'opted_out', deps.clock.now());
    deps.log.info('opt-out recorded', { invitation: invitation.id, channel: invitation.channel });
    const m = messagesFor(locale);
    return messagePage(c, 200, locale, m.optOutTitle, m.optOutDone(invitation.address ?? ''));
  });

  return app;
}
