/** @jsxImportSource hono/jsx */
import { Hono, type Context } from 'hono';
import type { Child } from 'hono/jsx';
import { parseAnswers, type Answers } from '../../shared/answers.js';
import { messagesFor, type CustomerMessages } from '../../shared/customer-messages.js';
import { isLocale, type Locale } from '../../shared/locale.js';
import type { PublicLink, Question, SurveyDefinition } from '../../shared/survey-schema.js';
import type { AppDeps } from '../deps.js';
import { localeFromHeader } from '../survey-page/load-invitation.js';
import { customerPageHeaders, kioskPageHeaders } from '../http/page-headers.js';
import { customerPageHtml } from '../branding/page-brand.js';
import { readForm } from '../http/form-body.js';
import { BAD_TEXT } from '../survey-page/form-text.js';
import { MessagePage, SurveyPage } from '../survey-page/views.js';
import { publicLinkMessagesFor } from './messages.js';
import { publicLinkUrl, qrPng, qrSvg } from './qr.js';
import { limitersOf, requestClient } from '../limits/limiters.js';
import { findPublicLink, recordPublicAnswer, type PublicAnswer } from './record-public-answer.js';
import { KIOSK_RESET_SECONDS, KioskThanks, kioskSurvey } from './kiosk-views.js';
import { answeredKioskFormsOf, KIOSK_FORM_FIELD, kioskFormIdOf, newKioskFormId } from './kiosk-forms.js';

type Env = { Variables: { secureHeadersNonce?: string } };

const nonceOf = (c: Context<Env>) => c.get('secureHeadersNonce') ?? '';

/** The page's language: ?lang=fa|en when given, else the browser's first choice, else English. */
function pageLocale(c: Context<Env>): Locale {
  const lang = c.req.query('lang');
  return isLocale(lang) ? lang : localeFromHeader(c.req.header('accept-language'));
}

/** The page path of a public link, in a language. */
const pagePath = (surveyId: string, linkId: string, locale: Locale) => `/p/${surveyId}/${linkId}?lang=${locale}`;

function send(c: Context<Env>, status: 200 | 400 | 404 | 429, page: Child) {
  c.header('Cache-Control', 'no-store');
  return c.html(customerPageHtml(c, page), status);
}

function notFound(c: Context<Env>) {
  const locale = pageLocale(c);
  const m = messagesFor(locale);
  return send(
    c,
    404,
    <MessagePage locale={locale} nonce={nonceOf(c)} title={m.notFoundTitle} body={publicLinkMessagesFor(locale).linkNotFoundBody} />,
  );
}

function errorText(question: Question, m: CustomerMessages): string {
  return question.type === 'text' ? m.tooLong : m.invalidChoice;
}

function renderSurvey(
  c: Context<Env>,
  status: 200 | 400 | 429,
  props: { survey: SurveyDefinition; link: PublicLink; locale: Locale; answers: Answers; errors: Record<string, string>; note?: string },
) {
  const { survey, link, locale } = props;
  const other: Locale = locale === 'fa' ? 'en' : 'fa';
  const page = (
    <SurveyPage
      survey={link.kiosk ? kioskSurvey(survey) : survey}
      variant={link.kiosk ? 'kiosk' : undefined}
      locale={locale}
      nonce={nonceOf(c)}
      action={pagePath(survey.id, link.id, locale)}
      answers={props.answers}
      notice={Object.keys(props.errors).length > 0 ? 'invalid' : null}
      errors={props.errors}
      beforeQuestions={
        <>
          {link.kiosk && <input type="hidden" name={KIOSK_FORM_FIELD} value={newKioskFormId()} />}
          {props.note && (
            <p class="note" role="alert">
              {props.note}
            </p>
          )}
        </>
      }
    >
      <p class="hint">
        <a class={link.kiosk ? 'lang' : undefined} href={pagePath(survey.id, link.id, other)} hreflang={other} lang={other}>
          {publicLinkMessagesFor(locale).otherLanguage}
        </a>
      </p>
    </SurveyPage>
  );
  return send(c, status, page);
}

/**
 * A survey's public links (posters, receipts) and kiosks: /p/{surveyId}/{linkId}. Anyone may answer, so every
 * answer is anonymous, carries the link's attributes, and is rate-limited per link and client address. The QR
 * code of each link is downloadable as SVG and PNG for print.
 */
export function publicLinkRoutes(deps: AppDeps) {
  // Scoped to /p/*: mounted at '/', a bare use() would put this policy on every later route. A kiosk's pages run
  // one nonce'd script (the thank-you's reset); every other public page runs none.
  const customerPage = customerPageHeaders();
  const kioskPage = kioskPageHeaders();
  const app = new Hono<Env>().use('/p/:surveyId/:linkId', function publicPageHeaders(c, next) {
    const found = findPublicLink(deps.surveys, c.req.param('surveyId'), c.req.param('linkId'));
    return (found?.link.kiosk ? kioskPage : customerPage)(c, next);
  });
  app.use('/p/:surveyId/:linkId/*', customerPage);
  const { kioskAnswers, publicLinkAnswers } = limitersOf(deps);

  app.get('/p/:surveyId/:linkId', (c) => {
    const found = findPublicLink(deps.surveys, c.req.param('surveyId'), c.req.param('linkId'));
    if (!found) return notFound(c);
    return renderSurvey(c, 200, { ...found, locale: pageLocale(c), answers: {}, errors: {} });
  });

  app.post('/p/:surveyId/:linkId', async (c) => {
    const found = findPublicLink(deps.surveys, c.req.param('surveyId'), c.req.param('linkId'));
    if (!found) return notFound(c);
    const { survey, link } = found;
    const locale = pageLocale(c);
    const m = messagesFor(locale);
    const form = await readForm(c);
    if (form.broken !== null) {
      const question = survey.questions.find((q) => q.id === form.broken);
      return renderSurvey(c, 400, { survey, link, locale, answers: {}, errors: question ? { [question.id]: BAD_TEXT[locale] } : {} });
    }
    const raw: Record<string, string | undefined> = form.fields;
    const { answers, errors } = parseAnswers(survey, raw);
    const problems: Record<string, string> = {};
    for (const error of errors) problems[error.questionId] = errorText(survey.questions.find((q) => q.id === error.questionId)!, m);
    for (const question of survey.questions) {
      if (!question.optional && answers[question.id] === undefined && !problems[question.id]) problems[question.id] = m.required;
    }
    if (Object.keys(problems).length > 0) return renderSurvey(c, 400, { survey, link, locale, answers, errors: problems });

    // A kiosk form posted twice (a double tap on Send) is one answer: the second post is thanked, not counted.
    const formId = link.kiosk ? kioskFormIdOf(raw[KIOSK_FORM_FIELD]) : undefined;
    const answeredForms = answeredKioskFormsOf(deps);
    const next = pagePath(survey.id, link.id, locale);
    const thanks = () => send(c, 200, <KioskThanks locale={locale} nonce={nonceOf(c)} next={next} resetSeconds={KIOSK_RESET_SECONDS} />);
    if (formId && answeredForms.seenElseRemember(formId)) return thanks();

    // Only a valid answer counts against the limit: a person fixing a mistake is not turned away.
    const limiter = link.kiosk ? kioskAnswers : publicLinkAnswers;
    const decision = limiter.take(`${survey.id}/${link.id}|${requestClient(deps, c)}`);
    if (!decision.allowed) {
      if (formId) answeredForms.forget(formId);
      // Never an empty form: the person's choices come back pre-selected with a short note, to send again.
      const pm = publicLinkMessagesFor(locale);
      c.header('Retry-After', String(decision.retryAfterSeconds));
      return renderSurvey(c, 429, {
        survey,
        link,
        locale,
        answers,
        errors: {},
        note: link.kiosk ? pm.tooFastKiosk : pm.tooManyFromNetwork,
      });
    }

    let recorded: PublicAnswer;
    try {
      recorded = await recordPublicAnswer(deps.db, { survey, link, locale, answers, now: deps.clock.now() });
    } catch (error) {
      if (formId) answeredForms.forget(formId);
      throw error;
    }
    deps.log.info('public link answer recorded', { survey: survey.id, link: link.id, response: recorded.responseId });
    // A poster or receipt is one person's phone: they may see and change their answer, like an invitation's.
    if (!link.kiosk) return c.redirect(`/s/${recorded.token}?saved=1`, 303);

    // A kiosk is shared: thank this person once, then start over empty for the next one, and never show the
    // token, so the next person cannot change this answer.
    return thanks();
  });

  /** The QR code of a public link, as a download for a poster or a receipt. */
  async function qr(c: Context<Env>, format: 'svg' | 'png') {
    const surveyId = c.req.param('surveyId')!;
    const linkId = c.req.param('linkId')!;
    if (!findPublicLink(deps.surveys, surveyId, linkId)) return notFound(c);
    const url = publicLinkUrl(deps.publicUrl, surveyId, linkId, c.req.query('lang') === 'fa' ? 'fa' : undefined);
    c.header('Content-Disposition', `attachment; filename="hami-${surveyId}-${linkId}.${format}"`);
    c.header('Cache-Control', 'no-cache');
    if (format === 'svg') return c.body(await qrSvg(url), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
    return c.body(new Uint8Array(await qrPng(url)), 200, { 'Content-Type': 'image/png' });
  }

  app.get('/p/:surveyId/:linkId/qr.svg', (c) => qr(c, 'svg'));
  app.get('/p/:surveyId/:linkId/qr.png', (c) => qr(c, 'png'));

  return app;
}
