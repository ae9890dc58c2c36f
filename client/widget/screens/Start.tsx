// The first message, written at once and sealed to the team before anyone has answered.
import { useState } from 'preact/hooks';
import { errorText, fill } from '../i18n/index.js';
import type { App } from '../state/app.js';
import { ErrorNote, FormActions, Heading } from '../components.js';

export function Start(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const parent = s.startCategory === 'parent';
  const [text, setText] = useState('');
  const [danger, setDanger] = useState(false);
  const submit = (e: Event) => {
    e.preventDefault();
    if (text.trim() === '' || s.busy) return;
    void app.startChat(text.trim(), danger);
  };
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{parent ? m.startParentHeading : m.startChatHeading}</Heading>
      {s.answeredBy === null ? null : <p class="hint">{fill(m.answeredBy, { org: s.answeredBy })}</p>}
      <form onSubmit={submit} autoComplete="off">
        <label for="first">{m.firstMessageLabel}</label>
        <p id="first-hint" class="hint">
          {parent ? m.parentMessageHint : m.firstMessageHint}
        </p>
        <textarea id="first" rows={4} maxLength={4000} value={text} aria-describedby="first-hint" required onInput={(e) => setText((e.currentTarget as HTMLTextAreaElement).value)} />
        {parent ? null : (
          <label class="check danger">
            <input type="checkbox" checked={danger} aria-describedby="danger-hint" onChange={(e) => {
                const checked = (e.currentTarget as HTMLInputElement).checked;
                setDanger(checked);
                app.markDanger(checked);
              }} />
            {m.dangerLabel}
          </label>
        )}
        {parent ? null : (
          <p id="danger-hint" class="hint">
            {m.dangerHint}
          </p>
        )}
        <ErrorNote text={s.error === null ? null : errorText(m, s.error)} />
        <FormActions busy={s.busy} label={m.send} busyLabel={m.preparing} backLabel={m.back} onBack={() => app.go('home')} />
      </form>
    </main>
  );
}
