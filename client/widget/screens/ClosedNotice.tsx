// A closed team's own text (holidays, opening times), as plain text in the visitor's language or Swedish.
import type { Lang } from '../i18n/index.js';
import { closedText } from '../notice.js';
import type { Status } from '../state/app.js';

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
