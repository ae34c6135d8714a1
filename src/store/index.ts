export * from './models';
export { connectStore, type ConnectStoreOptions, type Store, type StoreLogger } from './connect';
export { createKeyedLock, type KeyedLock } from './keyed-lock';
export { isDuplicateKeyError } from './errors';
export { incrementUsage, usageUpdate, type UsageIncrement } from './usage-counter';
