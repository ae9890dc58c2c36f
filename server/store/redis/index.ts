// The Redis adapter of the Store port.
export { createRedisStore, isUnavailableError, type RedisStoreOptions } from './redis-store.js';
export type { Fanout, RedisAuth, RedisHost, RedisTopology } from './connect.js';
