// Writes of one event-loop turn leave together: each socket is corked once per turn and uncorked
// by one setImmediate, after everything that turn wrote to it.
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createWriteBatch } from './write-batch.js';

/** A stream that records each batch the underlying sink receives (one per _writev/_write call). */
function sink() {
  const batches: string[][] = [];
  const stream = new PassThrough({ decodeStrings: false });
  stream._writev = (chunks, done) => {
    batches.push(chunks.map((c) => String(c.chunk)));
    done();
  };
  stream._write = (chunk, _encoding, done) => {
    batches.push([String(chunk)]);
    done();
  };
  return { stream, batches };
}

describe('write batch', () => {
  it('sends what one turn wrote to a socket as one batch, per socket, after the turn', async () => {
    const batch = createWriteBatch();
    const a = sink();
    const b = sink();
    for (const [s, text] of [[a, 'ack'], [b, 'msg'], [a, 'echo']] as const) {
      batch.hold(s.stream);
      s.stream.write(text);
    }
    expect(a.batches).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.batches).toEqual([['ack', 'echo']]);
    expect(b.batches).toEqual([['msg']]);
    expect(a.stream.writableCorked).toBe(0);

    batch.hold(a.stream);
    a.stream.write('next turn');
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.batches).toEqual([['ack', 'echo'], ['next turn']]);
  });
});
