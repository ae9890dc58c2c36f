// First screen: who is there right now (live), what each choice means, the three choices.
import { plural } from '../i18n/index.js';
import type { App, Status } from '../state/app.js';
import { Emergency, Heading } from '../components.js';
import { ClosedNotice, OpeningHours } from './ClosedNotice.js';

function Availability(props: { app: App; status: Status }) {
  const { app, status } = props;
  const m = app.messages();
  const lang = app.store.get().lang;
  if (status === null) return <p class="availability checking">{m.checking}</p>;
  if (status === 'error') return <p class="availability off">{m.statusError}</p>;
  return (
    <p class={status.staffed ? 'availability on' : 'availability off'}>
      <span class="dot" aria-hidden="true" />
      {status.staffed ? m.staffedNow : m.notStaffedNow}{' '}
      {status.staffed && status.waiting > 0 ? plural(lang, m.waiting, status.waiting) : ''}
    </p>
  );
}

export function Home(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const chat = s.status.chat;
  const nobody = chat !== null && chat !== 'error' && !chat.staffed;
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.appName}</Heading>
      <p class="lead">{m.tagline}</p>
      <div role="status" aria-live="polite">
        <Availability app={app} status={chat} />
      </div>
      <ClosedNotice status={chat} lang={s.lang} />
      <OpeningHours status={chat} lang={s.lang} m={m} />
      {/* One place whatever the status says: the box never appears late and shifts the choices (CLS). */}
      <Emergency m={m} prominent={nobody} />
      <h2>{m.chooseHeading}</h2>
      <ul class="choices">
        <li>
          <button type="button" class="choice primary" onClick={() => app.choose('chat')} aria-describedby="d-chat">
            {m.chatTitle}
          </button>
          <p id="d-chat">{m.chatDesc}</p>
        </li>
        <li>
          <button type="button" class="choice" onClick={() => app.choose('callback')} aria-describedby="d-callback">
            {m.callbackTitle}
          </button>
          <p id="d-callback">{m.callbackDesc}</p>
        </li>
        <li>
          <button type="button" class="choice" onClick={() => app.choose('parent')} aria-describedby="d-parent">
            {m.parentTitle}
          </button>
          <p id="d-parent">{m.parentDesc}</p>
        </li>
      </ul>
      <p class="privacy">{m.privacyNote}</p>
      <p>
        <button type="button" class="link" onClick={() => app.go('resume')}>
          {m.resumeLink}
        </button>
      </p>
      <label class="check">
        <input type="checkbox" checked={s.neutral} onChange={(e) => app.setNeutral((e.currentTarget as HTMLInputElement).checked)} />
        {m.neutralTitle}
      </label>
    </main>
  );
}
