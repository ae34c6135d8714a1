import { z } from 'zod';
import { ENTITIES, type Entity } from '../../domain/events';
import { encodeAction } from '../../chat/actions';
import { defineCommand } from '../define';
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

const ENTITY_LABELS: Record<Entity, string> = { order: 'Orders', product: 'Products', stock: 'Stock' };

function handled(counts: EntityCounts, entity: Entity): string {
  const { created, updated, failed } = counts[entity];
  return `${created + updated} transferred (${created} created, ${updated} updated) · ${failed} failed`;
}

/** The Home dashboard as blocks; App Home and `/iex status` show the same. */
export function homeBlocks(view: HomeView): Block[] {
  const blocks: Block[] = [header(`${view.tenantName} — Home`)];
  if (!view.active) {
    blocks.push(
      text(
        '*The integration is deactivated: nothing is transferred.* New transfers are kept as held until it is active again.',
      ),
      actions(
        button('Activate the integration', encodeAction('settings.integration', { on: 1 }), { style: 'primary' }),
      ),
    );
  }
  const off = (Object.keys(view.modules) as Array<keyof HomeView['modules']>).filter((module) => !view.modules[module]);
  if (off.length > 0) blocks.push(text(`Modules switched off: ${off.join(', ')}.`));
  if (view.heldCount > 0)
    blocks.push(
      text(
        `*${view.heldCount} transfers are held* until what they need is switched back on. \`/iex log held\` lists them.`,
      ),
    );

  blocks.push(
    text(`*This period (${view.period})*`),
    fields(ENTITIES.map((entity) => [ENTITY_LABELS[entity], handled(view.current, entity)])),
    ...(ENTITIES.some((entity) => view.current[entity].failed > 0)
      ? [
          context(
            `Failed counts every failure this period, also those a retry has fixed since: ${view.failingNow} ${view.failingNow === 1 ? 'is' : 'are'} failing now.`,
          ),
        ]
      : []),
    context(
      `Last period (${view.previousPeriod}): ${ENTITIES.map((entity) => `${ENTITY_LABELS[entity].toLowerCase()} ${handled(view.previous, entity)}`).join('; ')}`,
    ),
  );
  if (view.quota) {
    const { used, allowance, includedOrders, topUpOrders } = view.quota;
    blocks.push(
      text(`*Orders used:* ${used} of ${allowance}  ${bar(used, allowance)}`),
      context(
        `${includedOrders} included in the plan${topUpOrders ? ` + ${topUpOrders} topped up` : ''} · ${Math.max(0, allowance - used)} left`,
      ),
    );
  }
  const history = view.history
    .map((day) => {
      const sum = (key: 'created' | 'updated' | 'failed') =>
        ENTITIES.reduce((total, entity) => total + day[entity][key], 0);
      return `${day.day}  created ${sum('created')} · updated ${sum('updated')} · failed ${sum('failed')}`;
    })
    .join('\n');
  blocks.push(divider(), text('*Last 7 days*'), { type: 'code', text: history });
  if (view.recentFailures.length === 0) {
    blocks.push(context('Failing now: none — every failure of the period has since succeeded, or there was none.'));
  } else {
    blocks.push(
      divider(),
      text(
        `*Failing now: ${view.failingNow}* — failed and not yet succeeded on a retry${view.failingNow > view.recentFailures.length ? `; the latest ${view.recentFailures.length}:` : ':'}`,
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
        button('Open the log of failures', encodeAction('log.page', { status: 'failed', page: 1 })),
        button('Retry failed (last 24 h)', encodeAction('retry.ask', { status: 'failed', hours: 24 })),
      ),
    );
  }
  return blocks;
}

export function homeReply(view: HomeView): Reply {
  const used = view.quota ? ` · ${view.quota.used}/${view.quota.allowance} orders used` : '';
  return reply(`${view.tenantName}: ${view.active ? 'active' : 'DEACTIVATED'}${used}`, homeBlocks(view));
}

export const statusCommand = defineCommand({
  name: 'status',
  summary: 'Home: transfers this period and the last, usage history, quota, recent failures',
  usage: '/iex status',
  role: 'viewer',
  async run(ctx) {
    return homeReply(await ctx.ports.home.home(ctx.tenantId, ctx.now));
  },
});
