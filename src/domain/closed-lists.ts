/**
 * Closed value lists of the store. Each is one exported const so that schemas, zod parsers and
 * command choices are built from the same list.
 */

export const SYSTEM_KINDS = [
  'shopify',
  'woocommerce',
  'magento',
  'e-conomic',
  'dinero',
  'billy',
  'uniconta',
  'visma-business',
  'other',
] as const;
export type SystemKind = (typeof SYSTEM_KINDS)[number];

export const SYSTEM_ROLES = ['source', 'target'] as const;
export type SystemRole = (typeof SYSTEM_ROLES)[number];

export const CONNECTION_MODES = ['schedule', 'webhook'] as const;
export type ConnectionMode = (typeof CONNECTION_MODES)[number];

export const JOB_RUN_STATUSES = ['running', 'succeeded', 'failed', 'no_answer', 'skipped', 'missed'] as const;
export type JobRunStatus = (typeof JOB_RUN_STATUSES)[number];

export const TRANSFER_STATUSES = ['started', 'succeeded', 'failed', 'held'] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

export const STAGE_STATUSES = ['started', 'succeeded', 'failed', 'skipped'] as const;

export const USAGE_OUTCOMES = ['created', 'updated', 'failed'] as const;
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

export const PLATFORMS = ['slack', 'discord'] as const;
export type Platform = (typeof PLATFORMS)[number];

/** Audit actors include the terminal console and the service itself (e.g. an automatic top-up). */
export const ACTOR_PLATFORMS = [...PLATFORMS, 'console', 'system'] as const;
export type ActorPlatform = (typeof ACTOR_PLATFORMS)[number];

/** A member's role, lowest first: viewers read; admins change; the owner also manages members. */
export const ROLES = ['viewer', 'admin', 'owner'] as const;
export type Role = (typeof ROLES)[number];

export const NOTIFICATION_TRIGGERS = [
  'transfer.failed',
  'quota.threshold',
  'topup.auto',
  'digest',
  'job.missed',
] as const;
export type NotificationTrigger = (typeof NOTIFICATION_TRIGGERS)[number];

export const RECIPIENT_KINDS = ['slack', 'discord', 'email'] as const;
export type RecipientKind = (typeof RECIPIENT_KINDS)[number];

export const DEFAULT_TIMEZONE = 'Europe/Copenhagen';
export const DEFAULT_QUOTA_THRESHOLDS: readonly number[] = [80, 100];
