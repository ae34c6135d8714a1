export * from './models';
export { connectStore, type ConnectStoreOptions, type Store, type StoreLogger } from './connect';
export { insertKeepingDuplicates, isDuplicateKeyError } from './errors';
export {
  applyPartitionUsage,
  applyPartitionUsages,
  readUsage,
  recordPartition,
  usageDocId,
  type PartitionUsage,
  type UsageDelta,
  type UsageSummary,
} from './usage-counter';
export { chunked, mapBounded, setStoreBulkMax, storeBulkMax } from './bounded';
export * from './transfer-views';
