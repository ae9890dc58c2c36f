// What a team says about its hours: its own closed-text (holidays, opening times) as plain text in the
// visitor's language or Swedish, its weekly opening hours, and when it is back while closed.
import { fill, type Lang, type Messages } from '../i18n/index.js';
import { closedText } from '../notice.js';
import type { Status } from '../state/app.js';
import { OpeningHoursText, formatNextOpening, openingRuns } from '../../shared/opening-hours.js';

export function ClosedNotice(props: { status: Status; lang: Lang }) {
  const { status } = props;
  const shown = status === null || status === 'error' ? null : closedText(status.notice ?? null, props.lang);
  if (shown === null) return null;
  // A Swedish fallback inside an Arabic page keeps its own language and direction for screen readers.
  return (
    <p class="team-notice" lang={shown.lang} dir="auto">
      {shown.text}
    </p>
  );
}

/** "Här svarar vi: mån–fre 09:00–17:00." and, while the team is closed, "Vi är här igen tisdag 09:00." */
export function OpeningHours(props: { status: Status; lang: Lang; m: Messages }) {
  const { status, lang, m } = props;
  const notice = status === null || status === 'error' ? null : (status.notice ?? null);
  if (notice === null) return null;
  const hours = notice.hours ?? null;
  const [before, after] = m.openingHours.split('{hours}');
  return (
    <>
      {hours !== null && openingRuns(hours, lang).length > 0 ? (
        <p class="hours">
          {before}
          <OpeningHoursText hours={hours} lang={lang} />
          {after}
        </p>
      ) : null}
      {!notice.open && notice.nextOpen != null ? <p class="hours">{fill(m.openAgain, { when: formatNextOpening(notice.nextOpen, lang) })}</p> : null}
    </>
  );
}
