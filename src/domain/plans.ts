/**
 * The plan catalogue and the top-up packs, with prices in øre (integer DKK cents): money is never
 * a floating-point number here.
 */
export interface Plan {
  code: string;
  name: string;
  includedOrders: number;
  priceOre: number;
}

export const PLANS: readonly Plan[] = [
  { code: 'starter', name: 'Starter', includedOrders: 100, priceOre: 19_900 },
  { code: 'standard', name: 'Standard', includedOrders: 500, priceOre: 49_900 },
  { code: 'business', name: 'Business', includedOrders: 2_000, priceOre: 129_900 },
  { code: 'enterprise', name: 'Enterprise', includedOrders: 10_000, priceOre: 449_900 },
];

export interface TopUpPack {
  orders: number;
  priceOre: number;
}

export const TOP_UP_PACKS: readonly TopUpPack[] = [
  { orders: 100, priceOre: 14_900 },
  { orders: 500, priceOre: 59_900 },
  { orders: 1_000, priceOre: 99_900 },
];

export const DEFAULT_AUTO_TOP_UP_PACK = 100;
export const DEFAULT_AUTO_TOP_UPS_PER_PERIOD = 5;
/** The most automatic packs a policy may allow a period: a cap on what a typo can cost. */
export const MAX_AUTO_TOP_UPS_PER_PERIOD = 50;
export const VAT_PERCENT = 25;

export function findPack(orders: number): TopUpPack | undefined {
  return TOP_UP_PACKS.find((pack) => pack.orders === orders);
}

/** The price of a pack of `orders`: the catalogue's, or the smallest pack's price per order (rounded up). */
export function packPriceOre(orders: number): number {
  const smallest = TOP_UP_PACKS[0]!;
  return findPack(orders)?.priceOre ?? Math.ceil((smallest.priceOre * orders) / smallest.orders);
}

export function findPlan(code: string): Plan | undefined {
  return PLANS.find((plan) => plan.code === code);
}

export type PlanChangeKind = 'upgrade' | 'downgrade' | 'same';

/** The invoice of an upgrade: the price difference for the rest of the period. */
export interface UpgradeCharge extends Totals {
  invoiceNumber: string;
  description: string;
  /** False when this upgrade was invoiced before (a double click, a replay): nothing charged again. */
  created: boolean;
}

/** What a plan change did (see billing/plan-change.ts). */
export type PlanChange =
  /**
   * Applies now: the new included orders count for the current period. `charge` is absent when
   * there is no list price to prorate (a custom agreement) or the new plan costs no more.
   */
  | { kind: 'upgraded'; from: string; to: Plan; charge?: UpgradeCharge }
  /** Waits for `period` ('YYYY-MM'), which begins at `effectiveAt`. */
  | { kind: 'scheduled'; from: string; to: Plan; period: string; effectiveAt: Date }
  /** The current plan was chosen while a change waited: the waiting change is dropped. */
  | { kind: 'cancelled'; dropped: string; current: string }
  | { kind: 'unchanged'; current: string };

/**
 * A plan that includes more orders is an upgrade: the customer gets more at once, so it applies
 * to the current period. Anything else waits for the next period, so nobody loses orders that
 * this period already counted on.
 */
export function planChangeKind(current: { code: string; includedOrders: number }, next: Plan): PlanChangeKind {
  if (next.code === current.code) return 'same';
  return next.includedOrders > current.includedOrders ? 'upgrade' : 'downgrade';
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPriceOre: number;
  amountOre: number;
}

export interface Totals {
  netOre: number;
  vatOre: number;
  totalOre: number;
}

/** A net amount with its VAT (25 %, rounded half up to whole øre) and total; all integers. */
export function withVat(netOre: number): Totals {
  const vatOre = Math.floor((netOre * VAT_PERCENT + 50) / 100);
  return { netOre, vatOre, totalOre: netOre + vatOre };
}

/** Net, VAT and total of invoice lines. */
export function invoiceTotals(lines: readonly InvoiceLine[]): Totals {
  return withVat(lines.reduce((sum, line) => sum + line.amountOre, 0));
}

/** Money arithmetic stays exact only on whole numbers within 2^53: anything else is a bug upstream. */
function wholeOre(what: string, value: number): number {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number, got ${value}`);
  return value;
}

export function invoiceLine(description: string, quantity: number, unitPriceOre: number): InvoiceLine {
  const amountOre = wholeOre('quantity', quantity) * wholeOre('unit price (øre)', unitPriceOre);
  return { description, quantity, unitPriceOre, amountOre: wholeOre('amount (øre)', amountOre) };
}

/**
 * `amountOre` × `part` / `whole`, rounded half up to whole øre in integer arithmetic (no float
 * division whose error could tip a half øre the wrong way).
 */
export function prorateOre(amountOre: number, part: number, whole: number): number {
  wholeOre('amount (øre)', amountOre);
  if (amountOre < 0) throw new RangeError(`cannot prorate a negative amount: ${amountOre}`);
  if (!Number.isSafeInteger(whole) || whole <= 0) throw new RangeError(`cannot prorate over ${whole}`);
  if (!Number.isSafeInteger(part) || part < 0 || part > whole)
    throw new RangeError(`${part} is not a part of ${whole}`);
  return Math.floor(wholeOre('prorated amount × 2', 2 * amountOre * part + whole) / (2 * whole));
}

/**
 * The charge for upgrading mid-period, in øre: the difference of the monthly prices for the days
 * left, today included (`daysLeft` of `daysInPeriod`). Undefined when there is nothing to charge
 * (the new plan costs no more). The invoice line's words are the caller's, in the tenant's language.
 */
export function upgradeCharge(from: Plan, to: Plan, daysLeft: number, daysInPeriod: number): number | undefined {
  const difference = to.priceOre - from.priceOre;
  if (difference <= 0) return undefined;
  return prorateOre(difference, daysLeft, daysInPeriod);
}

/**
 * A VAT number as people type it ('dk 1234 5678', 'DK-12345678') in its canonical form
 * ('DK12345678'): a two-letter country prefix and 8–12 digits or letters. Undefined when it is not one.
 */
export function parseVatNumber(input: string): string | undefined {
  const compact = input.replace(/[\s.-]/g, '').toUpperCase();
  return /^[A-Z]{2}[0-9A-Z]{8,12}$/.test(compact) ? compact : undefined;
}
