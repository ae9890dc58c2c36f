// Callback request: phone (Swedish or international), time window, language, note, the verification
// word, and a plain statement of what is stored, who can read it and when it is deleted.
import { useState } from 'preact/hooks';
import { errorText, fill } from '../i18n/index.js';
import { checkPhone } from '../phone.js';
import type { App } from '../state/app.js';
import { ErrorNote, FormActions, Heading } from '../components.js';

const CALLBACK_DAYS = 7;

export function Callback(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const [phone, setPhone] = useState('');
  const [phoneError, setPhoneError] = useState(false);
  const [time, setTime] = useState('any');
  const [language, setLanguage] = useState<string>(s.lang);
  const [note, setNote] = useState('');
  const times: Array<[string, string]> = [
    ['any', m.timeAny],
    ['morning', m.timeMorning],
    ['afternoon', m.timeAfternoon],
    ['evening', m.timeEvening],
  ];
  const submit = (e: Event) => {
    e.preventDefault();
    const checked = checkPhone(phone);
    if (!checked.ok) {
      setPhoneError(true);
      document.getElementById('phone')?.focus();
      return;
    }
    setPhoneError(false);
    const timeLabel = times.find(([k]) => k === time)?.[1] ?? time;
    void app.submitCallback({ phone: checked.e164, timeWindow: timeLabel, language, note: note.trim() });
  };
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.callbackHeading}</Heading>
      <form onSubmit={submit} autoComplete="off" noValidate>
        <label for="phone">{m.phoneLabel}</label>
        <p id="phone-hint" class="hint">
          {m.phoneHint}
        </p>
        <input
          id="phone"
          type="tel"
          inputMode="tel"
          autoComplete="off"
          maxLength={40}
          value={phone}
          aria-invalid={phoneError}
          aria-describedby={phoneError ? 'phone-hint phone-error' : 'phone-hint'}
          onInput={(e) => setPhone((e.currentTarget as HTMLInputElement).value)}
        />
        {phoneError ? (
          <p id="phone-error" class="error" role="alert">
            {m.phoneInvalid}
          </p>
        ) : null}
        <fieldset>
          <legend>{m.timeLabel}</legend>
          {times.map(([k, label]) => (
            <label class="check" key={k}>
              <input type="radio" name="time" value={k} checked={time === k} onChange={() => setTime(k)} />
              {label}
            </label>
          ))}
        </fieldset>
        <label for="call-lang">{m.callLanguageLabel}</label>
        <select id="call-lang" value={language} onChange={(e) => setLanguage((e.currentTarget as HTMLSelectElement).value)}>
          {Object.entries(m.languages).map(([code, name]) => (
            <option key={code} value={code}>
              {name}
            </option>
          ))}
        </select>
        <label for="note">{m.noteLabel}</label>
        <p id="note-hint" class="hint">
          {m.noteHint}
        </p>
        <textarea id="note" rows={3} maxLength={1000} value={note} aria-describedby="note-hint" onInput={(e) => setNote((e.currentTarget as HTMLTextAreaElement).value)} />
        <section class="panel" aria-labelledby="word-h">
          <h2 id="word-h">{m.wordTitle}</h2>
          <p data-testid="verification-word">{s.verificationWord === null ? m.busy : fill(m.wordText, { word: s.verificationWord })}</p>
        </section>
        <section class="panel" aria-labelledby="storage-h">
          <h2 id="storage-h">{m.storageTitle}</h2>
          <p>{fill(m.storageText, { n: CALLBACK_DAYS })}</p>
        </section>
        <ErrorNote text={s.error === null ? null : errorText(m, s.error)} />
        <FormActions busy={s.busy} disabled={s.verificationWord === null} label={m.callbackSubmit} busyLabel={m.sending} backLabel={m.back} onBack={() => app.go('home')} />
      </form>
    </main>
  );
}

export function CallbackDone(props: { app: App }) {
  const { app } = props;
  const s = app.store.get();
  const m = app.messages();
  const done = s.callbackDone;
  return (
    <main id="main">
      <Heading serial={s.screenSerial}>{m.callbackDoneHeading}</Heading>
      <p class="big">{fill(m.callbackDoneText, { word: done?.word ?? '' })}</p>
      <p>{fill(m.storageText, { n: CALLBACK_DAYS })}</p>
      <ErrorNote text={s.error === null ? null : errorText(m, s.error)} />
      <div class="actions">
        <button type="button" class="danger-button" disabled={s.busy} onClick={() => void app.deleteCallback()}>
          {m.callbackDelete}
        </button>
        <button type="button" class="link" onClick={() => app.go('home')}>
          {m.back}
        </button>
      </div>
    </main>
  );
}
