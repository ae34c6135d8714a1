import { reconcilePurchaseAudits } from '../services/billing/purchase-audit';
import type { Models } from '../store';
import { defineJob } from './define-job';

export interface AuditPurchasesDeps {
  models: Pick<Models, 'Invoice' | 'AuditEntry'>;
}

/**
 * Writes the audit entries of purchases whose process stopped between the purchase and its entry
 * (billing/purchase-audit.ts). The service also runs it once at start; hourly catches a purchase
 * another instance left behind without a restart.
 */
export const auditPurchases = defineJob<AuditPurchasesDeps, { audited: number }>({
  name: 'audit-purchases',
  // Clear of the period roll at minute 5, which issues most invoices.
  schedule: '35 * * * *',
  async run({ models }, { logger }) {
    return { audited: await reconcilePurchaseAudits(models, logger) };
  },
});
