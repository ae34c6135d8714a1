import type { Entity } from '../../domain/events';

export interface UsageCounts {
  created: number;
  updated: number;
  failed: number;
}

export type EntityCounts = Record<Entity, UsageCounts>;

export interface FailureSummary {
  transferId: string;
  reference?: string;
  connectionLabel: string;
  errorCode: string;
  errorMessage: string;
  at: Date;
}

/** The dashboard's Home: what the integration handled, its quota, and what failed lately. */
export interface HomeView {
  tenantName: string;
  active: boolean;
  modules: { orders: boolean; products: boolean; stock: boolean };
  period: string;
  previousPeriod: string;
  current: EntityCounts;
  previous: EntityCounts;
  /** The last 7 days, oldest first, days without transfers included. */
  history: Array<{ day: string } & EntityCounts>;
  quota?: { includedOrders: number; topUpOrders: number; allowance: number; used: number };
  /** Transfers failing now (failed, and not succeeded on a retry since), newest first (at most 5). */
  recentFailures: FailureSummary[];
  /**
   * How many transfers are failing now. The period's `failed` counts every failure, also those a
   * retry has since fixed, so it reads as "failing now" only when this says so.
   */
  failingNow: number;
  /** Held transfers waiting for something to be switched back on. */
  heldCount: number;
}

export interface HomePort {
  home(tenantId: string, now: Date): Promise<HomeView>;
}
