// The Redis adapter of the Store port.
export { createRedisStore, isUnavailableError, type RedisStoreOptions } from './redis-store.js';
