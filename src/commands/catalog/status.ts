import { ENTITIES, type Entity } from '../../domain/events';
import { encodeAction } from '../../chat/actions';
import type { Translator } from '../../i18n';
import { defineCommand, type CommandContext } from '../define';
import type { ChartImage, ChartsPort, UsageChartRequest } from '../ports/charts';
import type { EntityCounts, HomeView } from '../ports/home';
import {
  actions,
  bar,
  button,
  context,
  divider,
  fields,
  header,
  reply,
  text,
  type Block,
  type Reply,
} from '../../chat/reply';

const ENTITY_NAME = {
  order: 'status.entityName.order',
  product: 'status.entityName.product',
  stock: 'status.entityName.stock',
} as const;
const ENTITY_LABEL = {
  order: 'common.entities.order',
  product: 'common.entities.product',
  stock: 'common.entities.stock',
} as const;
const MODULE_ENTITY = { orders: 'order', products: 'product', stock: 'stock' } as const satisfies Record<
  keyof HomeView['modules'],
  Entity
>;

export function handled(t: Translator, counts: EntityCounts, entity: Entity): string {
  const { created, updated, failed } = counts[entity];
  return t.t('status.handled', { transferred: created + updated, created, updated, failed });
}

/** "orders 5 transferred (…); products …": a period's numbers on one line. */
export function periodLine(t: Translator, counts: EntityCounts): string {
  return ENTITIES.map((entity) =>
    t.t('status.lastPeriodEntity', { entity: t.t(ENTITY_NAME[entity]), handled: handled(t, counts, entity) }),
  ).join('; ');
}

/** The period's numbers as fields, one per entity. */
export function periodFields(t: Translator, counts: EntityCounts): Block {
  return fields(ENTITIES.map((entity) => [t.t(ENTITY_LABEL[entity]), handled(t, counts, entity)]));
}

/** Asks the charts port for a chart; a chart that cannot be drawn leaves the reply with its numbers. */
export async function chartOrNothing(
  ctx: Pick<CommandContext, 'ports' | 'logger' | 'tenantId'>,
  request: UsageChartRequest,
): Promise<ChartImage | undefined> {
  // The charts port is optional for hosts (and tests) that wire no renderer.
  const charts = (ctx.ports as { charts?: ChartsPort }).charts;
  if (!charts) return undefined;
  try {
    return await charts.usageChart(request);
  } catch (error) {
    ctx.logger.error(
      { err: error, tenantId: ctx.tenantId, period: request.period, entity: request.entity },
      'the usage chart could not be rendered; the reply shows the numbers without it',
    );
    return undefined;
  }
}

export function imageBlock(chart: ChartImage): Block {
  return {
    type: 'image',
    image: {
      png: chart.png,
      width: chart.width,
      height: chart.height,
      alt: chart.alt,
      fileName: chart.fileName,
      svg: chart.svg,
      ...(chart.url ? { url: chart.url } : {}),
    },
  };
}

/**
 * The Home dashboard as blocks; App Home and `/iex status` show the same. `chart` is the small
 * usage chart: absent when none could be drawn (`chartTried`), and then a line says so.
 */
export function homeBlocks(view: HomeView, t: Translator, chart?: ChartImage, chartTried = false): Block[] {
  const blocks: Block[] = [header(t.t('status.title', { tenant: view.tenantName }))];
  if (!view.active) {
    blocks.push(
      text(t.t('status.deactivated')),
      actions(button(t.t('status.activate'), encodeAction('settings.integration', { on: 1 }), { style: 'primary' })),
    );
  }
  const off = (Object.keys(view.modules) as Array<keyof HomeView['modules']>).filter((module) => !view.modules[module]);
  if (off.length > 0)
    blocks.push(
      text(t.t('status.modulesOff', { modules: t.list(off.map((module) => t.t(ENTITY_NAME[MODULE_ENTITY[module]]))) })),
    );
  if (view.heldCount > 0) blocks.push(text(t.t('status.held', { count: view.heldCount })));

  blocks.push(
    text(t.t('status.thisPeriod', { period: view.period })),
    periodFields(t, view.current),
    ...(ENTITIES.some((entity) => view.current[entity].failed > 0)
      ? [context(t.t('status.failedVersusNow', { count: view.failingNow }))]
      : []),
    context(t.t('status.lastPeriod', { period: view.previousPeriod, summary: periodLine(t, view.previous) })),
  );
  if (view.quota) {
    const { used, allowance, includedOrders, topUpOrders } = view.quota;
    blocks.push(
      text(t.t('status.quotaUsed', { used, allowance, bar: bar(used, allowance) })),
      context(
        t.t('status.quotaDetail', {
          included: includedOrders,
          topUp: topUpOrders,
          left: Math.max(0, allowance - used),
        }),
      ),
    );
  }
  if (chart) blocks.push(imageBlock(chart), context(t.t('status.chartHint')));
  else if (chartTried) blocks.push(context(t.t('status.chartMissing')));
  const history = view.history
    .map((day) => {
      const sum = (key: 'created' | 'updated' | 'failed') =>
        ENTITIES.reduce((total, entity) => total + day[entity][key], 0);
      return t.t('status.historyLine', {
        day: day.day,
        created: sum('created'),
        updated: sum('updated'),
        failed: sum('failed'),
      });
    })
    .join('\n');
  blocks.push(divider(), text(t.t('status.last7Days')), { type: 'code', text: history });
  if (view.recentFailures.length === 0) {
    blocks.push(context(t.t('status.noneFailing')));
  } else {
    blocks.push(
      divider(),
      text(
        t.t('status.failingNow', {
          count: view.failingNow,
          more: view.failingNow > view.recentFailures.length,
          shown: view.recentFailures.length,
        }),
      ),
      text(
        view.recentFailures
          .map(
            (failure) =>
              `• ${failure.reference ?? failure.transferId} · ${failure.connectionLabel} · \`${failure.errorCode}\` ${failure.errorMessage}`,
          )
          .join('\n'),
      ),
      actions(
        button(t.t('status.openFailures'), encodeAction('log.page', { status: 'failed', page: 1 })),
        button(t.t('status.retryFailed'), encodeAction('retry.ask', { status: 'failed', hours: 24 })),
      ),
    );
  }
  return blocks;
}

export function homeReply(view: HomeView, t: Translator, chart?: ChartImage, chartTried = false): Reply {
  const fallback = t.t('status.fallback', {
    tenant: view.tenantName,
    active: view.active,
    quota: Boolean(view.quota),
    used: view.quota?.used ?? 0,
    allowance: view.quota?.allowance ?? 0,
  });
  return reply(fallback, homeBlocks(view, t, chart, chartTried));
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'status.summary',
  help: 'status.help',
  usage: '/iex status',
  role: 'viewer',
  async run(ctx) {
    const charts = (ctx.ports as { charts?: ChartsPort }).charts;
    const [view, chart] = await Promise.all([
      ctx.ports.home.home(ctx.tenantId, ctx.now),
      chartOrNothing(ctx, { tenantId: ctx.tenantId, language: ctx.t.language, size: 'small', now: ctx.now }),
    ]);
    return homeReply(view, ctx.t, chart, Boolean(charts));
  },
});
