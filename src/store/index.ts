export * from './models';
export { connectStore, type ConnectStoreOptions, type Store, type StoreLogger } from './connect';
export { bulkUpsert, insertKeepingDuplicates, isDuplicateKeyError } from './errors';
export {
  applyPartitionUsage,
  applyPartitionUsages,
  readUsage,
  recordPartition,
  type PartitionUsage,
  type UsageDelta,
  type UsageSummary,
} from './usage-counter';
export {
  chunked,
  mapBounded,
  setStoreBulkMax,
  setStoreUpdateConcurrency,
  storeBulkMax,
  withUpdateSlots,
} from './bounded';
export * from './transfer-views';
export {
  closeOpenRun,
  jobRunViewIds,
  openJobRuns,
  pruneJobRuns,
  readJobRun,
  readJobRuns,
  recordJobRun,
  recordRecentRun,
  RECENT_RUNS_KEPT,
  upgradeLegacyJobRuns,
  type NewJobRun,
  type OpenJobRun,
  type PruneJobRunsOptions,
  type RecentRun,
} from './job-runs';
export { claimLease, dropExpiredLease, endLease, extendLease, readLease, type NewLease } from './leases';
export {
  createChatDeliveries,
  deliveryListName,
  type ChatDeliveries,
  type ChatDeliveriesOptions,
  type DeliveryBegin,
  type DeliveryClaim,
} from './chat-deliveries';
export { createHomeViewers, homeViewersId, type HomeViewer, type HomeViewers } from './home-viewers';
export {
  channelWorkspaceId,
  isWorkspaceGone,
  markWorkspaceGone,
  rememberChannelWorkspace,
  workspaceOfChannel,
} from './gone-workspaces';
export {
  createSlackInstallations,
  keyOfInstallation,
  slackInstallationId,
  type SlackInstallation,
  type SlackInstallationKey,
  type SlackInstallations,
  UnreadableInstallationError,
} from './slack-installations';
