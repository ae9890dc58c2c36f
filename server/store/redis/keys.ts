// Names every key and channel of the store. Braces are Redis Cluster hash tags: all keys of one
// conversation share a slot, so atomic scripts touch one slot only.
import type { ConversationId, ResponderId, TeamId } from '../../../contract/ids.js';

export interface Keys {
  conversation(id: ConversationId): string;
  log(id: ConversationId): string;
  dedupe(id: ConversationId): string;
  /** A conversation's team notes (hash: place → JSON), in its slot. */
  notes(id: ConversationId): string;
  /** Pub/sub channel of one conversation (same slot as its keys, for sharded pub/sub). */
  conversationChannel(id: ConversationId): string;
  /** Pub/sub channel of one team (queue changes). */
  teamChannel(team: TeamId): string;
  /** Pub/sub channel of the deployment's staff events (deactivations). */
  staffChannel(): string;
  queue(team: TeamId): string;
  duty(team: TeamId): string;
  presence(responder: ResponderId): string;
  once(key: string): string;
  secret(name: string): string;
  responder(id: ResponderId): string;
  responderLogin(login: string): string;
  team(id: TeamId): string;
  teamIndex(): string;
  session(idHash: string): string;
  audit(): string;
  stats(day: string): string;
  /** Set of the days that have a stats hash (for retention). */
  statsDays(): string;
  records(collection: string): string;
  /** One expiring visitor record, and the index (sorted by expiry) of its collection: same slot. */
  expiring(collection: string, id: string): string;
  expiringIndex(collection: string): string;
  /** One callback request's record. */
  callback(id: ConversationId): string;
  /** A callback list's index: a team's waiting requests, a responder's held or called ones. */
  callbackList(list: 'waiting' | 'claimed' | 'held' | 'done', owner: string): string;
  /** One budget counter (CounterStore). */
  counter(name: string): string;
}

/** Builds the key namer; `prefix` separates deployments or test runs sharing one Redis. */
export function createKeys(prefix = ''): Keys {
  const p = prefix === '' ? '' : `${prefix}:`;
  return {
    conversation: (id) => `${p}conv:{${id}}`,
    log: (id) => `${p}conv:{${id}}:log`,
    dedupe: (id) => `${p}conv:{${id}}:dedupe`,
    notes: (id) => `${p}conv:{${id}}:notes`,
    conversationChannel: (id) => `${p}conv:{${id}}:events`,
    teamChannel: (team) => `${p}team:{${team}}:events`,
    staffChannel: () => `${p}records:{staff}:events`,
    queue: (team) => `${p}queue:{${team}}`,
    duty: (team) => `${p}duty:{${team}}`,
    presence: (responder) => `${p}presence:{${responder}}`,
    once: (key) => `${p}once:{${key}}`,
    secret: (name) => `${p}secret:{${name}}`,
    responder: (id) => `${p}responder:{${id}}`,
    responderLogin: (login) => `${p}responder-login:{${login}}`,
    team: (id) => `${p}team:{${id}}`,
    teamIndex: () => `${p}teams`,
    session: (idHash) => `${p}session:{${idHash}}`,
    audit: () => `${p}audit`,
    stats: (day) => `${p}stats:{${day}}`,
    statsDays: () => `${p}stats:index`,
    records: (collection) => `${p}records:{${collection}}`,
    expiring: (collection, id) => `${p}exp:{${collection}}:${id}`,
    expiringIndex: (collection) => `${p}exp:{${collection}}`,
    callback: (id) => `${p}callback:{${id}}`,
    callbackList: (list, owner) => `${p}callbacks:${list}:{${owner}}`,
    counter: (name) => `${p}counter:{${name}}`,
  };
}
