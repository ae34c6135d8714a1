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
export const VAT_PERCENT = 25;

export function findPack(orders: number): TopUpPack | undefined {
  return TOP_UP_PACKS.find((pack) => pack.orders === orders);
}

export interface InvoiceLine {
  description: string;
  quantity: number;
  unitPriceOre: number;
  amountOre: number;
}

/** Net, VAT (25 %, rounded half up to whole øre) and total of invoice lines; all integers. */
export function invoiceTotals(lines: readonly InvoiceLine[]): { netOre: number; vatOre: number; totalOre: number } {
  const netOre = lines.reduce((sum, line) => sum + line.amountOre, 0);
  const vatOre = Math.floor((netOre * VAT_PERCENT + 50) / 100);
  return { netOre, vatOre, totalOre: netOre + vatOre };
}

export function invoiceLine(description: string, quantity: number, unitPriceOre: number): InvoiceLine {
  return { description, quantity, unitPriceOre, amountOre: quantity * unitPriceOre };
}

/** 'DKK 1,234.50' — how amounts are shown to people. */
export function formatDkk(ore: number): string {
  const sign = ore < 0 ? '-' : '';
  const abs = Math.abs(ore);
  const kroner = Math.floor(abs / 100).toLocaleString('en-US');
  return `${sign}DKK ${kroner}.${String(abs % 100).padStart(2, '0')}`;
}
