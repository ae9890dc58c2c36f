// The printable A4 poster of a source: its QR code, a short invitation in Swedish, English and
// Arabic (right to left) for young people who want out of crime and for parents, the opening hours
// of the team that answers, and the link written out. The source's language leads (an Arabic
// source's poster speaks Arabic first). Shown over the console; in print only the sheet remains.
import { createPortal } from 'preact/compat';
import { useEffect, useRef } from 'preact/hooks';
import { useConsole } from '../../context.js';
import { CATALOGUES, type Locale } from '../../i18n/index.js';
import { qrPath, type SourceRow } from './source-row.js';
import { OpeningHoursText, openingRuns, type WeeklyHours } from '../../../shared/opening-hours.js';

const POSTER_LOCALES: readonly Locale[] = ['sv', 'en', 'ar'];

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
  const lead: Locale = props.source.language ?? 'sv';
  const others = POSTER_LOCALES.filter((l) => l !== lead);
  const hours = props.source.hours ?? null;

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
      <article class="poster-sheet" lang={lead} dir={lead === 'ar' ? 'rtl' : 'ltr'} data-source={props.source.tag}>
        <div class="poster-main">
          <PosterText locale={lead} lead hours={hours} />
          <figure class="poster-code">
            <img src={`${qrPath(props.source.tag, 'svg')}?inline=1`} alt={CATALOGUES[lead].sourceQrAlt.replace('{url}', props.source.url)} />
            <figcaption>
              {CATALOGUES[lead].posterScan}{' '}
              <strong dir="ltr" class="poster-url">
                {breakable(display)}
              </strong>
            </figcaption>
          </figure>
        </div>
        <div class="poster-more">
          {others.map((l) => (
            <PosterText key={l} locale={l} url={display} hours={hours} />
          ))}
        </div>
        <p class="poster-footer">
          {[lead, ...others].map((l) => (
            <span key={l} lang={l} dir={l === 'ar' ? 'rtl' : 'ltr'}>
              {CATALOGUES[l].posterEmergency}
            </span>
          ))}
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
function PosterText(props: { locale: Locale; lead?: boolean; url?: string; hours: WeeklyHours | null }) {
  const m = CATALOGUES[props.locale];
  const [before, after] = m.posterHours.split('{hours}');
  return (
    <section class={props.lead === true ? 'poster-text poster-lead' : 'poster-text'} lang={props.locale} dir={props.locale === 'ar' ? 'rtl' : 'ltr'}>
      <h3>{m.posterYouthHeading}</h3>
      <p>{m.posterYouthText}</p>
      {props.hours !== null && openingRuns(props.hours, props.locale).length > 0 && (
        <p class="poster-hours">
          {before}
          <OpeningHoursText hours={props.hours} lang={props.locale} />
          {after}
        </p>
      )}
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
