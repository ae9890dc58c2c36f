// The workspace's chats and queue: what the responder reads about waiting conversations, own load,
// the lock, and conversations the young person has left.
import { defineArea } from '../area.js';

export const chatsArea = defineArea({
  sv: {
    lockExpired: 'Skärmen var låst för länge. Logga in igen.',
    queueFull: '{n} väntar – du har fullt. Avsluta ett samtal eller höj hur många du kan ta.',
    errAtCapacity: 'Du har redan så många samtal som du har sagt att du kan ta. Avsluta ett först, eller höj antalet under Tjänstgöring.',
  },
  en: {
    lockExpired: 'The screen was locked for too long. Log in again.',
    queueFull: '{n} waiting – you are full. Close a conversation or raise how many you can take.',
    errAtCapacity: 'You already have as many conversations as you said you can take. Close one first, or raise the number under Duty.',
  },
  ar: {
    lockExpired: 'كانت الشاشة مقفلة لفترة طويلة. سجّل الدخول مرة أخرى.',
    queueFull: '{n} في الانتظار – لديك العدد الكامل. أنهِ محادثة أو ارفع عدد المحادثات التي يمكنك استلامها.',
    errAtCapacity: 'لديك بالفعل العدد الذي قلت إنك تستطيع استلامه. أنهِ محادثة أولاً، أو ارفع العدد في المناوبة.',
  },
});
