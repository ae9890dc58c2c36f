// Durable acknowledgements: a message is acknowledged only once `replicas` replicas hold it (WAIT), so
// a primary that dies right after an acknowledgement cannot take the message with it. Concurrent
// writes share one round trip (group commit). A round checks that every entry it covers is on the
// primary it runs on (HGET of the cid in the dedupe hash) BEFORE writing its marker, then WAITs for
// the marker: WAIT waits for the primary's whole replication offset, so a confirmed round proves each
// checked entry is on a replica, whichever primary the append itself went to. Without the check, a
// round that reached the promoted replica after a failover would confirm an append the dead primary
// took with it.
import { StoreUnavailableError } from '../errors.js';
import type { RedisCommands, RedisConnection } from './connect.js';

/** A log entry just written (or found by its cid): where its cid is indexed, and its id. */
export interface WrittenEntry {
  /** The conversation's dedupe hash (cid → id); its slot is the log's. */
  readonly dedupe: string;
  readonly cid: string;
  readonly id: string;
}

export interface Durability {
  /** Resolves once `entry` is on enough replicas; rejects with StoreUnavailableError otherwise. */
  afterWrite(entry: WrittenEntry): Promise<void>;
  close(): Promise<void>;
}

export interface DurabilityOptions {
  /** Replicas that must confirm each acknowledged write; 0 turns the wait off. */
  readonly replicas: number;
  /** How long to wait for them before the write counts as failed (503; the client retries). */
  readonly timeoutMs: number;
  /** Key prefix of the marker keys (see markerKey). */
  readonly prefix: string;
}

export const NO_DURABILITY: Durability = { afterWrite: async () => undefined, close: async () => undefined };

/** Which entries of a round are confirmed (same order as given). */
type Round = (entries: readonly WrittenEntry[]) => Promise<readonly boolean[]>;

/**
 * Runs `round` for every caller, but at most one at a time: callers arriving while a round runs
 * join the next one, which starts when the running one ends (their writes may have come after the
 * running round's marker). A caller whose entry the round did not confirm is rejected.
 */
export function groupCommit(round: Round): (entry: WrittenEntry) => Promise<void> {
  let running = false;
  let queue: Array<{ entry: WrittenEntry; resolve: () => void; reject: (error: Error) => void }> = [];
  const next = () => {
    if (running || queue.length === 0) return;
    running = true;
    const batch = queue;
    queue = [];
    round(batch.map((p) => p.entry))
      .then(
        (held) => {
          for (const [i, p] of batch.entries()) {
            if (held[i] === true) p.resolve();
            else p.reject(new StoreUnavailableError('the message is not on the current primary (lost in a failover): send it again'));
          }
        },
        (error: unknown) => {
          const failure =
            error instanceof StoreUnavailableError
              ? error
              : new StoreUnavailableError(`the replicas could not confirm the write: ${(error as Error).message}`, { cause: error });
          for (const p of batch) p.reject(failure);
        },
      )
      .finally(() => {
        running = false;
        next();
      });
  };
  return (entry) =>
    new Promise<void>((resolve, reject) => {
      queue.push({ entry, resolve, reject });
      next();
    });
}

/** CRC16/XMODEM of the key's hash tag (or the whole key): the Redis Cluster slot. */
export function slotOf(key: string): number {
  const open = key.indexOf('{');
  if (open !== -1) {
    const close = key.indexOf('}', open + 1);
    if (close > open + 1) key = key.slice(open + 1, close);
  }
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit += 1) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

const MARKER_TTL_MS = 10_000;

/**
 * One round on the primary `commands` routes to (on a cluster: the first key's, so the entries'
 * dedupe hashes come first): the entries' ids as this primary has them, then a small marker key
 * (WAIT counts the replication offset of its own connection's last write; no visitor data, expires
 * on its own), then WAIT. Pipelined in that order on one connection, so every entry found was
 * written before the marker.
 */
async function checkMarkAndWait(commands: RedisCommands, marker: string, entries: readonly WrittenEntry[], options: DurabilityOptions): Promise<boolean[]> {
  const pipeline = commands.multi();
  for (const entry of entries) pipeline.hGet(entry.dedupe, entry.cid);
  const replies: readonly unknown[] = await pipeline
    .set(marker, '1', { expiration: { type: 'PX', value: MARKER_TTL_MS } })
    .wait(options.replicas, options.timeoutMs)
    .execAsPipeline();
  const confirmed = Number(replies[replies.length - 1]);
  if (confirmed < options.replicas) {
    throw new StoreUnavailableError(`only ${confirmed} of ${options.replicas} replicas confirmed the write within ${options.timeoutMs} ms`);
  }
  return entries.map((entry, i) => replies[i] === entry.id);
}

/**
 * Builds the wait on `own`, a connection of its own (a WAIT blocks the connection it runs on, so
 * never the shared command connection); one round at a time per primary. Closing it closes `own`.
 */
export function createDurability(own: RedisConnection, options: DurabilityOptions): Durability {
  const p = options.prefix === '' ? '' : `${options.prefix}:`;
  if (own.mode !== 'cluster') {
    const marker = `${p}durability-marker`;
    const wait = groupCommit((entries) => checkMarkAndWait(own.commands, marker, entries, options));
    return { afterWrite: (entry) => wait(entry), close: () => own.close() };
  }
  // On a cluster WAIT covers one master: one round at a time per master, each with a marker key in
  // a slot that master owns (found once per master by trying tags).
  const rounds = new Map<string, (entry: WrittenEntry) => Promise<void>>();
  const markers = new Map<string, string>();
  const markerOn = (address: string): string => {
    const known = markers.get(address);
    if (known !== undefined && own.masterOf(slotOf(known)) === address) return known;
    for (let n = 0; n < 100_000; n += 1) {
      const candidate = `${p}durability-marker:{${n}}`;
      if (own.masterOf(slotOf(candidate)) === address) {
        markers.set(address, candidate);
        return candidate;
      }
    }
    // The slot map changed under us (a failover): the write cannot be confirmed now.
    throw new StoreUnavailableError(`no slot found on master ${address}`);
  };
  return {
    afterWrite: (entry) => {
      const address = own.masterOf(slotOf(entry.dedupe));
      let wait = rounds.get(address);
      if (wait === undefined) {
        wait = groupCommit((entries) => checkMarkAndWait(own.commands, markerOn(address), entries, options));
        rounds.set(address, wait);
      }
      return wait(entry);
    },
    close: () => own.close(),
  };
}
