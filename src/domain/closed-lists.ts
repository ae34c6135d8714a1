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
export type StageStatus = (typeof STAGE_STATUSES)[number];

export const USAGE_OUTCOMES = ['created', 'updated', 'failed'] as const;
export type UsageOutcome = (typeof USAGE_OUTCOMES)[number];

/**
 * A platform's name as the store keeps it: in bindings, members, audit actors ('console' and
 * 'system' too) and notification recipients ('email' too). Open on purpose, checked by form only:
 * a chat platform is added by its folder under bots/ and one line in the composition root
 * (README, "Layout"), without a list of names to extend here.
 */
export const PLATFORM_NAME = /^[a-z][a-z0-9]{1,31}$/;
/** A chat platform people use the service from: 'slack', 'discord', and those added later. */
export type Platform = string;

/**
 * How the service learnt that its bot is no longer in a workspace: the platform said so (Discord's
 * guild delete), or a post was refused and the platform confirmed the bot is not there.
 */
export const WORKSPACE_GONE_REASONS = ['removed', 'refused'] as const;
export type WorkspaceGoneReason = (typeof WORKSPACE_GONE_REASONS)[number];

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

/** Where a notification rule sends: a chat platform's channel (kind is its name) or an e-mail address. */
export type RecipientKind = Platform | 'email';

export const DEFAULT_TIMEZONE = 'Europe/Copenhagen';
export const DEFAULT_QUOTA_THRESHOLDS: readonly number[] = [80, 100];
