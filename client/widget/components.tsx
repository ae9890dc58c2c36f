// Small presentational pieces shared by the screens: header with language picker and quick exit,
// emergency numbers, focused headings.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { CATALOGUES, LANGUAGES, type Lang, type Messages } from './i18n/index.js';
import { LtrNumbers } from '../shared/ltr-numbers.js';

export function Header(props: { m: Messages; lang: Lang; demo?: boolean; onLang: (l: Lang) => void; onExit: () => void; onHome: () => void }) {
  const { m } = props;
  return (
    <header class="top">
      <button type="button" class="brand" onClick={props.onHome}>
        {m.appName}
      </button>
      <label class="lang">
        <span class="visually-hidden">{m.languageLabel}</span>
        <select value={props.lang} onChange={(e) => props.onLang((e.currentTarget as HTMLSelectElement).value as Lang)}>
          {LANGUAGES.map((l) => (
            <option key={l} value={l} lang={l}>
              {CATALOGUES[l].langName}
            </option>
          ))}
        </select>
      </label>
      <button type="button" class="exit" onClick={props.onExit} aria-describedby="exit-hint">
        {m.quickExit}
        <span class="exit-key" aria-hidden="true">
          Esc
        </span>
      </button>
      <span id="exit-hint" class="visually-hidden">
        {m.quickExitHint}
      </span>
      {props.demo === true && (
        <p class="demo-banner" role="note">
          {m.demoBanner}
        </p>
      )}
    </header>
  );
}

export function Emergency(props: { m: Messages; prominent?: boolean }) {
  const { m } = props;
  return (
    <section class={props.prominent === true ? 'emergency prominent' : 'emergency'} aria-labelledby="emergency-title">
      <h2 id="emergency-title">{m.emergencyTitle}</h2>
      <ul>
        <li>
          <a href="tel:112"><LtrNumbers text={m.emergency112} /></a>
        </li>
        <li>
          <a href="tel:11414"><LtrNumbers text={m.emergencyPolice} /></a>
        </li>
        <li>
          <a href="tel:116111"><LtrNumbers text={m.emergencyBris} /></a>
        </li>
      </ul>
    </section>
  );
}

/** The screen's heading; takes focus when the screen appears (serial changes), for screen readers and keyboards. */
export function Heading(props: { serial: number; children: ComponentChildren }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (props.serial > 0) ref.current?.focus();
  }, [props.serial]);
  return (
    <h1 tabIndex={-1} ref={ref}>
      {props.children}
    </h1>
  );
}

export function ErrorNote(props: { text: string | null }) {
  return props.text === null ? null : (
    <p class="error" role="alert">
      {props.text}
    </p>
  );
}

/** A form's submit button (its label swaps while busy) and the way back to the first screen. */
export function FormActions(props: { busy: boolean; disabled?: boolean; label: string; busyLabel: string; backLabel: string; onBack: () => void }) {
  return (
    <div class="actions">
      <button type="submit" class="primary" disabled={props.busy || props.disabled === true} aria-busy={props.busy}>
        {props.busy ? props.busyLabel : props.label}
      </button>
      <button type="button" class="link" onClick={props.onBack}>
        {props.backLabel}
      </button>
    </div>
  );
}
