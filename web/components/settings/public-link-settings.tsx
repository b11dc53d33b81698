import type { PublicLinkView, SurveyTexts } from '../../../shared/api/settings.js';
import { LOCALES } from '../../../shared/locale.js';
import { label, type Messages } from '../../i18n/messages.js';
import { NotYet } from './parts.js';

/** Prints only the chosen QR code: the page is marked for the print stylesheet (styles.css, "Settings") while printing. */
function printOnly(target: HTMLElement): void {
  const root = document.documentElement;
  target.classList.add('print-target');
  root.classList.add('printing-one');
  try {
    window.print();
  } finally {
    target.classList.remove('print-target');
    root.classList.remove('printing-one');
  }
}

function LinkCard(props: { m: Messages; surveyId: string; link: PublicLinkView }) {
  const { m, link } = props;
  const attributes = Object.entries(link.attributes);
  return (
    <li class="public-link" data-link={`${props.surveyId}/${link.id}`}>
      <h4>
        <bdi dir="ltr">{link.id}</bdi> <span class="muted">· {link.kiosk ? m.kioskLink : m.posterLink}</span>
      </h4>
      {attributes.length > 0 && (
        <p class="muted">
          {m.linkAttributes}{' '}
          {attributes.map(([name, value], i) => (
            <span key={name}>
              {i > 0 && m.listSeparator}
              <bdi>
                {name}: {String(value)}
              </bdi>
            </span>
          ))}
        </p>
      )}
      <div class="qr-pair">
        {LOCALES.map((locale) => {
          const language = label(m, 'locale', locale);
          return (
            <figure key={locale} class="qr" data-locale={locale}>
              <img src={link.qr[locale].svg} alt={m.qrOf(link.id, language)} width={160} height={160} />
              <figcaption>
                <span class="qr-language">{language}</span>
                <a class="qr-url" href={link.url[locale]} dir="ltr" target="_blank" rel="noopener noreferrer">
                  {link.url[locale]}
                </a>
                <span class="qr-actions">
                  <a href={link.qr[locale].svg} download aria-label={m.downloadQr('SVG', link.id, language)}>
                    {m.downloadSvg}
                  </a>
                  <a href={link.qr[locale].png} download aria-label={m.downloadQr('PNG', link.id, language)}>
                    {m.downloadPng}
                  </a>
                  <button
                    type="button"
                    class="link-button"
                    aria-label={m.printQrNamed(link.id, language)}
                    onClick={(e) => printOnly(e.currentTarget.closest('figure')!)}
                  >
                    {m.printQr}
                  </button>
                </span>
              </figcaption>
            </figure>
          );
        })}
      </div>
    </li>
  );
}

/**
 * Settings → Public links: each survey's links for posters, receipts and kiosks, with the address in each language
 * and its QR code to see, download (SVG for print, PNG for receipts) or print on its own.
 */
export function PublicLinkSettings(props: { m: Messages; surveys: SurveyTexts[] | null; error: string | null }) {
  const { m, surveys } = props;
  const withLinks = surveys?.filter((survey) => survey.publicLinks.length > 0) ?? [];
  return (
    <section class="card public-link-settings" aria-labelledby="public-links-title">
      <h2 id="public-links-title">{m.publicLinksTitle}</h2>
      <p class="muted">{m.publicLinksIntro}</p>
      {!surveys ? (
        <NotYet m={m} error={props.error} />
      ) : withLinks.length === 0 ? (
        <p class="muted">{m.noPublicLinks}</p>
      ) : (
        withLinks.map((survey) => (
          <div key={survey.id}>
            <h3>
              <bdi dir="ltr">{survey.id}</bdi>
            </h3>
            <ul class="public-links">
              {survey.publicLinks.map((link) => (
                <LinkCard key={link.id} m={m} surveyId={survey.id} link={link} />
              ))}
            </ul>
          </div>
        ))
      )}
    </section>
  );
}
