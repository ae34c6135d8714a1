import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../config/logger';
import { commandSchema, type Command } from '../domain/commands';
import type { TransferEvent } from '../domain/events';
import { iexRequestHeaders } from '../ingest/signatures';
import { createTenantSecrets } from '../ingest/tenant-secrets';
import { defineConsumer, type ConsumerDefinition } from '../kafka/consumer-runner';
import { transferDocId, type Models } from '../store';
import { DEMO_TENANT_ID } from './seed-demo';
import { planRetry, planSync, type EnginePlanOptions, type RetryCommand, type SyncCommand } from './engine-plan';
import { routeOf } from './routes';
import { timeSteps, type EngineStep } from './traffic';

export const DEMO_ENGINE_GROUP = 'iex.demo-engine';

export interface DemoEngineOptions {
  /**
   * The service the engine reports to, e.g. http://127.0.0.1:3000; a function when the service
   * learns its own address only once it listens (a command before then is retried).
   */
  baseUrl: string | (() => string);
  /** Where the engine reads connections, transfers and the tenants' webhook secrets. */
  models: Pick<Models, 'Tenant' | 'System' | 'DataConnection' | 'Transfer'>;
  logger: Logger;
  /** The tenants this engine serves; commands of any other tenant are ignored. Default: the demo tenant. */
  tenants?: readonly string[];
  /** Share of synced and retried transfers that fail, 0..1 (default 0.1). */
  failureShare?: number;
  /** Keep it fixed across restarts: a redelivered command is recognised only with the same seed. */
  seed?: number;
  /**
   * How many transfers a scheduled run finds (default 1 to 4). Not 0 by default: the service
   * knows a run only by the transfers it produced, so an empty run is recorded as "no answer".
   */
  transfersPerRun?: { min: number; max: number };
}

/** Commands of one batch answered at once; each sends its events at the pace a real engine would. */
const CONCURRENCY = 8;
const REQUEST_TIMEOUT_MS = 10_000;

/** A refusal that will not change on a retry (bad signature, invalid event): logged, not retried. */
class Refused extends Error {}

/**
 * A demo integration engine for the tenants it serves: it consumes iex.commands.v1 as a real
 * engine would and answers through the service's public, signed `POST /webhooks/events`. A
 * scheduled run (`connection.sync`) reports a few realistic transfers carrying the run's id; a
 * retry or release runs the transfer again; the other commands are only logged. Answers are
 * derived from the command's id, so a redelivered command sends events the pipeline already has.
 * A request the service cannot take now (503 while Kafka is away, no answer) fails the batch,
 * which the consumer runner retries.
 *
 * The transfer a retry names is read by its `_id` (`transferDocId`, `<tenant>:<transferId>`), never
 * searched for: on FerretDB v1 any other filter reads the whole collection; on MongoDB `_id` is
 * the primary index. The other reads are of the small tenants, systems and connections.
 */
export function demoEngine(options: DemoEngineOptions): ConsumerDefinition<Command> {
  const { models } = options;
  const logger = options.logger.child({ engine: 'demo' });
  const served = new Set(options.tenants ?? [DEMO_TENANT_ID]);
  const plan: EnginePlanOptions = {
    seed: options.seed ?? 0,
    failureShare: options.failureShare ?? 0.1,
    transfersPerRun: options.transfersPerRun ?? { min: 1, max: 4 },
  };
  const secrets = createTenantSecrets(models);
  const baseUrl = () => (typeof options.baseUrl === 'string' ? options.baseUrl : options.baseUrl()).replace(/\/+$/, '');

  const post = async (event: TransferEvent, secret: string) => {
    const body = JSON.stringify(event);
    const response = await fetch(`${baseUrl()}/webhooks/events`, {
      method: 'POST',
      headers: iexRequestHeaders(event.tenantId, secret, body),
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    if (response.ok) return;
    const text = await response.text();
    const problem = `POST /webhooks/events answered ${response.status} to ${event.id}: ${text.slice(0, 500)}`;
    // The service is busy or down: a dependency outage the consumer waits out, not a bad command.
    if (response.status >= 500 || response.status === 429)
      throw Object.assign(new Error(problem), { status: response.status, retriable: true });
    throw new Refused(problem);
  };

  /** Sends each event when it happens, as an engine reports stages while it works. */
  const report = async (tenantId: string, steps: EngineStep[]) => {
    if (steps.length === 0) return;
    const secret = await secrets.engineSecret(tenantId);
    if (!secret) throw new Refused(`tenant '${tenantId}' has no webhook secret to sign events with`);
    for (const event of timeSteps(steps, new Date())) {
      await sleep(Math.max(Date.parse(event.occurredAt) - Date.now(), 0));
      await post(event, secret);
    }
  };

  const sync = async (command: SyncCommand) => {
    const { tenantId, connectionId } = command;
    const [tenant, systems, connection] = await Promise.all([
      models.Tenant.findOne({ tenantId }, { active: 1, modules: 1 }).lean(),
      models.System.find({ tenantId }, { systemId: 1, kind: 1, name: 1, connected: 1 }).lean(),
      models.DataConnection.findOne({ tenantId, connectionId }).lean(),
    ]);
    const context = { tenantId, connectionId, runId: command.id };
    const route = tenant && connection ? routeOf(connection, { tenant, systems }) : undefined;
    if (!route) {
      logger.warn(
        context,
        'scheduled run of a connection the demo engine cannot simulate (unknown, or no Shopify end)',
      );
      return;
    }
    if (!route.runs) {
      logger.info(context, 'scheduled run skipped: the connection, its system or module, or the integration is off');
      return;
    }
    const transfers = planSync(command, route, plan);
    await report(
      tenantId,
      transfers.flatMap(({ steps }) => steps),
    );
    const failed = transfers.filter(({ failure }) => failure).length;
    logger.info({ ...context, transfers: transfers.length, failed }, 'answered a scheduled run');
  };

  const retry = async (command: RetryCommand) => {
    const { tenantId, transferId } = command;
    const context = { tenantId, transferId, reason: command.reason, commandId: command.id };
    const transfer = await models.Transfer.findOne(
      { _id: transferDocId(tenantId, transferId) },
      { entity: 1, operation: 1, reference: 1, error: 1, stages: 1 },
    ).lean();
    if (!transfer) {
      logger.warn(context, 'asked to run a transfer the log does not have (pruned?); nothing to run');
      return;
    }
    const failedStage = transfer.stages?.filter(({ status }) => status === 'failed').at(-1)?.name;
    const steps = planRetry(
      command,
      {
        entity: transfer.entity,
        operation: transfer.operation,
        reference: transfer.reference,
        error: transfer.error,
        ...(failedStage ? { failedStage } : {}),
      },
      plan,
    );
    await report(tenantId, steps);
    logger.info({ ...context, outcome: steps.at(-1)?.event.type }, 'ran a transfer again');
  };

  const answer = async (command: Command) => {
    switch (command.type) {
      case 'connection.sync':
        return sync(command);
      case 'transfer.retry':
        return retry(command);
      case 'orders.hold':
        logger.info(
          { tenantId: command.tenantId, period: command.period, reason: command.reason },
          'would hold orders',
        );
        return;
      case 'orders.release':
        logger.info(
          { tenantId: command.tenantId, period: command.period, reason: command.reason },
          'would release held orders',
        );
        return;
      case 'settings.changed':
        logger.info(
          { tenantId: command.tenantId, action: command.action, target: command.target, details: command.details },
          'would apply a settings change',
        );
        return;
    }
  };

  /** Refused answers are dropped (retrying cannot help); anything else fails the batch. */
  const answerOrRetry = async (command: Command) => {
    try {
      await answer(command);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      logger.error({ err: error, tenantId: command.tenantId, commandId: command.id }, 'the service refused an answer');
    }
  };

  return defineConsumer<Command>({
    groupId: DEMO_ENGINE_GROUP,
    topics: ['commands'],
    schema: commandSchema,
    async handle(messages) {
      const queue = messages.map(({ value }) => value).filter(({ tenantId }) => served.has(tenantId));
      const workers = Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
        for (let command = queue.shift(); command; command = queue.shift()) await answerOrRetry(command);
      });
      // Every worker ends before the batch is retried, so no attempt still sends while the next runs.
      const failure = (await Promise.allSettled(workers)).find((result) => result.status === 'rejected');
      if (failure) throw failure.reason;
    },
  });
}
