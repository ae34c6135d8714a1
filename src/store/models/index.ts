import type { Connection } from 'mongoose';
import { alertStateSchema } from './alert-state';
import { auditEntrySchema } from './audit-entry';
import { bindingSchema } from './binding';
import { channelWorkspaceSchema } from './channel-workspace';
import { chatDeliverySchema } from './chat-delivery';
import { dataConnectionSchema } from './data-connection';
import { homeViewersSchema } from './home-viewers';
import { invoiceSchema } from './invoice';
import { jobSchema } from './job';
import { jobRunSchema } from './job-run';
import { jobRunViewSchema, openRunSchema } from './job-run-views';
import { leaseSchema } from './lease';
import { linkCodeSchema } from './link-code';
import { mailClaimSchema, mailSchema } from './mail';
import { memberSchema } from './member';
import { notificationRuleSchema } from './notification-rule';
import { retryJobSchema } from './retry-job';
import { slackInstallationSchema } from './slack-installation';
import { subscriptionSchema } from './subscription';
import { systemSchema } from './system';
import { tenantSchema } from './tenant';
import { topUpSchema } from './top-up';
import { transferSchema } from './transfer';
import { transferEventSchema } from './transfer-event';
import { transferViewSchema } from './transfer-views';
import { usageSchema } from './usage';

export * from './alert-state';
export * from './audit-entry';
export * from './binding';
export * from './channel-workspace';
export * from './chat-delivery';
export * from './data-connection';
export * from './home-viewers';
export * from './invoice';
export * from './job';
export * from './job-run';
export * from './job-run-views';
export * from './lease';
export * from './link-code';
export * from './mail';
export * from './member';
export * from './notification-rule';
export * from './retry-job';
export * from './slack-installation';
export * from './subscription';
export * from './system';
export * from './tenant';
export * from './top-up';
export * from './transfer';
export * from './transfer-event';
export * from './transfer-views';
export * from './usage';

function compile(connection: Connection) {
  return {
    Tenant: connection.model('Tenant', tenantSchema),
    System: connection.model('System', systemSchema),
    DataConnection: connection.model('DataConnection', dataConnectionSchema),
    Job: connection.model('Job', jobSchema),
    JobRun: connection.model('JobRun', jobRunSchema),
    OpenRun: connection.model('OpenRun', openRunSchema),
    JobRunView: connection.model('JobRunView', jobRunViewSchema),
    Transfer: connection.model('Transfer', transferSchema),
    TransferEvent: connection.model('TransferEvent', transferEventSchema),
    TransferView: connection.model('TransferView', transferViewSchema),
    Usage: connection.model('Usage', usageSchema),
    Subscription: connection.model('Subscription', subscriptionSchema),
    Invoice: connection.model('Invoice', invoiceSchema),
    TopUp: connection.model('TopUp', topUpSchema),
    Member: connection.model('Member', memberSchema),
    NotificationRule: connection.model('NotificationRule', notificationRuleSchema),
    Binding: connection.model('Binding', bindingSchema),
    LinkCode: connection.model('LinkCode', linkCodeSchema),
    AuditEntry: connection.model('AuditEntry', auditEntrySchema),
    AlertState: connection.model('AlertState', alertStateSchema),
    Lease: connection.model('Lease', leaseSchema),
    Mail: connection.model('Mail', mailSchema),
    MailClaim: connection.model('MailClaim', mailClaimSchema),
    ChatDelivery: connection.model('ChatDelivery', chatDeliverySchema),
    HomeViewers: connection.model('HomeViewers', homeViewersSchema),
    ChannelWorkspace: connection.model('ChannelWorkspace', channelWorkspaceSchema),
    RetryJob: connection.model('RetryJob', retryJobSchema),
    SlackInstallation: connection.model('SlackInstallation', slackInstallationSchema),
  };
}

/** The models of one connection, by name. */
export type Models = ReturnType<typeof compile>;

const registered = new WeakMap<Connection, Models>();

/**
 * Registers every model on `connection` (not on mongoose's global default connection, so a test
 * can hold several isolated databases). Calling it again for the same connection returns the
 * same models instead of failing with OverwriteModelError.
 */
export function createModels(connection: Connection): Models {
  let models = registered.get(connection);
  if (!models) {
    models = compile(connection);
    registered.set(connection, models);
  }
  return models;
}
