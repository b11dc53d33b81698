/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import { parseAnswer, parseAnswers, type Answers } from '../../shared/answers.js';
import { messagesFor, type CustomerMessages } from '../../shared/customer-messages.js';
import type { Locale } from '../../shared/locale.js';
import type { Question, SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import { customerPageHeaders } from '../http/page-headers.js';
import { markInvitationOpened, suppress } from '../delivery/store.js';
import { recordOneTap } from '../responses/one-tap.js';
import { recordAnswer } from '../responses/record-answer.js';
import { findResponseOfInvitation } from '../responses/store.js';
import { TOO_MANY_GUESSES, unknownTokenGuess } from '../limits/limiters.js';
import { readForm } from '../http/form-body.js';
import { BAD_TEXT } from './form-text.js';
import { loadLink, localeFromHeader, type LinkState } from './load-invitation.js';
import { MessagePage, SurveyPage } from './views.js';

type Env = { Variables: { secureHeadersNonce?: string } };

const nonceOf = (c: Context<Env>) => c.get('secureHeadersNonce') ?? '';

function messagePage(c: Context<Env>, status: 404 | 410 | 400 | 429 | 200, locale: Locale, title: string, body: string) {
  c.header('Cache-Control', 'no-store');
  return c.html(`<!doctype html>${(<MessagePage locale={locale} nonce={nonceOf(c)} title={title} body={body} />).toString()}`, status);
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

async function savedAnswers(deps: AppDeps, invitationId: string): Promise<Answers> {
  const response = await findResponseOfInvitation(deps.db, invitationId);
  return response ? (JSON.parse(response.answers) as Answers) : {};
}

function renderSurvey(
  c: Context<Env>,
  status: 200 | 400,
  props: { survey: SurveyDefinition; locale: Locale; token: string; answers: Answers; notice: 'saved' | 'invalid' | null; errors: Record<string, string> },
) {
  c.header('Cache-Control', 'no-store');
  const page = <SurveyPage {...props} nonce={nonceOf(c)} action={`/s/${props.token}`} />;
  return c.html(`<!doctype html>${page.toString()}`, status);
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
    if (state.kind !== 'unknown') return state;
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
      const question = survey.questions.find((q) => q.id === survey.oneTap)!;
      const parsed = parseAnswer(question, oneTap);
      if (parsed.value === undefined) {
        const answers = await savedAnswers(deps, invitation.id);
        return renderSurvey(c, 400, { survey, locale, token, answers, notice: 'invalid', errors: { [question.id]: errorText(question, m) } });
      }
      // Different taps on one link within seconds are a mail scanner: nothing is recorded (server/responses/one-tap.ts).
      const outcome = await recordOneTap(deps, { invitation, survey, answers: { [question.id]: parsed.value }, now: deps.clock.now() });
      if (outcome === 'scanner') {
        return renderSurvey(c, 200, { survey, locale, token, answers: await savedAnswers(deps, invitation.id), notice: null, errors: {} });
      }
      // Redirect so that reloading the page does not record the tap again.
      return c.redirect(`/s/${token}?saved=1`, 303);
    }
    if (!isHead) await markInvitationOpened(deps.db, invitation.id, deps.clock.now());
    const answers = await savedAnswers(deps, invitation.id);
    const notice = c.req.query('saved') !== undefined && Object.keys(answers).length > 0 ? 'saved' : null;
    return renderSurvey(c, 200, { survey, locale, token, answers, notice, errors: {} });
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
      return renderSurvey(c, 400, { survey, locale, token, answers, notice: 'invalid', errors: question ? { [question.id]: BAD_TEXT[locale] } : {} });
    }
    const raw: Record<string, string | undefined> = form.fields;
    const { answers, errors } = parseAnswers(survey, raw);
    const previous = await savedAnswers(deps, invitation.id);
    const merged = { ...previous, ...answers };
    const problems: Record<string, string> = {};
    for (const error of errors) problems[error.questionId] = errorText(survey.questions.find((q) => q.id === error.questionId)!, m);
    for (const question of survey.questions) {
      if (!question.optional && merged[question.id] === undefined && !problems[question.id]) problems[question.id] = m.required;
    }
    if (Object.keys(problems).length > 0) {
      return renderSurvey(c, 400, { survey, locale, token, answers: merged, notice: 'invalid', errors: problems });
    }
    // An emptied text box clears that answer rather than keeping the old text.
    for (const question of survey.questions) if (question.type === 'text' && raw[question.id]?.trim() === '') delete merged[question.id];
    await recordAnswer(deps.db, { invitation, survey, answers: merged, source: 'form', now: deps.clock.now() });
    return c.redirect(`/s/${token}?saved=1`, 303);
  });

  // Opt-out: GET asks (a scanner following the link must not unsubscribe anyone), POST does it.
  // POST is also RFC 8058 one-click: mail clients send "List-Unsubscribe=One-Click" with no cookies or page.
  app.get('/u/:token', async (c) => {
    const state = await lookUp(c, c.req.param('token'));
    if (state instanceof Response) return state;
    if (state.kind === 'unknown') return unusableLink(c, state);
    const m = messagesFor(state.locale);
    c.header('Cache-Control', 'no-store');
    const page = (
      <MessagePage locale={state.locale} nonce={nonceOf(c)} title={m.optOutTitle} body={m.optOutQuestion(state.invitation.address ?? '')}>
        <form method="post" action={`/u/${c.req.param('token')}`}>
          <button type="submit">{m.optOutConfirm}</button>
        </form>
      </MessagePage>
    );
    return c.html(`<!doctype html>${page.toString()}`);
  });

  app.post('/u/:token', async (c) => {
    const state = await lookUp(c, c.req.param('token'));
    if (state instanceof Response) return state;
    if (state.kind === 'unknown') return unusableLink(c, state);
    const { invitation, locale } = state;
    if (invitation.address) await suppress(deps.db, invitation.channel, invitation.address, 'opted_out', deps.clock.now());
    deps.log.info('opt-out recorded', { invitation: invitation.id, channel: invitation.channel });
    const m = messagesFor(locale);
    return messagePage(c, 200, locale, m.optOutTitle, m.optOutDone(invitation.address ?? ''));
  });

  return app;
}
