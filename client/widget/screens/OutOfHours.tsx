// Nobody on duty: say so at once (with the closed team's own text and its hours), the emergency
// numbers first (a parent's own lines for parents), then a callback or writing anyway.
import type { App } from '../state/app.js';
import { Emergency, Heading } from '../components.js';
import { ClosedNotice, OpeningHours } from './ClosedNotice.js';

export function OutOfHours(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const parent = s.startCategory === 'parent';
  const status = s.status[s.startCategory];
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.outOfHoursTitle}</Heading>
      <ClosedNotice status={status} lang={s.lang} />
      <p>{parent ? m.parentOutOfHoursText : m.outOfHoursText}</p>
      <OpeningHours status={status} lang={s.lang} m={m} />
      <Emergency m={m} prominent parent={parent} />
      <div class="actions">
        <button type="button" class="primary" onClick={() => app.openCallback()}>
          {m.outOfHoursCallback}
        </button>
        <button type="button" onClick={() => app.writeAnyway()}>
          {m.outOfHoursWriteAnyway}
        </button>
        <button type="button" class="link" onClick={() => app.go('home')}>
          {m.back}
        </button>
      </div>
    </main>
  );
}
