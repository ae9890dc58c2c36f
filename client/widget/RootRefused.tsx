// Shown instead of the widget when no trusted root key can be pinned (see client/shared/root-pin.ts):
// the reason in every language at once, since nothing else of the widget runs.
import { CATALOGUES, LANGUAGES, isRtl } from './i18n/index.js';

export function RootRefused(props: { reason: 'unpinned' | 'mismatch' }) {
  return (
    <main id="main" class="root-refused" data-root-refused={props.reason}>
      {LANGUAGES.map((lang) => {
        const m = CATALOGUES[lang];
        return (
          <section key={lang} lang={lang} dir={isRtl(lang) ? 'rtl' : 'ltr'} role="alert">
            <h1>{m.rootRefusedTitle}</h1>
            <p>{props.reason === 'mismatch' ? m.rootRefusedMismatch : m.rootRefusedUnpinned}</p>
          </section>
        );
      })}
    </main>
  );
}
