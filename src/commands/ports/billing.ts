import type { InvoiceLine, Plan, PlanChange, TopUpPack, Totals } from '../../domain/plans';
import type { Caller } from './tenancy';

/** One invoice in full, for `/iex subscription invoice NUMBER`. */
export interface InvoiceDetail extends InvoiceView {
  lines: InvoiceLine[];
}

/** How automatic top-ups buy: which pack, and at most how many a period. */
export interface AutoTopUpPolicy {
  enabled: boolean;
  packOrders: number;
  maxPerPeriod: number;
}

export interface BillingDetails {
  company?: string;
  vatNumber?: string;
  email?: string;
  address?: string;
}

/** A change of billing details: a value sets a field, null clears it, a missing key leaves it. */
export type BillingDetailsChange = { [K in keyof BillingDetails]?: string | null };

export interface InvoiceView extends Totals {
  number: string;
  issuedAt: Date;
  /** 'YYYY-MM-DD' in the tenant's time zone. */
  day: string;
  /** What was bought, e.g. "Top-up: 100 orders for 2026-11". */
  description: string;
}

/** The dashboard's Subscription section: plan, this period's orders, auto top-up, billing, invoices. */
export interface SubscriptionView {
  /** 'YYYY-MM', the current period in the tenant's time zone. */
  period: string;
  /** 'YYYY-MM-DD', today in the tenant's time zone: what an upgrade today is prorated from. */
  day: string;
  /** A plan outside the catalogue (a custom agreement) has no list price. */
  plan: { code: string; name: string; priceOre?: number };
  includedOrders: number;
  used: number;
  topUps: { count: number; orders: number; automatic: number };
  /** Included orders plus this period's top-ups. */
  allowance: number;
  autoTopUp: AutoTopUpPolicy & { packPriceOre: number };
  billing: BillingDetails;
  /** A downgrade that waits for the next period. */
  pendingPlan?: { code: string; name: string; period: string; effectiveAt: Date };
  /** The latest invoices, newest first. */
  invoices: InvoiceView[];
  invoiceCount: number;
}

export interface TopUpPurchase extends Totals {
  /** False when this purchase key had bought before: nothing was charged again. */
  created: boolean;
  period: string;
  orders: number;
  invoiceNumber: string;
  /** Orders that were held because the allowance was used up are released. */
  releasedHold: boolean;
}

export interface AutoTopUpResult {
  before: AutoTopUpPolicy;
  after: AutoTopUpPolicy;
  /** Automatic packs bought at once because the period was over its allowance. */
  packsBought: number;
  releasedHold: boolean;
}

/** Methods answer undefined when the tenant has no subscription. */
export interface BillingPort {
  subscription(tenantId: string, now: Date): Promise<SubscriptionView | undefined>;
  invoices(
    tenantId: string,
    page: { skip: number; limit: number },
  ): Promise<{ invoices: InvoiceView[]; total: number }>;
  /** An upgrade that makes room again releases orders held because the allowance was used up. */
  changePlan(
    tenantId: string,
    plan: Plan,
    caller: Caller,
    now: Date,
  ): Promise<(PlanChange & { releasedHold: boolean }) | undefined>;
  /**
   * Changes the automatic top-up policy (the keys given). When it ends up on, buys at once what the
   * period is already over by, within the policy, and releases held orders when that makes room.
   */
  setAutoTopUp(
    tenantId: string,
    change: Partial<AutoTopUpPolicy>,
    caller: Caller,
    now: Date,
  ): Promise<AutoTopUpResult | undefined>;
  setBillingDetails(
    tenantId: string,
    change: BillingDetailsChange,
  ): Promise<{ before: BillingDetails; after: BillingDetails } | undefined>;
  /** One invoice of this tenant by its number; another tenant's number is not found. */
  invoice(tenantId: string, number: string): Promise<InvoiceDetail | undefined>;
  /** Buys a pack for the current period once per `key`: a second call with the same key buys nothing. */
  buyTopUp(
    tenantId: string,
    purchase: { pack: TopUpPack; key: string; caller: Caller; now: Date },
  ): Promise<TopUpPurchase | undefined>;
}
