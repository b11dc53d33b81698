import { TableScroll } from '../bits.js';
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { BrandingBody } from '../../../shared/api/settings.js';
import { api } from '../../api.js';
import type { Messages } from '../../i18n/messages.js';
import { NotYet } from './parts.js';

/** A value as shown in the table: the text (isolated, it may be in the other script), or "Not set". */
function Value(props: { m: Messages; value: string | null; dir?: 'ltr' }) {
  return props.value === null ? <span class="muted">{props.m.notSet}</span> : <bdi dir={props.dir}>{props.value}</bdi>;
}

/**
 * Settings → Branding: what HAMI_BRAND_* and MAIL_FROM were at start-up — the name in both languages, a logo
 * preview, the accent colour's swatch, the sender and the reply-to — read-only, each with its variable's name.
 */
export function BrandingSettings(props: { m: Messages }) {
  const { m } = props;
  const [brand, setBrand] = useState<BrandingBody | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.settings.branding().then(setBrand, (caught: Error) => setError(caught.message));
  }, []);

  const rows: [string, string, ComponentChildren][] = brand
    ? [
        [m.brandNameEn, 'HAMI_BRAND_NAME', <Value m={m} value={brand.name?.en ?? null} />],
        [m.brandNameFa, 'HAMI_BRAND_NAME_FA', <Value m={m} value={brand.name?.fa ?? null} />],
        [
          m.brandLogo,
          'HAMI_BRAND_LOGO',
          brand.logo ? <img class="brand-logo-preview" src={brand.logo.src} alt={m.brandLogoAlt} /> : <Value m={m} value={null} />,
        ],
        [
          m.brandAccent,
          'HAMI_BRAND_COLOR',
          <span class="brand-accent">
            {/* The swatch's colour is set through the DOM (style object), which the dashboard's CSP allows. */}
            <span class="swatch" data-accent={brand.accent} style={{ backgroundColor: brand.accent }} aria-hidden="true" />
            <code dir="ltr">{brand.accentIsDefault ? m.brandAccentDefault(brand.accent) : brand.accent}</code>
          </span>,
        ],
        [m.brandSender, 'HAMI_BRAND_SENDER', <Value m={m} value={brand.senderName} />],
        [m.brandMailFrom, 'MAIL_FROM', <Value m={m} value={brand.mailFrom} dir="ltr" />],
        [m.brandReplyTo, 'HAMI_BRAND_REPLY_TO', <Value m={m} value={brand.replyTo} dir="ltr" />],
      ]
    : [];

  return (
    <section class="card branding-settings" aria-labelledby="branding-title">
      <h2 id="branding-title">{m.brandingTitle}</h2>
      <p class="muted">{m.brandingIntro}</p>
      {!brand ? (
        <NotYet m={m} error={error} />
      ) : (
        <TableScroll m={m} title={m.brandingTitle}>
          <table class="key-table brand-table">
            <thead>
              <tr>
                <th scope="col">{m.brandItem}</th>
                <th scope="col">{m.brandValue}</th>
                <th scope="col">{m.brandVariable}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(([name, variable, value]) => (
                <tr key={variable} data-variable={variable}>
                  <th scope="row">{name}</th>
                  <td>{value}</td>
                  <td>
                    <code dir="ltr">{variable}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
