// Verification words for callback requests: the responder says the word when calling, so the young person knows the call is genuine.
import { systemRandom, type Random } from './random.js';

/** 64 short, everyday Swedish words that are easy to say and hear on a phone (6 bits each). */
export const VERIFICATION_WORDS: readonly string[] = [
  'äpple', 'banan', 'citron', 'druva', 'gurka', 'hallon', 'jordgubbe', 'kanel',
  'lingon', 'mango', 'nötter', 'oliv', 'päron', 'russin', 'smultron', 'tomat',
  'blåbär', 'morot', 'persika', 'plommon', 'körsbär', 'melon', 'ananas', 'kiwi',
  'älg', 'björn', 'delfin', 'falk', 'giraff', 'hund', 'igelkott', 'katt',
  'lejon', 'mus', 'orm', 'panda', 'räv', 'säl', 'tiger', 'uggla',
  'val', 'zebra', 'bäver', 'ekorre', 'haj', 'krokodil', 'pingvin', 'struts',
  'berg', 'dal', 'flod', 'hav', 'is', 'moln', 'regn', 'skog',
  'snö', 'sol', 'stjärna', 'storm', 'sjö', 'ö', 'äng', 'vind',
];

/**
 * Two random words joined by a space (12 bits; enough for a human check during one call, not a secret
 * against guessing). The visitor shows it after sending the callback request.
 */
export function generateVerificationWord(random: Random = systemRandom): string {
  const b = random(2);
  return `${VERIFICATION_WORDS[(b[0] as number) & 63]} ${VERIFICATION_WORDS[(b[1] as number) & 63]}`;
}
