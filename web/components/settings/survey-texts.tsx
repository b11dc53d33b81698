import { TableScroll } from '../bits.js';
import type { SurveyTexts } from '../../../shared/api/settings.js';
import { LOCALES, directionOf, type Locale } from '../../../shared/locale.js';
import { formatNumber } from '../../i18n/format.js';
import { label, type Messages } from '../../i18n/messages.js';
import { NotYet } from './parts.js';

type Localized = { en: string; fa: string };

/** One text in each language, each in its own direction whatever the dashboard's language. */
function TextRow(props: { name: string; text: Localized; id: string }) {
  return (
    <tr data-part={props.id}>
      <th scope="row">{props.name}</th>
      {LOCALES.map((locale) => (
        <td key={locale} lang={locale} dir={directionOf(locale)}>
          {props.text[locale]}
        </td>
      ))}
    </tr>
  );
}

/**
 * Settings → Survey texts: each survey file's subject, SMS text, introduction, questions (with their scale ends) and
 * thank-you, English and Persian side by side. Read-only: surveys are files, validated when the server starts.
 */
export function SurveyTextSettings(props: { m: Messages; locale: Locale; surveys: SurveyTexts[] | null; error: string | null }) {
  const { m, surveys } = props;
  return (
    <section class="card survey-texts" aria-labelledby="survey-texts-title">
      <h2 id="survey-texts-title">{m.surveysTitle}</h2>
      <p class="muted">{m.surveysIntro}</p>
      {!surveys ? (
        <NotYet m={m} error={props.error} />
      ) : (
        surveys.map((survey) => (
          <div class="survey-text" key={survey.id} data-survey={survey.id}>
            <h3 id={`survey-${survey.id}`}>
              <bdi dir="ltr">{survey.id}</bdi>
            </h3>
            <p class="muted">
              {survey.everyMonths
                ? m.autopilotEvery(formatNumber(survey.everyMonths, props.locale, 0))
                : label(m, 'trigger', survey.trigger)}{' '}
              · {m.sentBy} {survey.channels.map((channel) => label(m, 'channel', channel)).join(m.listSeparator)}
            </p>
            <TableScroll m={m} title={survey.id}>
              <table class="key-table text-table" aria-labelledby={`survey-${survey.id}`}>
                <thead>
                  <tr>
                    <th scope="col">{m.textPart}</th>
                    <th scope="col">{m.locale_en}</th>
                    <th scope="col">{m.locale_fa}</th>
                  </tr>
                </thead>
                <tbody>
                  <TextRow id="subject" name={m.emailSubject} text={survey.subject} />
                  {survey.sms && <TextRow id="sms" name={m.smsText} text={survey.sms} />}
                  <TextRow id="intro" name={m.surveyIntroText} text={survey.intro} />
                  {survey.questions.map((question) => (
                    <tr key={question.id} data-part={`question-${question.id}`}>
                      <th scope="row">
                        {m.question} <span class="muted">({label(m, 'qtype', question.type)})</span>{' '}
                        {question.optional && <span class="muted">{m.optionalQuestion}</span>}
                      </th>
                      {LOCALES.map((locale) => (
                        <td key={locale} lang={locale} dir={directionOf(locale)}>
                          {question.text[locale]}
                          {question.lowLabel && question.highLabel && (
                            <div class="muted">{m.scaleEnds(question.lowLabel[locale], question.highLabel[locale])}</div>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                  <TextRow id="thanks" name={m.surveyThanksText} text={survey.thanks} />
                </tbody>
              </table>
            </TableScroll>
          </div>
        ))
      )}
    </section>
  );
}
