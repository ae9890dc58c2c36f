// The courtesy alert for a new arrival in the queue or a new message in a chat: a short tone and, when permitted, a system
// notification whose text comes from the catalogue of the console's language.
import type { ArrivalAlert } from './queue-store.js';

/**
 * An alert on `win`; `body()` is the notification's sentence in the current language (a fixed
 * catalogue sentence, never a message's content); `tag` groups its notifications.
 */
export function createArrivalAlert(win: Window, body: () => string, tag = 'utvag-queue'): ArrivalAlert {
  const notifications = () => (win as unknown as { Notification?: typeof Notification }).Notification;
  return {
    async permit() {
      const N = notifications();
      if (N !== undefined && N.permission === 'default') await N.requestPermission().catch(() => 'denied');
    },
    ring() {
      try {
        const AudioCtx = (win as unknown as { AudioContext?: typeof AudioContext }).AudioContext;
        if (AudioCtx !== undefined) {
          const ctx = new AudioCtx();
          const osc = ctx.createOscillator();
          osc.frequency.value = 660;
          osc.connect(ctx.destination);
          osc.start();
          osc.stop(ctx.currentTime + 0.2);
        }
        const N = notifications();
        if (N !== undefined && N.permission === 'granted') new N('Utväg', { body: body(), tag });
      } catch {
        // Sound and notifications are a courtesy; the queue list shows the arrival anyway.
      }
    },
  };
}
