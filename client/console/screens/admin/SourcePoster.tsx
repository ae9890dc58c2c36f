// The printable A4 poster of a source: its QR code, a short invitation in Swedish, English and
// Arabic (right to left) for young people who want out of crime and for parents, and the link
// written out. Shown over the console; when printing only the sheet remains (sources.css).
import { createPortal } from 'preact/compat';
import { useEffect, useRef } from 'preact/hooks';
import { useConsole } from '../../context.js';
import { CATALOGUES, type Locale } from '../../i18n/index.js';
import { qrPath, type SourceRow } from './source-row.js';

/** The body class that, in print, hides everything but the poster. */
const PRINTING = 'poster-open';

export function SourcePoster(props: { source: SourceRow; window: Window; onClose: () => void }) {
  const { t } = useConsole();
  const doc = props.window.document;
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const opener = doc.activeElement as HTMLElement | null;
    doc.body.classList.add(PRINTING);
    heading.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') props.onClose();
    };
    doc.addEventListener('keydown', onKey);
    return () => {
      doc.removeEventListener('keydown', onKey);
      doc.body.classList.remove(PRINTING);
      opener?.focus();
    };
  }, []);
  const display = props.source.url.replace(/^https?:\/\//, '');

  return createPortal(
    <div class="poster-view" role="dialog" aria-modal="true" aria-labelledby="poster-title">
      <div class="poster-toolbar">
        <h2 id="poster-title" tabIndex={-1} ref={heading}>
          {t('posterTitle', { label: props.source.label })}
        </h2>
        <p class="hint">{t('posterHint')}</p>
        <button type="button" class="primary" onClick={() => props.window.print()}>
          {t('posterPrint')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('posterClose')}
        </button>
      </div>
      <article class="poster-sheet" lang="sv" dir="ltr" data-source={props.source.tag}>
        <div class="poster-main">
          <PosterText locale="sv" lead />
          <figure class="poster-code">
            <img src={`${qrPath(props.source.tag, 'svg')}?inline=1`} alt={CATALOGUES.sv.sourceQrAlt.replace('{url}', props.source.url)} />
            <figcaption>
              {CATALOGUES.sv.posterScan} <strong class="poster-url">{breakable(display)}</strong>
            </figcaption>
          </figure>
        </div>
        <div class="poster-more">
          <PosterText locale="en" url={display} />
          <PosterText locale="ar" url={display} />
        </div>
        <p class="poster-footer">
          <span lang="sv">{CATALOGUES.sv.posterEmergency}</span>
          <span lang="en">{CATALOGUES.en.posterEmergency}</span>
          <span lang="ar" dir="rtl">
            {CATALOGUES.ar.posterEmergency}
          </span>
        </p>
      </article>
    </div>,
    doc.body,
  );
}

/** The link with line-break opportunities after each "/" (never inside the tag). */
function breakable(url: string) {
  return url.split('/').map((part, i, all) => (i < all.length - 1 ? [part, '/', <wbr key={i} />] : part));
}

/** One language's invitation, read from that language's catalogue whatever the console's locale. */
function PosterText(props: { locale: Locale; lead?: boolean; url?: string }) {
  const m = CATALOGUES[props.locale];
  return (
    <section class={props.lead === true ? 'poster-text poster-lead' : 'poster-text'} lang={props.locale} dir={props.locale === 'ar' ? 'rtl' : 'ltr'}>
      <h3>{m.posterYouthHeading}</h3>
      <p>{m.posterYouthText}</p>
      <h3>{m.posterParentHeading}</h3>
      <p>{m.posterParentText}</p>
      <p class="poster-how">{m.posterWhatHappens}</p>
      {props.url !== undefined && (
        <p class="poster-go">
          {m.posterScan}{' '}
          <strong dir="ltr" class="poster-url">
            {breakable(props.url)}
          </strong>
        </p>
      )}
    </section>
  );
}
