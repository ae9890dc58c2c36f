// The workspace's chats and queue: what the responder reads about waiting conversations, own load,
// the lock, and conversations the young person has left.
import { defineArea } from '../area.js';

export const chatsArea = defineArea({
  sv: {
    lockExpired: 'Skärmen var låst för länge. Logga in igen.',
  },
  en: {
    lockExpired: 'The screen was locked for too long. Log in again.',
  },
  ar: {
    lockExpired: 'كانت الشاشة مقفلة لفترة طويلة. سجّل الدخول مرة أخرى.',
  },
});
