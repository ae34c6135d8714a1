import { nextPeriod, periodName, periodStartsAt } from '../../src/domain/period-bounds';
import {
  findPlan,
  formatOrders,
  invoiceLine,
  invoiceTotals,
  packPriceOre,
  planChangeKind,
  withVat,
} from '../../src/domain/plans';

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

  it('prices a pack outside the catalogue like the smallest pack, per order, rounded up', () => {
    expect(packPriceOre(500)).toBe(59_900);
    expect(packPriceOre(50)).toBe(7_450);
    expect(packPriceOre(33)).toBe(4_917); // 149 øre × 33 = 4,917
  });

  it('shows order counts with thousands separators', () => {
    expect(formatOrders(1)).toBe('1 order');
    expect(formatOrders(2_000)).toBe('2,000 orders');
  });
});

describe('period bounds', () => {
  it('steps to the next period across a year', () => {
    expect(nextPeriod('2026-11')).toBe('2026-12');
    expect(nextPeriod('2026-12')).toBe('2027-01');
    expect(() => nextPeriod('2026-13')).toThrow(/not a period/);
    expect(periodName('2026-12')).toBe('December 2026');
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
