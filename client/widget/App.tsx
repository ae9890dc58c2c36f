// The widget's root component: header (language, quick exit) and the current screen.
import { useEffect } from 'preact/hooks';
import { Header } from './components.js';
import type { App as AppController } from './state/app.js';
import { useStore } from './state/store.js';
import { Callback, CallbackDone } from './screens/Callback.js';
import { Chat } from './screens/Chat.js';
import { Home } from './screens/Home.js';
import { OutOfHours } from './screens/OutOfHours.js';
import { Deleted, Resume } from './screens/Resume.js';
import { Start } from './screens/Start.js';

export function App(props: { app: AppController }) {
  const { app } = props;
  const s = useStore(app.store);
  useEffect(() => app.start(), [app]);
  const m = app.messages();
  let screen;
  switch (s.screen) {
    case 'home':
      screen = <Home app={app} />;
      break;
    case 'offhours':
      screen = <OutOfHours app={app} />;
      break;
    case 'start':
      screen = <Start app={app} />;
      break;
    case 'chat':
      screen = s.conversation === null ? <Home app={app} /> : <Chat app={app} conversation={s.conversation} />;
      break;
    case 'callback':
      screen = <Callback app={app} />;
      break;
    case 'callback-done':
      screen = <CallbackDone app={app} />;
      break;
    case 'resume':
      screen = <Resume app={app} />;
      break;
    case 'deleted':
      screen = <Deleted app={app} />;
      break;
  }
  return (
    <div class="widget">
      <Header m={m} lang={s.lang} demo={app.demo} onLang={(l) => app.setLang(l)} onExit={() => app.quickExit()} onHome={() => app.home()} />
      {screen}
    </div>
  );
}
