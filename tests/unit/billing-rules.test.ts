import { daysInPeriod, daysLeftInPeriod, nextPeriod, periodName, periodStartsAt } from '../../src/domain/period-bounds';
import {
  findPlan,
  invoiceLine,
  invoiceTotals,
  packPriceOre,
  parseVatNumber,
  planChangeKind,
  prorateOre,
  upgradeCharge,
  withVat,
} from '../../src/domain/plans';
import { translator } from '../../src/i18n';

describe('plan changes', () => {
  const standard = { code: 'standard', includedOrders: 500 };

  it('call a plan with more included orders an upgrade, and anything else a downgrade', () => {
    expect(planChangeKind(standard, findPlan('business')!)).toBe('upgrade');
    expect(planChangeKind(standard, findPlan('starter')!)).toBe('downgrade');
    expect(planChangeKind(standard, findPlan('standard')!)).toBe('same');
    // A custom agreement with more orders than the catalogue plan: moving to it gives less.
    expect(planChangeKind({ code: 'custom', includedOrders: 3_000 }, findPlan('business')!)).toBe('downgrade');
  });
});

describe('money', () => {
  it('adds 25 % VAT in whole øre, rounded half up, without floating point', () => {
    expect(withVat(14_900)).toEqual({ netOre: 14_900, vatOre: 3_725, totalOre: 18_625 });
    expect(withVat(59_900)).toEqual({ netOre: 59_900, vatOre: 14_975, totalOre: 74_875 });
    expect(withVat(2)).toEqual({ netOre: 2, vatOre: 1, totalOre: 3 }); // 0.5 øre rounds up
    expect(withVat(1)).toEqual({ netOre: 1, vatOre: 0, totalOre: 1 });
    expect(invoiceTotals([invoiceLine('a', 2, 14_900), invoiceLine('b', 1, 1)])).toEqual(withVat(29_801));
  });

  it('rounds VAT half up where kroner in floating point round the wrong way', () => {
    // DKK 4.02 × 0.25 is 1.005 on paper but 1.00499… as a double: the kroner way gives DKK 1.00.
    expect(Math.round(4.02 * 0.25 * 100) / 100).toBe(1);
    expect(withVat(402)).toEqual({ netOre: 402, vatOre: 101, totalOre: 503 });
    // Every odd øre: a quarter, a half, three quarters.
    expect([1, 2, 3, 4, 5, 6, 10, 14].map((net) => withVat(net).vatOre)).toEqual([0, 1, 1, 1, 1, 2, 3, 4]);
    expect(withVat(0)).toEqual({ netOre: 0, vatOre: 0, totalOre: 0 });
  });

  it('sums many lines exactly where a sum of kroner drifts (0.1 + 0.2 ≠ 0.3)', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    expect(invoiceTotals([invoiceLine('a', 1, 10), invoiceLine('b', 1, 20)])).toEqual(withVat(30));
    // A thousand lines of DKK 0.10: 99.9999999999986 as summed doubles, exactly DKK 100 here.
    const lines = Array.from({ length: 1_000 }, (_, i) => invoiceLine(`line ${i}`, 1, 10));
    expect(lines.reduce((sum) => sum + 0.1, 0)).not.toBe(100);
    expect(invoiceTotals(lines)).toEqual({ netOre: 10_000, vatOre: 2_500, totalOre: 12_500 });
    // Odd øre on many lines: VAT is taken of the net sum once, not rounded line by line.
    const odd = Array.from({ length: 7 }, (_, i) => invoiceLine(`odd ${i}`, 3, 1)); // 7 × 3 øre = 21 øre
    expect(invoiceTotals(odd)).toEqual({ netOre: 21, vatOre: 5, totalOre: 26 }); // 5.25 → 5, not 7 × 0.75 → 7
    expect(translator('en').money(invoiceTotals(lines).totalOre)).toBe('DKK\u00a0125.00');
  });

  it('refuses a line that is not whole øre, so no fraction slips into an invoice', () => {
    expect(() => invoiceLine('x', 1, 14.9)).toThrow(/whole number/);
    expect(() => invoiceLine('x', 0.5, 100)).toThrow(/whole number/);
    expect(invoiceLine('x', 3, 14_900)).toEqual({
      description: 'x',
      quantity: 3,
      unitPriceOre: 14_900,
      amountOre: 44_700,
    });
  });

  it('prorates in whole øre, half up, in integer arithmetic', () => {
    // 123.45 × 9 / 30 = 37.035 kroner exactly: half up is 37.04; kroner as doubles give 37.03.
    expect(Math.round((12_345 / 100) * (9 / 30) * 100)).toBe(3_703);
    expect(prorateOre(12_345, 9, 30)).toBe(3_704);
    expect(prorateOre(3, 5, 30)).toBe(1); // half an øre rounds up
    expect(prorateOre(1, 1, 3)).toBe(0);
    expect(prorateOre(2, 1, 3)).toBe(1);
    expect(prorateOre(80_000, 30, 30)).toBe(80_000);
    expect(prorateOre(80_000, 0, 30)).toBe(0);
    expect(prorateOre(80_000, 11, 30)).toBe(29_333);
    // Far beyond any price, still exact: 2 × amount × part stays below 2^53.
    expect(prorateOre(1_000_000_000_001, 1, 2)).toBe(500_000_000_001);
    expect(() => prorateOre(100, 31, 30)).toThrow(/not a part/);
    expect(() => prorateOre(10.5, 1, 2)).toThrow(/whole number/);
  });

  it('charges an upgrade the price difference for the days left, today included', () => {
    const standard = findPlan('standard')!;
    const business = findPlan('business')!;
    // 20 November: 11 of 30 days left; (1,299 − 499) × 11 / 30 = 293.333… → 293.33.
    const charge = upgradeCharge(standard, business, daysLeftInPeriod('2026-11-20'), daysInPeriod('2026-11'));
    expect(charge).toBe(29_333);
    expect(invoiceTotals([invoiceLine('upgrade', 1, charge!)])).toEqual({
      netOre: 29_333,
      vatOre: 7_333,
      totalOre: 36_666,
    });
    // On the 1st the whole difference; on the last day one day's worth.
    expect(upgradeCharge(standard, business, 30, 30)).toBe(80_000);
    expect(upgradeCharge(standard, business, 1, 28)).toBe(2_857); // 2,857.14…
    expect(upgradeCharge(business, standard, 11, 30)).toBeUndefined();
  });

  it('words invoice lines in the tenant language, order counts with thousands separators', () => {
    const [en, da] = [translator('en'), translator('da')];
    const plan = { plan: 'Business', period: '2026-12', orders: 2_000 };
    expect(en.t('invoices.plan', plan)).toBe('Business plan, 2026-12: 2,000 orders');
    expect(da.t('invoices.plan', plan)).toBe('Abonnement Business, 2026-12: 2.000 ordrer');
    expect(da.t('invoices.plan', { ...plan, orders: 1 })).toBe('Abonnement Business, 2026-12: 1 ordre');
    const upgrade = { from: 'Standard', to: 'Business', daysLeft: 11, days: 30, period: '2026-11' };
    expect(en.t('invoices.upgrade', upgrade)).toBe('Upgrade Standard → Business, 11 of 30 days of 2026-11');
    expect(da.t('invoices.upgrade', upgrade)).toBe('Opgradering Standard → Business, 11 af 30 dage i 2026-11');
  });

  it('reads VAT numbers as people type them', () => {
    expect(parseVatNumber('DK12345678')).toBe('DK12345678');
    expect(parseVatNumber('dk 1234 5678')).toBe('DK12345678');
    expect(parseVatNumber('SE556677889901')).toBe('SE556677889901');
    expect(parseVatNumber('12345678')).toBeUndefined();
    expect(parseVatNumber('DK1234567')).toBeUndefined();
    expect(parseVatNumber('DK1234567890123')).toBeUndefined();
  });

  it('prices a pack outside the catalogue like the smallest pack, per order, rounded up', () => {
    expect(packPriceOre(500)).toBe(59_900);
    expect(packPriceOre(50)).toBe(7_450);
    expect(packPriceOre(33)).toBe(4_917); // 149 øre × 33 = 4,917
  });
});

describe('period bounds', () => {
  it('steps to the next period across a year', () => {
    expect(nextPeriod('2026-11')).toBe('2026-12');
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(() => nextPeriod('2026-13')).toThrow(/not a period/);
    expect(periodName('2026-12')).toBe('December 2026');
  });

  it('counts the days of a period and the days left of it, today included', () => {
    expect(['2026-11', '2026-12', '2027-02', '2028-02'].map(daysInPeriod)).toEqual([30, 31, 28, 29]);
    expect(daysLeftInPeriod('2026-11-01')).toBe(30);
    expect(daysLeftInPeriod('2026-11-30')).toBe(1);
    expect(daysLeftInPeriod('2028-02-29')).toBe(1);
    expect(() => daysLeftInPeriod('2026-11-31')).toThrow(/not a day/);
  });

  it('begins a period at local midnight on the 1st, in winter and in summer time', () => {
    expect(periodStartsAt('2026-12', 'Europe/Copenhagen').toISOString()).toBe('2026-11-30T23:00:00.000Z');
    expect(periodStartsAt('2026-07', 'Europe/Copenhagen').toISOString()).toBe('2026-06-30T22:00:00.000Z');
    // The month in which summer time begins still begins in winter time, and the other way round.
    expect(periodStartsAt('2026-04', 'Europe/Copenhagen').toISOString()).toBe('2026-03-31T22:00:00.000Z');
    expect(periodStartsAt('2026-11', 'Europe/Copenhagen').toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(periodStartsAt('2027-01', 'America/New_York').toISOString()).toBe('2027-01-01T05:00:00.000Z');
    expect(periodStartsAt('2027-01', 'UTC').toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });
});
