import { z } from 'zod';
import { ENTITIES, type Entity } from '../../domain/events';
import { context, header, reply, text } from '../../chat/reply';
import { defineCommand } from '../define';
import { UserError } from '../errors';
import { flag } from '../options';
import { chartOrNothing, handled, imageBlock, periodFields, periodLine } from './status';

const PERIOD = /^(\d{4})-(0[1-9]|1[0-2])$/;

const periodSchema = z.string().trim().regex(PERIOD, 'usage.badPeriod');
const entitySchema = z.preprocess(
  // "orders" and "Order" mean order, as /iex log takes them.
  (value) => (typeof value === 'string' ? value.trim().toLowerCase().replace(/s$/, '') : value),
  z.enum(ENTITIES, { message: 'usage.badEntity' }),
) as z.ZodType<Entity>;

const ENTITY_NAME = {
  order: 'status.entityName.order',
  product: 'status.entityName.product',
  stock: 'status.entityName.stock',
} as const;

/**
 * A moment inside `period` for the Home port, which reads the period a moment falls in on the
 * tenant's clock: the 15th at noon UTC is inside the same month in every time zone.
 */
function insidePeriod(period: string): Date {
  const [year, month] = period.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1, 15, 12));
}

/**
 * `/iex usage [--period 2026-11] [--entity order]`: the usage chart full size, with the numbers
 * it shows as text beside it (and alone, when the chart cannot be drawn).
 */
export const usageCommand = defineCommand({
  name: 'usage',
  summary: 'usage.summary',
  help: 'usage.help',
  usage: '/iex usage [--period YYYY-MM] [--entity order|product|stock]',
  role: 'viewer',
  flags: {
    period: flag.text('usage.option.period', { schema: periodSchema.optional() }),
    entity: flag.text('usage.option.entity', { schema: entitySchema.optional(), choices: ENTITIES }),
  },
  async run(ctx, { period: asked, entity }) {
    const { t } = ctx;
    const now = await ctx.ports.home.home(ctx.tenantId, ctx.now);
    if (asked && asked > now.period)
      throw new UserError('bad_input', t.t('usage.notBegun', { period: asked, current: now.period }));
    // An earlier period: the Home port reads the period of a moment inside it.
    const shown = asked && asked !== now.period ? await ctx.ports.home.home(ctx.tenantId, insidePeriod(asked)) : now;
    const period = shown.period;
    const chart = await chartOrNothing(ctx, {
      tenantId: ctx.tenantId,
      period,
      ...(entity ? { entity } : {}),
      language: t.language,
      size: 'full',
      now: ctx.now,
    });
    const title = entity
      ? t.t('usage.titleEntity', { entity: t.t(ENTITY_NAME[entity]), period })
      : t.t('usage.title', { period });
    const numbers = entity
      ? [text(t.t('status.thisPeriod', { period })), text(handled(t, shown.current, entity))]
      : [text(t.t('status.thisPeriod', { period })), periodFields(t, shown.current)];
    const previous = entity
      ? t.t('status.lastPeriodEntity', {
          entity: t.t(ENTITY_NAME[entity]),
          handled: handled(t, shown.previous, entity),
        })
      : periodLine(t, shown.previous);
    const summary = entity ? handled(t, shown.current, entity) : periodLine(t, shown.current);
    return reply(t.t('usage.fallback', { period, summary }), [
      header(title),
      ...(chart ? [imageBlock(chart)] : [context(t.t('status.chartMissing'))]),
      ...numbers,
      context(t.t('status.lastPeriod', { period: shown.previousPeriod, summary: previous })),
    ]);
  },
});
