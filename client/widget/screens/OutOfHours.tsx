// Nobody on duty: say so at once (with the closed team's own text), the emergency numbers first,
// then a callback or writing anyway.
import type { App } from '../state/app.js';
import { Emergency, Heading } from '../components.js';
import { ClosedNotice } from './ClosedNotice.js';

export function OutOfHours(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.outOfHoursTitle}</Heading>
      <ClosedNotice status={s.status[s.startCategory]} lang={s.lang} />
      <p>{m.outOfHoursText}</p>
      <Emergency m={m} prominent />
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
