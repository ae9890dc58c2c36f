// The closed team's text: the visitor's language first, then Swedish, nothing when open or empty.
import { describe, expect, it } from 'vitest';
import { closedText, type TeamNotice } from './notice.js';

const notice = (open: boolean, text: Partial<TeamNotice['text']>): TeamNotice => ({ team: 'unga', open, holiday: true, text: { sv: '', en: '', ar: '', ...text } });

describe('closed text', () => {
  it('picks the visitor language, falls back to Swedish, and says nothing when open or empty', () => {
    const both = notice(false, { sv: 'Stängt i dag.', ar: ' مغلق اليوم. ' });
    expect(closedText(both, 'ar')).toEqual({ text: 'مغلق اليوم.', lang: 'ar' });
    expect(closedText(both, 'en')).toEqual({ text: 'Stängt i dag.', lang: 'sv' });
    expect(closedText(notice(false, { en: 'Closed.' }), 'sv')).toBeNull();
    expect(closedText(notice(true, { sv: 'Stängt i dag.' }), 'sv')).toBeNull();
    expect(closedText(null, 'sv')).toBeNull();
  });
});
