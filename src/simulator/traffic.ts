import type { Entity, Operation, Payload, TransferError, TransferEvent } from '../domain/events';
import { shopifyTransferId, type ShopifyTopic } from '../domain/webhooks';
import {
  CATALOGUE,
  CUSTOMERS,
  ECONOMIC_AGREEMENT,
  GREENLAND_CUSTOMER,
  NEW_ITEM,
  economicDraftInvoice,
  economicProduct,
  randomOrder,
  shopifyInventoryLevel,
  shopifyOrderBody,
  shopifyProductBody,
  vatZoneOf,
  type ShopifyOrder,
} from './payloads';
import { createRandom, type Random } from './random';
import type { SimulationRoute, SimulationRoutes } from './routes';

/** The failures a real Shopify > e-conomic integration runs into most. */
export const SIMULATED_FAILURES = {
  vatZoneUnknown: 'economic.vat_zone_unknown',
  customerGroupMissing: 'economic.customer_group_missing',
  productNumberMissing: 'economic.product_number_missing',
  rateLimited: 'shopify.rate_limited',
} as const;
export type SimulatedFailureCode = (typeof SIMULATED_FAILURES)[keyof typeof SIMULATED_FAILURES];

export const RATE_LIMITED: TransferError = {
  code: SIMULATED_FAILURES.rateLimited,
  message:
    'Shopify answered 429 Too Many Requests: Exceeded 2 calls per second for api client. Reduce request rates to resume uninterrupted service.',
  retryable: true,
};

export interface ShopifyDelivery {
  topic: ShopifyTopic;
  /** X-Shopify-Webhook-Id; the transfer id derives from it. */
  webhookId: string;
  payload: Record<string, unknown>;
}

export type EngineEvent = Omit<TransferEvent, 'occurredAt'>;

/** An engine event and how long after the previous one (or after the webhook) it happens. */
export interface EngineStep {
  afterMs: number;
  event: EngineEvent;
}

export interface SimulatedTransfer {
  transferId: string;
  connectionId: string;
  entity: Entity;
  operation: Operation;
  reference: string;
  /** The webhook that starts it; absent when the engine starts it (data flowing into Shopify). */
  webhook?: ShopifyDelivery;
  /** What the engine reports; empty when the service holds the transfer, as an engine then waits. */
  steps: EngineStep[];
  /** The error it ends with; undefined when it succeeds (or is held). */
  failure?: TransferError;
}

export interface TrafficOptions {
  tenantId: string;
  routes: SimulationRoutes;
  seed: number;
  /** Share of transfers that fail, 0..1. */
  failureShare: number;
  /** The first order's number (#1001 by default); continue after the tenant's last order. */
  firstOrderNumber?: number;
  /**
   * A scheduled run: the engine fetches from Shopify what a webhook would have brought, so no
   * webhook is sent and the engine starts every transfer itself, with that data as its source.
   */
  pull?: boolean;
}

export interface Traffic {
  /** The next transfer; `now` only dates the payloads, it draws nothing from the seed. */
  next(now: Date): SimulatedTransfer;
}

type Stage = 'fetch' | 'map' | 'post';

/** One transfer before it becomes events: what flows where, and where it fails if it does. */
interface Script {
  route: SimulationRoute;
  operation: Operation;
  reference: string;
  webhook?: { topic: ShopifyTopic; payload: Record<string, unknown> };
  /** Carried by the engine's own start event; a webhook's transfer gets it from the normalizer. */
  source?: Payload;
  target: Payload;
  failure?: { stage: Stage; error: TransferError };
}

const economic = (format: string, payload: unknown): Payload => ({ system: 'e-conomic', format, payload });
const shopify = (format: string, payload: unknown): Payload => ({ system: 'shopify', format, payload });

/** Relative weights of what a webshop sends; kinds without a route drop out. */
const KINDS = [
  { kind: 'order-create', entity: 'order', weight: 55 },
  { kind: 'order-update', entity: 'order', weight: 10 },
  { kind: 'product', entity: 'product', weight: 15 },
  { kind: 'stock', entity: 'stock', weight: 20 },
] as const;
type Kind = (typeof KINDS)[number]['kind'];

/** Orders that went through, for later orders/updated webhooks; bounded like a shop's recent orders. */
const RECENT_ORDERS = 50;

/**
 * Deterministic webshop traffic for one tenant: the same options give the same transfers (ids,
 * payloads, outcomes, timings), so a test or a bug report can replay a run exactly.
 */
export function createTraffic(options: TrafficOptions): Traffic {
  const random = createRandom(options.seed);
  const { routes, tenantId } = options;
  const runnable = (entity: Entity) => {
    const route = routes[entity];
    // A held webhook still shows up in the log; an engine simply does not run a switched-off connection.
    return route && (route.via === 'shopify-webhook' || route.runs) ? route : undefined;
  };
  if (!KINDS.some(({ entity }) => runnable(entity))) {
    throw new Error('the tenant has no connection to simulate: none leaves or enters Shopify, or all are off');
  }
  let orderNumber = options.firstOrderNumber ?? 1001;
  const delivered: ShopifyOrder[] = [];

  const pickKind = (): Kind => {
    const candidates = KINDS.filter(
      ({ kind, entity }) => runnable(entity) && (kind !== 'order-update' || delivered.length > 0),
    );
    let roll = random.next() * candidates.reduce((sum, { weight }) => sum + weight, 0);
    for (const candidate of candidates) {
      roll -= candidate.weight;
      if (roll < 0) return candidate.kind;
    }
    return candidates[candidates.length - 1]!.kind;
  };

  const scripts: Record<Kind, (route: SimulationRoute, fail: boolean, at: string) => Script> = {
    'order-create': (route, fail, at) => {
      const failure = fail
        ? random.pick([
            SIMULATED_FAILURES.vatZoneUnknown,
            SIMULATED_FAILURES.customerGroupMissing,
            SIMULATED_FAILURES.productNumberMissing,
            SIMULATED_FAILURES.rateLimited,
          ])
        : undefined;
      // The data is what causes the failure: a Greenland address, an EU customer, a product not yet in e-conomic.
      const customer =
        failure === SIMULATED_FAILURES.vatZoneUnknown
          ? GREENLAND_CUSTOMER
          : failure === SIMULATED_FAILURES.customerGroupMissing
            ? random.pick(CUSTOMERS.filter(({ countryCode }) => vatZoneOf(countryCode) === 2))
            : random.pick(CUSTOMERS);
      const lines = [...new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(CATALOGUE)))];
      if (failure === SIMULATED_FAILURES.productNumberMissing) lines.push(NEW_ITEM);
      const order = randomOrder(random, orderNumber++, customer, lines);
      if (!failure) {
        delivered.push(order);
        if (delivered.length > RECENT_ORDERS) delivered.shift();
      }
      const name = `#${order.number}`;
      const errors: Record<SimulatedFailureCode, Script['failure']> = {
        [SIMULATED_FAILURES.vatZoneUnknown]: {
          stage: 'map',
          error: {
            code: SIMULATED_FAILURES.vatZoneUnknown,
            message: `Unknown VAT zone for country "${customer.countryCode}" on order ${name}: map the country to a VAT zone in the e-conomic settings`,
            retryable: false,
          },
        },
        [SIMULATED_FAILURES.customerGroupMissing]: {
          stage: 'post',
          error: {
            code: SIMULATED_FAILURES.customerGroupMissing,
            message: `Customer group 2 (EU customers) does not exist in e-conomic agreement ${ECONOMIC_AGREEMENT}; create it or change the default customer group`,
            retryable: false,
          },
        },
        [SIMULATED_FAILURES.productNumberMissing]: {
          stage: 'post',
          error: {
            code: SIMULATED_FAILURES.productNumberMissing,
            message: `Product number "${NEW_ITEM.sku}" (line of order ${name}) does not exist in e-conomic; create the product there or sync products first`,
            retryable: false,
          },
        },
        [SIMULATED_FAILURES.rateLimited]: { stage: 'fetch', error: RATE_LIMITED },
      };
      return {
        route,
        operation: 'create',
        reference: name,
        webhook: { topic: 'orders/create', payload: shopifyOrderBody(order, at) },
        target: economic('e-conomic.invoices.drafts', economicDraftInvoice(order, at)),
        failure: failure && errors[failure],
      };
    },

    'order-update': (route, fail, at) => {
      const order = random.pick(delivered);
      return {
        route,
        operation: 'update',
        reference: `#${order.number}`,
        webhook: { topic: 'orders/updated', payload: shopifyOrderBody(order, at, { fulfilled: true }) },
        target: economic('e-conomic.invoices.drafts', economicDraftInvoice(order, at)),
        // The order went through once, so its data is fine; only Shopify's rate limit can stop it.
        failure: fail ? { stage: 'fetch', error: RATE_LIMITED } : undefined,
      };
    },

    product: (route, fail, at) => {
      if (route.via === 'engine') {
        const item = random.pick(CATALOGUE);
        return {
          route,
          operation: 'update',
          reference: item.sku,
          source: economic('e-conomic.products', economicProduct(item)),
          target: shopify('shopify.products/update', shopifyProductBody(item, at)),
          failure: fail ? { stage: 'post', error: RATE_LIMITED } : undefined,
        };
      }
      const failure = fail
        ? random.pick([SIMULATED_FAILURES.productNumberMissing, SIMULATED_FAILURES.rateLimited])
        : undefined;
      const withoutSku = failure === SIMULATED_FAILURES.productNumberMissing;
      const item = withoutSku ? NEW_ITEM : random.pick(CATALOGUE);
      return {
        route,
        operation: 'update',
        reference: item.title,
        webhook: { topic: 'products/update', payload: shopifyProductBody(item, at, { withoutSku }) },
        target: economic('e-conomic.products', economicProduct(item)),
        failure: !failure
          ? undefined
          : withoutSku
            ? {
                stage: 'map',
                error: {
                  code: SIMULATED_FAILURES.productNumberMissing,
                  message: `Variant ${item.variantId} of "${item.title}" has no SKU, and e-conomic needs one as the product number`,
                  retryable: false,
                },
              }
            : { stage: 'fetch', error: RATE_LIMITED },
      };
    },

    stock: (route, fail, at) => {
      const available = random.int(0, 140);
      if (route.via === 'engine') {
        const item = random.pick(CATALOGUE);
        return {
          route,
          operation: 'update',
          reference: item.sku,
          source: economic('e-conomic.products', economicProduct(item, available)),
          target: shopify('shopify.inventory_levels/set', shopifyInventoryLevel(item, available)),
          failure: fail ? { stage: 'post', error: RATE_LIMITED } : undefined,
        };
      }
      const failure = fail
        ? random.pick([SIMULATED_FAILURES.productNumberMissing, SIMULATED_FAILURES.rateLimited])
        : undefined;
      const item = failure === SIMULATED_FAILURES.productNumberMissing ? NEW_ITEM : random.pick(CATALOGUE);
      return {
        route,
        operation: 'update',
        reference: `item ${item.inventoryItemId}`,
        webhook: { topic: 'inventory_levels/update', payload: shopifyInventoryLevel(item, available, at) },
        target: economic('e-conomic.products', economicProduct(item, available)),
        failure: !failure
          ? undefined
          : failure === SIMULATED_FAILURES.rateLimited
            ? { stage: 'fetch', error: RATE_LIMITED }
            : {
                stage: 'post',
                error: {
                  code: SIMULATED_FAILURES.productNumberMissing,
                  message: `Product number "${item.sku}" does not exist in e-conomic, so its stock cannot be updated`,
                  retryable: false,
                },
              },
      };
    },
  };

  return {
    next(now) {
      const kind = pickKind();
      const entity = KINDS.find((candidate) => candidate.kind === kind)!.entity;
      const route = runnable(entity)!;
      // Drawn for every transfer, held or not, so the outcome share does not depend on the mix.
      const fail = random.chance(options.failureShare);
      const script = scripts[kind](route, fail, now.toISOString());
      return toTransfer(tenantId, options.pull ? pulled(script) : script, random);
    },
  };
}

function pulled(script: Script): Script {
  if (!script.webhook) return script;
  const { webhook, ...rest } = script;
  // The format the Shopify normalizer gives a webhook's payload, so the log shows both alike.
  return { ...rest, source: shopify(`shopify.${webhook.topic}`, webhook.payload) };
}

function toTransfer(tenantId: string, script: Script, random: Random): SimulatedTransfer {
  const { route, operation, reference } = script;
  const webhookId = random.uuid();
  const transferId = script.webhook ? shopifyTransferId(webhookId) : `engine-${route.entity}-${webhookId}`;
  const base = { tenantId, transferId, connectionId: route.connectionId, entity: route.entity, operation };
  const [from, to] = route.via === 'shopify-webhook' ? ['Shopify', 'e-conomic'] : ['e-conomic', 'Shopify'];
  const stageNames: Record<Stage, string> = { fetch: `fetch from ${from}`, map: 'map', post: `post to ${to}` };
  const delays: Record<Stage, number> = {
    fetch: random.int(120, 450),
    map: random.int(5, 40),
    post: random.int(180, 700),
  };
  const finishAfterMs = random.int(5, 20);
  const transfer: SimulatedTransfer = {
    ...base,
    reference,
    ...(script.webhook ? { webhook: { ...script.webhook, webhookId } } : {}),
    steps: [],
  };
  if (!route.runs) return transfer;

  const steps: EngineStep[] = [];
  if (!script.webhook) {
    steps.push({
      afterMs: 0,
      event: { ...base, id: `${transferId}-started`, type: 'transfer.started', source: script.source, reference },
    });
  }
  for (const stage of ['fetch', 'map', 'post'] as const) {
    const target = stage === 'post' ? { target: script.target } : {};
    if (script.failure?.stage === stage) {
      const { error } = script.failure;
      steps.push({
        afterMs: delays[stage],
        event: {
          ...base,
          id: `${transferId}-failed`,
          type: 'transfer.failed',
          stage: { name: stageNames[stage], status: 'failed' },
          error,
          // What was about to be sent is what a person needs to see to fix the failure.
          ...target,
        },
      });
      return { ...transfer, steps, failure: error };
    }
    steps.push({
      afterMs: delays[stage],
      event: {
        ...base,
        id: `${transferId}-${stage}`,
        type: 'transfer.stage',
        stage: { name: stageNames[stage], status: 'succeeded' },
        ...target,
      },
    });
  }
  steps.push({ afterMs: finishAfterMs, event: { ...base, id: `${transferId}-succeeded`, type: 'transfer.succeeded' } });
  return { ...transfer, steps };
}

/**
 * Dates the engine's events from `start` (when the service accepted the webhook), each at least
 * 1 ms after the previous: the log orders a transfer's stages by time, and the normalizer's
 * start event carries the service's receive time, so the engine must not report earlier than that.
 */
export function timeSteps(steps: readonly EngineStep[], start: Date): TransferEvent[] {
  let at = start.getTime();
  return steps.map(({ afterMs, event }) => {
    at += Math.max(afterMs, 1);
    return { ...event, occurredAt: new Date(at).toISOString() };
  });
}
