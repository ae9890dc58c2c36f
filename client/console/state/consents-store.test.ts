// The consents sub-store against an in-memory consents API: every page read (at most the cap), each
// identity opened field by field with its version, a consent that does not open shown without one,
// deletion and the copy audit.
import { describe, expect, it } from 'vitest';
import { createConsentsStore, MAX_CONSENT_PAGES, type Consent, type ConsentsState } from './consents-store.js';
import { fakeSlice, recordingGuard, sealedWorld, T0 } from './fakes.case.js';

async function setup(pages: Consent[][]) {
  const world = await sealedWorld('consents-store');
  const { guard } = recordingGuard();
  const calls: string[] = [];
  const state = fakeSlice<ConsentsState>({ consents: [] });
  const store = createConsentsStore({
    state,
    api: {
      consents: async (cursor) => {
        calls.push(`page ${cursor ?? 'first'}`);
        const n = cursor === null ? 0 : Number(cursor);
        return { items: pages[n] ?? [], next: n + 1 < pages.length ? String(n + 1) : null };
      },
      deleteConsent: async (id) => void calls.push(`delete ${id}`),
      consentCopied: async (id) => void calls.push(`copied ${id}`),
    },
    inbox: () => world.keys.inbox,
    guard,
  });
  return { world, store, state, calls };
}

const item = (id: string, sealed: string): Consent => ({ id, team: 'unga', conversation: `conversation-${id}`, sealed, retentionDays: 30, createdAt: T0, expiresAt: T0 + 30 * 86_400_000 });

describe('consents store', () => {
  it('reads every page and opens each identity field by field, keeping the version', async () => {
    const pages: Consent[][] = [[], []];
    const { world, store, state, calls } = await setup(pages);
    pages[0]!.push(item('a', world.consent(JSON.stringify({ v: 2, conversation: 'x', name: 'Sam', phone: '0701', retentionDays: 30 }))));
    pages[1]!.push(item('b', world.consent('Sam, 0701')), item('c', world.consent('x').slice(0, 40)));
    await store.load();
    expect(calls).toEqual(['page first', 'page 1']);
    expect(state.get().consents.map((c) => [c.id, c.identity, c.version])).toEqual([
      ['a', [{ field: 'name', value: 'Sam' }, { field: 'phone', value: '0701' }], '2'],
      ['b', [{ field: 'text', value: 'Sam, 0701' }], null],
      ['c', null, null],
    ]);
  });

  it(`reads at most ${MAX_CONSENT_PAGES} pages`, async () => {
    const { store, calls } = await setup(Array.from({ length: MAX_CONSENT_PAGES + 5 }, () => []));
    await store.load();
    expect(calls).toHaveLength(MAX_CONSENT_PAGES);
  });

  it('deletes a consent and audits a copy', async () => {
    const pages: Consent[][] = [[]];
    const { world, store, state, calls } = await setup(pages);
    pages[0]!.push(item('a', world.consent('ett')), item('b', world.consent('två')));
    await store.load();
    await store.copied('b');
    await store.remove('a');
    expect(calls).toEqual(['page first', 'copied b', 'delete a']);
    expect(state.get().consents.map((c) => c.id)).toEqual(['b']);
    store.clear();
    expect(state.get().consents).toEqual([]);
  });
});
