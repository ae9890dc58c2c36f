// Shown instead of the console when no trusted root key can be pinned (client/shared/root-pin.ts): the
// reason in every language at once, since nothing else of the console runs.
import { CATALOGUES, LOCALES, directionOf } from '../i18n/index.js';

export function RootRefused(props: { reason: 'unpinned' | 'mismatch' }) {
  return (
    <main id="main" class="root-refused" data-root-refused={props.reason}>
      {LOCALES.map(({ id }) => {
        const m = CATALOGUES[id];
        return (
          <section key={id} lang={id} dir={directionOf(id)} role="alert">
            <h1>{m.rootRefusedTitle}</h1>
            <p>{props.reason === 'mismatch' ? m.rootRefusedMismatch : m.rootRefusedUnpinned}</p>
          </section>
        );
      })}
    </main>
  );
}
