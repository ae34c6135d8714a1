import type { Random } from './random';

/**
 * Bodies shaped like the real ones: Shopify webhooks (Admin REST API, trimmed to what an
 * integration reads) and what the engine sends e-conomic (REST API) or Shopify in return.
 * Amounts are kept in øre so sums are exact; Shopify writes them as strings, e-conomic as numbers.
 */

export interface CatalogueItem {
  productId: number;
  variantId: number;
  inventoryItemId: number;
  sku: string;
  title: string;
  productType: string;
  /** Price with 25 % Danish VAT included, in øre. */
  priceOre: number;
}

const item = (index: number, sku: string, title: string, productType: string, priceOre: number): CatalogueItem => ({
  productId: 8_114_552_000_000 + index * 7_919,
  variantId: 44_213_870_000_000 + index * 104_729,
  inventoryItemId: 46_302_115_000_000 + index * 15_485_863,
  sku,
  title,
  productType,
  priceOre,
});

export const CATALOGUE: readonly CatalogueItem[] = [
  item(1, 'MUG-BLUE', 'Ceramic mug, blue', 'Kitchen', 14_900),
  item(2, 'MUG-SAND', 'Ceramic mug, sand', 'Kitchen', 14_900),
  item(3, 'TOWEL-LINEN', 'Linen tea towel', 'Kitchen', 12_900),
  item(4, 'COFFEE-500', 'Organic coffee beans 500 g', 'Pantry', 8_900),
  item(5, 'CANDLE-BEES', 'Beeswax candles, set of 2', 'Home', 9_900),
  item(6, 'SOCKS-WOOL', 'Wool socks', 'Clothing', 7_900),
  item(7, 'BLANKET-WOOL', 'Wool blanket', 'Home', 69_900),
  item(8, 'BOARD-OAK', 'Oak cutting board', 'Kitchen', 34_900),
];

/** Just added to the shop and not yet created in e-conomic: what `product_number_missing` is about. */
export const NEW_ITEM = item(9, 'TOTE-LINEN', 'Linen tote bag', 'Accessories', 19_900);

export interface Customer {
  index: number;
  firstName: string;
  lastName: string;
  address: string;
  zip: string;
  city: string;
  countryCode: string;
}

const customer = (index: number, name: string, address: string, zip: string, city: string, countryCode: string) => {
  const [firstName = '', lastName = ''] = name.split(' ');
  return { index, firstName, lastName, address, zip, city, countryCode };
};

export const CUSTOMERS: readonly Customer[] = [
  customer(1, 'Mette Hansen', 'Vestergade 12', '8000', 'Aarhus C', 'DK'),
  customer(2, 'Lars Nielsen', 'Nørregade 7', '1165', 'København K', 'DK'),
  customer(3, 'Sofie Jensen', 'Kongensgade 40', '5000', 'Odense C', 'DK'),
  customer(4, 'Anders Pedersen', 'Boulevarden 3', '9000', 'Aalborg', 'DK'),
  customer(5, 'Ida Larsen', 'Algade 21', '4000', 'Roskilde', 'DK'),
  customer(6, 'Emma Lindqvist', 'Södra Förstadsgatan 5', '211 43', 'Malmö', 'SE'),
  customer(7, 'Jonas Schmidt', 'Holm 18', '24937', 'Flensburg', 'DE'),
];

/** Greenland is neither domestic nor EU: a Danish shop's classic unmapped VAT zone. */
export const GREENLAND_CUSTOMER = customer(8, 'Aviaja Kleist', 'Aqqusinersuaq 4', '3900', 'Nuuk', 'GL');

const COUNTRIES: Record<string, string> = { DK: 'Denmark', SE: 'Sweden', DE: 'Germany', GL: 'Greenland' };

/** e-conomic VAT zones: 1 domestic, 2 EU. Customer groups follow them in the demo agreement. */
export function vatZoneOf(countryCode: string): number | undefined {
  if (countryCode === 'DK') return 1;
  return countryCode === 'SE' || countryCode === 'DE' ? 2 : undefined;
}

export const ECONOMIC_AGREEMENT = 123_456;
const ECONOMIC_LAYOUT = 19;
const ECONOMIC_PAYMENT_TERMS = 1;
const SHOPIFY_LOCATION_ID = 655_441_491;
const SHIPPING = { title: 'PostNord MyPack Collect', code: 'postnord', priceOre: 3_900 };

const dkk = (ore: number) => (ore / 100).toFixed(2);
const amount = (ore: number) => ore / 100;
/** The VAT share of a price that includes 25 % VAT. */
const vatOf = (grossOre: number) => Math.round(grossOre / 5);

export interface OrderLine {
  item: CatalogueItem;
  quantity: number;
  lineItemId: number;
}

export interface ShopifyOrder {
  number: number;
  id: number;
  customer: Customer;
  lines: OrderLine[];
}

export function randomOrder(random: Random, number: number, customer: Customer, lines: CatalogueItem[]): ShopifyOrder {
  return {
    number,
    id: 5_812_000_000_000 + random.int(0, 999_999_999),
    customer,
    lines: lines.map((line) => ({
      item: line,
      quantity: random.int(1, 3),
      lineItemId: 14_250_000_000_000 + random.int(0, 999_999_999),
    })),
  };
}

function orderTotals(order: ShopifyOrder) {
  const subtotalOre = order.lines.reduce((sum, { item, quantity }) => sum + item.priceOre * quantity, 0);
  const totalOre = subtotalOre + SHIPPING.priceOre;
  return { subtotalOre, totalOre, taxOre: vatOf(totalOre) };
}

export function shopifyOrderBody(order: ShopifyOrder, at: string, update?: { fulfilled: boolean }) {
  const { subtotalOre, totalOre, taxOre } = orderTotals(order);
  const { customer } = order;
  const email = `${customer.firstName}.${customer.lastName}@example.com`.toLowerCase();
  const address = {
    first_name: customer.firstName,
    last_name: customer.lastName,
    address1: customer.address,
    zip: customer.zip,
    city: customer.city,
    country: COUNTRIES[customer.countryCode],
    country_code: customer.countryCode,
  };
  return {
    id: order.id,
    admin_graphql_api_id: `gid://shopify/Order/${order.id}`,
    name: `#${order.number}`,
    order_number: order.number,
    email,
    created_at: at,
    updated_at: at,
    currency: 'DKK',
    presentment_currency: 'DKK',
    taxes_included: true,
    subtotal_price: dkk(subtotalOre),
    total_discounts: '0.00',
    total_tax: dkk(taxOre),
    total_price: dkk(totalOre),
    financial_status: 'paid',
    fulfillment_status: update?.fulfilled ? 'fulfilled' : null,
    line_items: order.lines.map(({ item, quantity, lineItemId }) => ({
      id: lineItemId,
      product_id: item.productId,
      variant_id: item.variantId,
      sku: item.sku,
      title: item.title,
      quantity,
      price: dkk(item.priceOre),
      taxable: true,
      tax_lines: [{ title: 'Moms', rate: 0.25, price: dkk(vatOf(item.priceOre * quantity)) }],
    })),
    shipping_lines: [
      {
        title: SHIPPING.title,
        code: SHIPPING.code,
        price: dkk(SHIPPING.priceOre),
        tax_lines: [{ title: 'Moms', rate: 0.25, price: dkk(vatOf(SHIPPING.priceOre)) }],
      },
    ],
    customer: {
      id: 7_310_000_000 + customer.index,
      email,
      first_name: customer.firstName,
      last_name: customer.lastName,
      currency: 'DKK',
    },
    billing_address: address,
    shipping_address: address,
  };
}

/** POST /invoices/drafts (or PUT for an update): the order as an e-conomic draft invoice. */
export function economicDraftInvoice(order: ShopifyOrder, date: string) {
  const { totalOre, taxOre } = orderTotals(order);
  const { customer } = order;
  const vatZoneNumber = vatZoneOf(customer.countryCode);
  const net = (grossOre: number) => amount(grossOre - vatOf(grossOre));
  return {
    date: date.slice(0, 10),
    currency: 'DKK',
    paymentTerms: { paymentTermsNumber: ECONOMIC_PAYMENT_TERMS },
    layout: { layoutNumber: ECONOMIC_LAYOUT },
    customer: { customerNumber: 1_000 + customer.index },
    recipient: {
      name: `${customer.firstName} ${customer.lastName}`,
      address: customer.address,
      zip: customer.zip,
      city: customer.city,
      country: COUNTRIES[customer.countryCode],
      ...(vatZoneNumber ? { vatZone: { vatZoneNumber } } : {}),
    },
    references: { other: `#${order.number}` },
    notes: { heading: `Shopify order #${order.number}` },
    lines: [
      ...order.lines.map(({ item, quantity }, index) => ({
        lineNumber: index + 1,
        product: { productNumber: item.sku },
        description: item.title,
        quantity,
        unitNetPrice: net(item.priceOre),
      })),
      {
        lineNumber: order.lines.length + 1,
        product: { productNumber: 'SHIPPING' },
        description: SHIPPING.title,
        quantity: 1,
        unitNetPrice: net(SHIPPING.priceOre),
      },
    ],
    netAmount: amount(totalOre - taxOre),
    vatAmount: amount(taxOre),
    grossAmount: amount(totalOre),
  };
}

export function shopifyProductBody(item: CatalogueItem, at: string, options: { withoutSku?: boolean } = {}) {
  return {
    id: item.productId,
    admin_graphql_api_id: `gid://shopify/Product/${item.productId}`,
    title: item.title,
    handle: item.sku.toLowerCase(),
    product_type: item.productType,
    vendor: 'Demo webshop',
    status: 'active',
    updated_at: at,
    variants: [
      {
        id: item.variantId,
        product_id: item.productId,
        sku: options.withoutSku ? '' : item.sku,
        price: dkk(item.priceOre),
        inventory_item_id: item.inventoryItemId,
        taxable: true,
      },
    ],
  };
}

/** PUT /products/{productNumber}. */
export function economicProduct(item: CatalogueItem, available?: number) {
  return {
    productNumber: item.sku,
    name: item.title,
    salesPrice: amount(item.priceOre - vatOf(item.priceOre)),
    productGroup: { productGroupNumber: 1 },
    unit: { unitNumber: 1 },
    barred: false,
    ...(available === undefined ? {} : { inventory: { available, inStock: available } }),
  };
}

export function shopifyInventoryLevel(item: CatalogueItem, available: number, at?: string) {
  return {
    inventory_item_id: item.inventoryItemId,
    location_id: SHOPIFY_LOCATION_ID,
    available,
    ...(at ? { updated_at: at } : {}),
  };
}
