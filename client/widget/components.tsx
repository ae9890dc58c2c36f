// Small presentational pieces shared by the screens: header with language picker and quick exit,
// emergency numbers, focused headings.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { LANGUAGES, type Lang, type Messages } from './i18n/index.js';
import { languageName } from '../shared/i18n/languages.js';
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
              {languageName(l)}
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

/** Emergency numbers first; a parent gets the adults' lines instead of BRIS's line for children. */
export function Emergency(props: { m: Messages; prominent?: boolean; parent?: boolean }) {
  const { m } = props;
  const lines: Array<[string, string]> = [
    ['112', m.emergency112],
    ['11414', m.emergencyPolice],
    ...((props.parent === true
      ? [
          ['0771505050', m.parentHelpBris],
          ['020852000', m.parentHelpLine],
        ]
      : [['116111', m.emergencyBris]]) as Array<[string, string]>),
  ];
  return (
    <section class={props.prominent === true ? 'emergency prominent' : 'emergency'} aria-labelledby="emergency-title">
      <h2 id="emergency-title">{props.parent === true ? m.parentEmergencyTitle : m.emergencyTitle}</h2>
      <ul>
        {lines.map(([tel, text]) => (
          <li key={tel}>
            <a href={`tel:${tel}`}>
              <LtrNumbers text={text} />
            </a>
          </li>
        ))}
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
