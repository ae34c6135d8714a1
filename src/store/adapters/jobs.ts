import type { JobView, JobsPort } from '../../commands/ports/jobs';
import { holdFor } from '../../domain/holds';
import { connectionLabel } from '../../domain/labels';
import { DEFAULT_TIMEZONE } from '../models';
import type { AdapterDeps } from './deps';

export function createJobsPort({ models }: AdapterDeps): JobsPort {
  return {
    async list(tenantId) {
      const [tenant, systems, connections, jobs] = await Promise.all([
        models.Tenant.findOne({ tenantId }, { active: 1, modules: 1, timezone: 1 }).lean(),
        models.System.find({ tenantId }, { systemId: 1, name: 1, connected: 1 }).lean(),
        models.DataConnection.find({ tenantId }).sort({ entity: 1, connectionId: 1 }).lean(),
        models.Job.find({ tenantId }).sort({ jobId: 1 }).lean(),
      ]);
      const tenantZone = tenant?.timezone ?? DEFAULT_TIMEZONE;
      const views: JobView[] = [];
      for (const connection of connections) {
        const label = connectionLabel(connection, systems);
        const hold = tenant
          ? holdFor({
              tenant,
              system: systems.find((system) => system.systemId === connection.fromSystemId),
              connection: { active: connection.active, name: label },
              entity: connection.entity,
            })
          : undefined;
        const base = {
          connectionId: connection.connectionId,
          label,
          entity: connection.entity,
          mode: connection.mode,
          ...(hold ? { heldBy: hold.message } : {}),
        };
        const own = jobs.filter((job) => job.connectionId === connection.connectionId);
        for (const job of own) {
          views.push({
            ...base,
            jobId: job.jobId,
            cron: job.cron,
            timezone: job.timezone ?? connection.timezone ?? tenantZone,
            ...(job.lastRunAt ? { lastRunAt: job.lastRunAt } : {}),
            ...(job.lastStatus ? { lastStatus: job.lastStatus } : {}),
            ...(job.nextRunAt ? { nextRunAt: job.nextRunAt } : {}),
          });
        }
        // A scheduled connection whose job the scheduler has not recorded yet still has a schedule.
        if (own.length === 0) {
          views.push({
            ...base,
            ...(connection.mode === 'schedule' && connection.cron ? { cron: connection.cron } : {}),
            timezone: connection.timezone ?? tenantZone,
          });
        }
      }
      const scheduled = (job: JobView) => (job.cron ? 0 : 1);
      return views.sort((a, b) => scheduled(a) - scheduled(b));
    },
  };
}
