// Which root a client trusts: the build's pin wins and refuses any other offer; the snippet pins a
// build without one; a page supplies a root only as a marked demo; anything else refuses.
import { describe, expect, it } from 'vitest';
import { resolveRootPin } from './root-pin.js';

const A = 'A'.repeat(43);
const B = 'B'.repeat(43);
const none = { built: undefined, snippet: null, page: null, pageIsDemo: false };

describe('resolveRootPin', () => {
  it('uses the build pin and refuses a page or snippet that offers another root', () => {
    expect(resolveRootPin({ ...none, built: A })).toEqual({ kind: 'pinned', key: A, source: 'build' });
    expect(resolveRootPin({ ...none, built: A, page: A, pageIsDemo: true })).toEqual({ kind: 'pinned', key: A, source: 'build' });
    expect(resolveRootPin({ ...none, built: A, page: B })).toEqual({ kind: 'refused', reason: 'mismatch' });
    expect(resolveRootPin({ ...none, built: A, page: B, pageIsDemo: true })).toEqual({ kind: 'refused', reason: 'mismatch' });
    expect(resolveRootPin({ ...none, built: A, snippet: B })).toEqual({ kind: 'refused', reason: 'mismatch' });
  });

  it('without a build pin, trusts the snippet (host page, SRI-pinned loader) but not a page that differs', () => {
    expect(resolveRootPin({ ...none, snippet: A })).toEqual({ kind: 'pinned', key: A, source: 'snippet' });
    expect(resolveRootPin({ ...none, snippet: A, page: B })).toEqual({ kind: 'refused', reason: 'mismatch' });
  });

  it('takes a root from a page only when the page is a demo, and refuses otherwise', () => {
    expect(resolveRootPin({ ...none, page: A, pageIsDemo: true })).toEqual({ kind: 'demo', key: A });
    expect(resolveRootPin({ ...none, page: A })).toEqual({ kind: 'refused', reason: 'unpinned' });
    expect(resolveRootPin(none)).toEqual({ kind: 'refused', reason: 'unpinned' });
    expect(resolveRootPin({ ...none, built: 'short', page: A })).toEqual({ kind: 'refused', reason: 'unpinned' });
  });
});
