// Continue a conversation with a resume code (after a reload, or on another device).
import { useState } from 'preact/hooks';
import { errorText } from '../i18n/index.js';
import type { App } from '../state/app.js';
import { ErrorNote, FormActions, Heading } from '../components.js';

export function Resume(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const [code, setCode] = useState('');
  const error = s.error === null ? null : s.error === 'bad_resume_code' ? m.resumeBad : s.error === 'resume_not_found' ? m.resumeNotFound : errorText(m, s.error);
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.resumeHeading}</Heading>
      <form
        autoComplete="off"
        onSubmit={(e) => {
          e.preventDefault();
          if (code.trim() !== '') void app.resume(code.trim());
        }}
      >
        <label for="code">{m.resumeLabel}</label>
        <input
          id="code"
          type="text"
          autoComplete="off"
          autoCapitalize="characters"
          spellcheck={false}
          maxLength={40}
          value={code}
          aria-invalid={error !== null}
          onInput={(e) => setCode((e.currentTarget as HTMLInputElement).value)}
        />
        <ErrorNote text={error} />
        <FormActions busy={s.busy} label={m.resumeSubmit} busyLabel={m.busy} backLabel={m.back} onBack={() => app.go('home')} />
      </form>
    </main>
  );
}

export function Deleted(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.deletedHeading}</Heading>
      <p>{m.deletedText}</p>
      <button type="button" class="primary" onClick={() => app.go('home')}>
        {m.startOver}
      </button>
    </main>
  );
}
