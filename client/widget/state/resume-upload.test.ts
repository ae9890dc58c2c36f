// The resume blob: sealed under the code's blob key with the token, last id, recent transcript and
// consent, padded to a bucket, uploaded on the fixed beat only while a code and a session exist.
import { describe, expect, it } from 'vitest';
import * as C from '../../../crypto/index.js';
import { RESUME_DATA_BUCKETS, RESUME_UPLOAD_MS } from './resume-padding.js';
import { createResumeUpload, MAX_TRANSCRIPT, type ResumeSnapshot } from './resume-upload.js';
import type { ChatMessage } from './conversation-view.js';

const ID = C.conversationIdToString(new Uint8Array(16).fill(7) as Parameters<typeof C.conversationIdToString>[0]);

async function setup(withKeys = true) {
  await C.loadSodium();
  const { keys } = C.generateResumeCode();
  const puts: Array<{ id: string; token: string; lookup: string; blob: string }> = [];
  const intervals: Array<() => void> = [];
  let cleared = 0;
  let snapshot: ResumeSnapshot = { lastId: '5-1', messages: [{ key: 'a', from: 'me', text: 'hej' }], consent: null, sessionNumber: 1 };
  const upload = createResumeUpload({
    crypto: C,
    api: { putResume: async (id, token, lookup, blob) => (puts.push({ id, token, lookup, blob }), { expiresAt: 0 }) },
    conversation: { id: ID, token: 'tok', team: 'unga', category: 'chat' },
    keys: withKeys ? keys : null,
    snapshot: () => snapshot,
    timers: {
      setInterval: ((run: () => void) => (intervals.push(run), intervals.length)) as unknown as typeof setInterval,
      clearInterval: (() => void (cleared += 1)) as typeof clearInterval,
    },
  });
  const opened = (i: number) => {
    const blob = C.openResumeBlob(keys.blobKey, C.fromBase64url(puts[i]!.blob));
    return { blob, data: JSON.parse(new TextDecoder().decode(blob.data)) as Record<string, unknown> };
  };
  return { keys, upload, puts, intervals, opened, cleared: () => cleared, setSnapshot: (s: ResumeSnapshot) => void (snapshot = s) };
}

describe('resume upload', () => {
  it('seals token, last id, transcript and consent under the blob key, at the lookup hash', async () => {
    const { keys, upload, puts, opened } = await setup();
    await upload.uploadNow();
    expect(puts).toHaveLength(1);
    expect(puts[0]).toMatchObject({ id: ID, token: 'tok', lookup: C.toHex(C.resumeLookupHash(keys.lookupId)) });
    const { blob, data } = opened(0);
    expect(blob.team).toBe('unga');
    expect(blob.lastSessionNumber).toBe(1);
    expect(RESUME_DATA_BUCKETS as readonly number[]).toContain(blob.data.length);
    expect(data).toEqual({ token: 'tok', category: 'chat', lastId: '5-1', messages: [{ from: 'me', text: 'hej' }], consent: null });
  });

  it(`keeps the last ${MAX_TRANSCRIPT} messages`, async () => {
    const { upload, opened, setSnapshot } = await setup();
    const messages: ChatMessage[] = Array.from({ length: MAX_TRANSCRIPT + 5 }, (_, i) => ({ key: `k${i}`, from: 'them', text: `m${i}` }));
    setSnapshot({ lastId: null, messages, consent: { id: 'c', expiresAt: 9 }, sessionNumber: 2 });
    await upload.uploadNow();
    const { data } = opened(0);
    const kept = data.messages as Array<{ text: string }>;
    expect(kept).toHaveLength(MAX_TRANSCRIPT);
    expect(kept[0]?.text).toBe('m5');
    expect(data.consent).toEqual({ id: 'c', expiresAt: 9 });
  });

  it('uploads nothing without a code or without a session', async () => {
    const none = await setup(false);
    await none.upload.uploadNow();
    none.upload.schedule();
    expect(none.puts).toHaveLength(0);
    expect(none.intervals).toHaveLength(0);
    const noSession = await setup();
    noSession.setSnapshot({ lastId: null, messages: [], consent: null, sessionNumber: null });
    await noSession.upload.uploadNow();
    expect(noSession.puts).toHaveLength(0);
  });

  it('beats once per RESUME_UPLOAD_MS however often it is scheduled, and not after stop', async () => {
    const { upload, intervals, puts, cleared } = await setup();
    upload.schedule();
    upload.schedule();
    expect(intervals).toHaveLength(1);
    intervals[0]!();
    await Promise.resolve();
    expect(puts).toHaveLength(1);
    upload.stop(true);
    expect(cleared()).toBe(1);
    expect(upload.keys).toBeNull();
    upload.schedule();
    expect(intervals).toHaveLength(1);
    expect(RESUME_UPLOAD_MS).toBeGreaterThan(0);
  });
});
