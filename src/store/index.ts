export * from './models';
export { connectStore, type ConnectStoreOptions, type Store, type StoreLogger } from './connect';
export { insertKeepingDuplicates, isDuplicateKeyError } from './errors';
export {
  applyPartitionUsage,
  readUsage,
  UsageWriteConflict,
  type PartitionUsage,
  type UsageDelta,
  type UsageSummary,
} from './usage-counter';
