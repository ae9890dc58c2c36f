// A screen whose code is fetched the first time it is shown (admin and statistics screens, enrolment),
// so the login screen's first load does not carry it. Until it arrives the screen says it is loading.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useConsole } from './context.js';

export function lazyScreen<P extends object>(load: () => Promise<ComponentType<P>>): ComponentType<P> {
  let loaded: ComponentType<P> | null = null;
  let pending: Promise<void> | null = null;
  const fetchOnce = () => (pending ??= load().then((component) => void (loaded = component)));
  return function LazyScreen(props: P) {
    const { t } = useConsole();
    const [, setReady] = useState(loaded !== null);
    useEffect(() => {
      let live = true;
      if (loaded === null) void fetchOnce().then(() => live && setReady(true));
      return () => {
        live = false;
      };
    }, []);
    const Screen = loaded;
    return Screen === null ? <p role="status">{t('screenLoading')}</p> : <Screen {...props} />;
  };
}
