import { z } from 'zod';
import { parseRecipient } from '../../domain/notifications';
import { daysInPeriod, daysLeftInPeriod, nextPeriod, periodName } from '../../domain/period-bounds';
import {
  findPlan,
  formatDkk,
  formatOrders,
  MAX_AUTO_TOP_UPS_PER_PERIOD,
  parseVatNumber,
  PLANS,
  planChangeKind,
  TOP_UP_PACKS,
  upgradeLine,
  VAT_PERCENT,
  withVat,
  type Plan,
  type PlanChange,
} from '../../domain/plans';
import { encodeAction } from '../actions';
import { defineAction, defineCommand, type CommandContext } from '../define';
import { UserError } from '../errors';
import { pageControls } from '../paging';
import type {
  AutoTopUpPolicy,
  BillingDetails,
  BillingDetailsChange,
  InvoiceDetail,
  InvoiceView,
  SubscriptionView,
} from '../ports/billing';
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
  type Button,
  type Reply,
} from '../reply';
import { hasRole } from '../roles';
import { packOf } from './topup';

const INVOICES_PER_PAGE = 10;
const PACK_CHOICES = TOP_UP_PACKS.map((pack) => pack.orders).join('|');
const AUTO_TOP_UP_USAGE = `/iex subscription autotopup on|off [--pack ${PACK_CHOICES}] [--max N]`;
const BILLING_USAGE = '/iex subscription billing [--company "…"] [--vat DK12345678] [--email …] [--address "…"]';
const INVOICE_USAGE = '/iex subscription invoice NUMBER';
const USAGE = `/iex subscription [autotopup on|off --pack ${PACK_CHOICES} --max N | billing --company "…" --vat … --email … --address "…" | invoice NUMBER | invoices]`;

const NO_SUBSCRIPTION = 'This integration has no subscription yet. Ask your IEX contact to set one up.';

const planName = (code: string) => findPlan(code)?.name ?? code;
const monthly = (priceOre: number) => `${formatDkk(priceOre)} a month excl. VAT`;
/** "1 December 2026": the day a period begins, as people read it. */
const firstDayOf = (period: string) => `1 ${periodName(period)}`;

function invoiceLines(invoices: InvoiceView[]): string {
  return invoices
    .map(
      (invoice) =>
        `• \`${invoice.number}\` · ${invoice.day} · ${formatDkk(invoice.totalOre)} incl. VAT — ${invoice.description}`,
    )
    .join('\n');
}

function autoTopUpText({ autoTopUp, topUps }: SubscriptionView): string {
  if (!autoTopUp.enabled)
    return (
      '*Automatic top-up:* off — when the orders run out, new orders are held until someone tops up. ' +
      `Switched on, it adds ${formatOrders(autoTopUp.packOrders)} at a time, at most ${timesAPeriod(autoTopUp.maxPerPeriod)}.`
    );
  return (
    `*Automatic top-up:* on — when the orders run out, ${formatOrders(autoTopUp.packOrders)} are added for ` +
    `${formatDkk(autoTopUp.packPriceOre)} excl. VAT, at most ${timesAPeriod(autoTopUp.maxPerPeriod)} (${topUps.automatic} so far).`
  );
}

const timesAPeriod = (count: number) => (count === 1 ? 'once a period' : `${count} times a period`);

function autoTopUpButton(view: SubscriptionView): Button {
  if (view.autoTopUp.enabled) {
    return button('Automatic top-up off', encodeAction('subscription.autotopup', { on: 0 }), {
      style: 'danger',
      confirm: {
        title: 'Switch automatic top-up off?',
        text: 'When the orders of a period run out, new orders are held until someone tops up with `/iex topup`.',
        confirm: 'Switch off',
        deny: 'Cancel',
      },
    });
  }
  const over = view.used > view.allowance;
  return button('Automatic top-up on', encodeAction('subscription.autotopup', { on: 1 }), {
    ...(over
      ? {
          confirm: {
            title: 'Switch automatic top-up on?',
            text: `This period is ${formatOrders(view.used - view.allowance)} over its allowance: packs of ${formatOrders(view.autoTopUp.packOrders)} are bought at once, and invoiced.`,
            confirm: 'Switch on and buy',
            deny: 'Cancel',
          },
        }
      : {}),
  });
}

/** The Subscription section as blocks. */
export function subscriptionBlocks(view: SubscriptionView): Block[] {
  const { plan, used, allowance, topUps } = view;
  const over = used - allowance;
  const blocks: Block[] = [
    header(`Subscription — ${plan.name}`),
    fields([
      ['Plan', `*${plan.name}* · ${plan.priceOre === undefined ? 'custom agreement' : monthly(plan.priceOre)}`],
      ['Included orders', `${formatOrders(view.includedOrders)} a month`],
      [`Used in ${periodName(view.period)}`, formatOrders(used)],
      [
        'Top-ups this period',
        topUps.count === 0
          ? 'none'
          : `${topUps.count} · ${formatOrders(topUps.orders)}${topUps.automatic ? ` (${topUps.automatic} automatic)` : ''}`,
      ],
      ['Remaining', over > 0 ? `none — ${formatOrders(over)} over` : formatOrders(allowance - used)],
    ]),
    text(
      `*Orders used:* ${used.toLocaleString('en-US')} of ${allowance.toLocaleString('en-US')}  ${bar(used, allowance)}`,
    ),
  ];
  if (view.pendingPlan) {
    blocks.push(
      text(
        `Changes to *${view.pendingPlan.name}* on ${firstDayOf(view.pendingPlan.period)}, when the next period begins.`,
      ),
    );
  }
  blocks.push(text(autoTopUpText(view)), divider(), text('*Billing details*'));
  const billing: Array<[string, string]> = [
    ['Company', view.billing.company],
    ['VAT number', view.billing.vatNumber],
    ['Invoice e-mail', view.billing.email],
    ['Address', view.billing.address],
  ].filter((entry): entry is [string, string] => Boolean(entry[1]));
  blocks.push(
    billing.length ? fields(billing) : context('No billing details on file.'),
    context(`Change them: \`${BILLING_USAGE}\``),
    divider(),
    text('*Latest invoices*'),
  );
  blocks.push(view.invoices.length ? text(invoiceLines(view.invoices)) : context('No invoices yet.'));
  if (view.invoices.length) blocks.push(context(`One in full: \`${INVOICE_USAGE}\``));
  const buttons: Button[] = [
    button('Top up', encodeAction('topup.packs', { replace: 1 }), { style: 'primary' }),
    button('Upgrade plan', encodeAction('subscription.plans')),
    autoTopUpButton(view),
  ];
  if (view.invoiceCount > view.invoices.length) {
    buttons.push(button(`All invoices (${view.invoiceCount})`, encodeAction('subscription.invoices', { page: 1 })));
  }
  blocks.push(actions(...buttons));
  return blocks;
}

async function currentSubscription(ctx: CommandContext): Promise<SubscriptionView> {
  const view = await ctx.ports.billing.subscription(ctx.tenantId, ctx.now);
  if (!view) throw new UserError('not_found', NO_SUBSCRIPTION);
  return view;
}

/** The section, after a one-line summary of what just changed when there is one. */
async function subscriptionReply(
  ctx: CommandContext,
  options: { summary?: string; replaceOriginal?: boolean } = {},
): Promise<Reply> {
  const view = await currentSubscription(ctx);
  const status = `${view.plan.name}: ${view.used}/${view.allowance} orders used in ${view.period}`;
  const blocks = subscriptionBlocks(view);
  return reply(options.summary ?? status, options.summary ? [text(options.summary), ...blocks] : blocks, {
    replaceOriginal: options.replaceOriginal ?? false,
  });
}

/** What upgrading to `plan` today costs: the price difference for the days left, today included. */
function upgradeCost(view: SubscriptionView, plan: Plan): string | undefined {
  const from = findPlan(view.plan.code);
  const line = from && upgradeLine(from, plan, view.period, daysLeftInPeriod(view.day), daysInPeriod(view.period));
  if (!line) return undefined;
  const { totalOre } = withVat(line.amountOre);
  const days = daysLeftInPeriod(view.day);
  return `Charged now for the ${days} ${days === 1 ? 'day' : 'days'} left of ${periodName(view.period)}: ${formatDkk(line.amountOre)} + VAT = ${formatDkk(totalOre)}.`;
}

function planButton(view: SubscriptionView, plan: Plan): Button {
  const current = { code: view.plan.code, includedOrders: view.includedOrders };
  const kind = planChangeKind(current, plan);
  const action = encodeAction('subscription.plan', { code: plan.code });
  if (kind === 'same') return button(`Keep ${plan.name}`, action);
  if (kind === 'upgrade') {
    const cost = upgradeCost(view, plan);
    return button(`Upgrade to ${plan.name}`, action, {
      style: 'primary',
      confirm: {
        title: `Upgrade to ${plan.name}?`,
        text: `From now on, this period included: ${formatOrders(plan.includedOrders)} a month for ${monthly(plan.priceOre)}.${cost ? ` ${cost}` : ''}`,
        confirm: 'Upgrade',
        deny: 'Cancel',
      },
    });
  }
  return button(`Downgrade to ${plan.name}`, action, {
    confirm: {
      title: `Downgrade to ${plan.name}?`,
      text: `From ${firstDayOf(nextPeriod(view.period))}: ${formatOrders(plan.includedOrders)} a month for ${monthly(plan.priceOre)}. This period keeps its ${formatOrders(view.includedOrders)}.`,
      confirm: 'Downgrade',
      deny: 'Cancel',
    },
  });
}

function plansReply(view: SubscriptionView): Reply {
  const lines = PLANS.map(
    (plan) =>
      `• *${plan.name}* — ${formatOrders(plan.includedOrders)} a month · ${monthly(plan.priceOre)}${plan.code === view.plan.code ? '  _(your plan)_' : ''}`,
  );
  const choices = PLANS.filter((plan) => plan.code !== view.plan.code || view.pendingPlan).map((plan) =>
    planButton(view, plan),
  );
  const blocks: Block[] = [
    header('Change plan'),
    text(`You are on *${view.plan.name}* (${formatOrders(view.includedOrders)} a month).`),
    ...(view.pendingPlan
      ? [text(`A change to *${view.pendingPlan.name}* waits for ${firstDayOf(view.pendingPlan.period)}.`)]
      : []),
    text(lines.join('\n')),
    context(
      `An upgrade applies at once: its orders count for this period, and the price difference for the days left of it is invoiced. A downgrade applies from ${firstDayOf(nextPeriod(view.period))}, when the next period begins.`,
    ),
    actions(...choices, button('Back', encodeAction('subscription.show'))),
  ];
  return reply(`Plans: ${PLANS.map((plan) => plan.name).join(', ')}`, blocks, { replaceOriginal: true });
}

function requireAdmin(ctx: CommandContext, what: string): void {
  if (!hasRole(ctx.role, 'admin')) throw new UserError('forbidden', `Only admins can ${what}; you are a ${ctx.role}.`);
}

// ---- Automatic top-up policy ----

function policyText(policy: AutoTopUpPolicy): string {
  return `${formatOrders(policy.packOrders)} are added, at most ${timesAPeriod(policy.maxPerPeriod)}`;
}

/** Changes the policy (button or command), records the change and says what it did. */
async function changeAutoTopUp(
  ctx: CommandContext,
  change: Partial<AutoTopUpPolicy>,
  replaceOriginal: boolean,
): Promise<Reply> {
  const result = await ctx.ports.billing.setAutoTopUp(ctx.tenantId, change, ctx.caller, ctx.now);
  if (!result) throw new UserError('not_found', NO_SUBSCRIPTION);
  const { before, after, packsBought, releasedHold } = result;
  const changed = (Object.keys(after) as Array<keyof AutoTopUpPolicy>).filter((key) => after[key] !== before[key]);
  if (changed.length === 0) {
    const summary = after.enabled
      ? `Automatic top-up is already on: when the orders run out, ${policyText(after)}.`
      : 'Automatic top-up is already off.';
    return subscriptionReply(ctx, { summary, replaceOriginal });
  }
  const action =
    before.enabled === after.enabled
      ? 'subscription.autotopup.policy'
      : after.enabled
        ? 'subscription.autotopup.on'
        : 'subscription.autotopup.off';
  await ctx.ports.changes.record({
    tenantId: ctx.tenantId,
    caller: ctx.caller,
    action,
    target: 'autoTopUp',
    details: { ...after, changed, before, ...(packsBought ? { packsBought } : {}) },
  });
  let summary = after.enabled
    ? `Automatic top-up is on: when the orders run out, ${policyText(after)}.`
    : before.enabled
      ? 'Automatic top-up is off: when the orders run out, new orders are held until someone tops up with `/iex topup`.'
      : `Automatic top-up stays off; switched on, ${policyText(after)}.`;
  if (packsBought > 0) {
    summary += ` The period was over its allowance, so ${packsBought === 1 ? 'a pack was' : `${packsBought} packs were`} bought at once.`;
  }
  if (releasedHold) summary += ' Orders held because the allowance was used up are released.';
  return subscriptionReply(ctx, { summary, replaceOriginal });
}

function autoTopUpChange(
  state: string | undefined,
  flags: { pack?: string | undefined; max?: string | undefined },
): Partial<AutoTopUpPolicy> {
  const change: Partial<AutoTopUpPolicy> = {};
  if (state !== undefined) {
    const word = state.toLowerCase();
    if (word !== 'on' && word !== 'off')
      throw new UserError('bad_input', `\`${state}\`: say on or off. Usage: \`${AUTO_TOP_UP_USAGE}\``);
    change.enabled = word === 'on';
  }
  if (flags.pack !== undefined) change.packOrders = packOf(flags.pack).orders;
  if (flags.max !== undefined) {
    const max = /^\d{1,3}$/.test(flags.max) ? Number(flags.max) : NaN;
    if (!(max >= 0 && max <= MAX_AUTO_TOP_UPS_PER_PERIOD))
      throw new UserError(
        'bad_input',
        `--max: give a whole number from 0 to ${MAX_AUTO_TOP_UPS_PER_PERIOD} (automatic packs a period), not \`${flags.max}\`.`,
      );
    change.maxPerPeriod = max;
  }
  if (Object.keys(change).length === 0)
    throw new UserError('bad_input', `Say what to change. Usage: \`${AUTO_TOP_UP_USAGE}\``);
  return change;
}

// ---- Billing details ----

const BILLING_LABELS: Record<keyof BillingDetails, string> = {
  company: 'company',
  vatNumber: 'VAT number',
  email: 'invoice e-mail',
  address: 'address',
};
const TEXT_LIMITS = { company: 100, address: 200 };

function billingChange(flags: {
  company?: string | undefined;
  vat?: string | undefined;
  email?: string | undefined;
  address?: string | undefined;
}): BillingDetailsChange {
  const change: BillingDetailsChange = {};
  // An empty value ("") clears the field.
  const cleared = (value: string) => value.trim() === '';
  for (const field of ['company', 'address'] as const) {
    const value = flags[field];
    if (value === undefined) continue;
    const trimmed = value.trim().replace(/\s+/g, ' ');
    if (trimmed.length > TEXT_LIMITS[field])
      throw new UserError('bad_input', `--${field}: at most ${TEXT_LIMITS[field]} characters.`);
    change[field] = cleared(value) ? null : trimmed;
  }
  if (flags.vat !== undefined) {
    const vatNumber = cleared(flags.vat) ? null : parseVatNumber(flags.vat);
    if (vatNumber === undefined)
      throw new UserError(
        'bad_input',
        `--vat: \`${flags.vat}\` is not a VAT number; give the country prefix and 8–12 digits or letters, e.g. DK12345678.`,
      );
    change.vatNumber = vatNumber;
  }
  if (flags.email !== undefined) {
    if (cleared(flags.email)) change.email = null;
    else {
      const parsed = parseRecipient(flags.email, { platform: 'console' });
      if (!('kind' in parsed) || parsed.kind !== 'email')
        throw new UserError('bad_input', `--email: \`${flags.email}\` is not a valid e-mail address.`);
      change.email = parsed.target;
    }
  }
  if (Object.keys(change).length === 0)
    throw new UserError(
      'bad_input',
      `Give at least one of --company, --vat, --email, --address. Usage: \`${BILLING_USAGE}\``,
    );
  return change;
}

async function changeBillingDetails(ctx: CommandContext, change: BillingDetailsChange): Promise<Reply> {
  const result = await ctx.ports.billing.setBillingDetails(ctx.tenantId, change);
  if (!result) throw new UserError('not_found', NO_SUBSCRIPTION);
  const { before, after } = result;
  const changed = (Object.keys(BILLING_LABELS) as Array<keyof BillingDetails>).filter(
    (field) => before[field] !== after[field],
  );
  if (changed.length === 0) return subscriptionReply(ctx, { summary: 'The billing details were already so.' });
  await ctx.ports.changes.record({
    tenantId: ctx.tenantId,
    caller: ctx.caller,
    action: 'subscription.billing',
    target: 'billing',
    details: { changed, ...Object.fromEntries(changed.map((field) => [field, after[field] ?? null])) },
  });
  const said = changed.map((field) =>
    after[field] === undefined ? `${BILLING_LABELS[field]} cleared` : `${BILLING_LABELS[field]} ${after[field]}`,
  );
  return subscriptionReply(ctx, { summary: `Billing details changed: ${said.join('; ')}.` });
}

// ---- Invoices ----

function invoiceReply(invoice: InvoiceDetail): Reply {
  const lines = invoice.lines.map(
    (line) =>
      `• ${line.description}\n   ${line.quantity} × ${formatDkk(line.unitPriceOre)} = ${formatDkk(line.amountOre)}`,
  );
  const blocks: Block[] = [
    header(`Invoice ${invoice.number}`),
    fields([
      ['Number', `\`${invoice.number}\``],
      ['Date', invoice.day],
    ]),
    text(lines.join('\n')),
    fields([
      ['Net', formatDkk(invoice.netOre)],
      [`VAT ${VAT_PERCENT} %`, formatDkk(invoice.vatOre)],
      ['Total', `*${formatDkk(invoice.totalOre)}*`],
    ]),
    actions(
      button('All invoices', encodeAction('subscription.invoices', { page: 1 })),
      button('Subscription', encodeAction('subscription.show')),
    ),
  ];
  return reply(
    `Invoice ${invoice.number} of ${invoice.day}: ${formatDkk(invoice.totalOre)} incl. VAT — ${invoice.description}`,
    blocks,
  );
}

async function invoicesReply(ctx: CommandContext, page: number, replaceOriginal: boolean): Promise<Reply> {
  const skip = (page - 1) * INVOICES_PER_PAGE;
  const { invoices, total } = await ctx.ports.billing.invoices(ctx.tenantId, { skip, limit: INVOICES_PER_PAGE });
  const pages = Math.max(1, Math.ceil(total / INVOICES_PER_PAGE));
  return reply(
    `Invoices, page ${page} of ${pages}`,
    [
      header('Invoices'),
      context(`Newest first. One in full: \`${INVOICE_USAGE}\``),
      invoices.length
        ? text(invoiceLines(invoices))
        : context(total ? 'No invoices on this page.' : 'No invoices yet.'),
      ...pageControls({ items: invoices, page, pages, total }, 'subscription.invoices'),
      actions(button('Back', encodeAction('subscription.show'))),
    ],
    { replaceOriginal },
  );
}

// ---- The command and its buttons ----

/** A flag's value; a bare `--pack` (no value) is refused with this. */
const flagValue = z.string({ error: 'needs a value' }).optional();

export const subscriptionCommand = defineCommand({
  name: 'subscription',
  summary: 'Plan, orders used and left, top-ups, billing details and invoices; top up, upgrade, automatic top-up',
  usage: USAGE,
  help: [
    "Without words, shows the plan and this period's orders. Buttons: *Top up* buys extra orders for this period, *Upgrade plan* changes the plan (an upgrade applies at once and its price difference for the rest of the period is invoiced; a downgrade applies from the next period), *Automatic top-up* on or off.",
    `• \`${AUTO_TOP_UP_USAGE}\` — what automatic top-up buys when the orders run out: which pack, and at most how many packs a period (0–${MAX_AUTO_TOP_UPS_PER_PERIOD}). E.g. \`/iex subscription autotopup on --pack 500 --max 3\`.`,
    `• \`${BILLING_USAGE}\` — the details invoices are made out to. Put a value with spaces in double quotes: \`/iex subscription billing --company "Shop ApS" --address "Storegade 1, 8000 Aarhus C" --vat DK12345678 --email finance@shop.dk\`; \`--address ""\` clears one.`,
    `• \`${INVOICE_USAGE}\` — one invoice with its lines, net amount, VAT ${VAT_PERCENT} % and total; \`/iex subscription invoices\` lists them all.`,
    'Changing anything needs an admin.',
  ].join('\n'),
  role: 'viewer',
  // Lenient on purpose: which options go with which word is checked in `run`, with a better message.
  args: z.object({
    _: z.array(z.string()).max(2, 'at most two words, e.g. `autotopup on` or `invoice NUMBER`'),
    pack: flagValue,
    max: flagValue,
    company: flagValue,
    vat: flagValue,
    email: flagValue,
    address: flagValue,
  }),
  async run(ctx, { _: words, ...flags }) {
    const [word, value] = words;
    const given = (names: readonly string[]) =>
      Object.entries(flags)
        .filter(([name, flag]) => flag !== undefined && !names.includes(name))
        .map(([name]) => `--${name}`);
    const refuseOthers = (names: readonly string[], usage: string) => {
      const others = given(names);
      if (others.length)
        throw new UserError('bad_input', `${others.join(', ')} does not go with this. Usage: \`${usage}\``);
    };
    switch (word?.toLowerCase()) {
      case undefined:
        refuseOthers([], USAGE);
        return subscriptionReply(ctx);
      case 'autotopup':
        refuseOthers(['pack', 'max'], AUTO_TOP_UP_USAGE);
        requireAdmin(ctx, 'change automatic top-up');
        return changeAutoTopUp(ctx, autoTopUpChange(value, flags), false);
      case 'billing':
        refuseOthers(['company', 'vat', 'email', 'address'], BILLING_USAGE);
        if (value !== undefined)
          throw new UserError(
            'bad_input',
            `\`${value}\` is not an option. Put a value with spaces in double quotes, e.g. --company "Shop ApS". Usage: \`${BILLING_USAGE}\``,
          );
        requireAdmin(ctx, 'change the billing details');
        return changeBillingDetails(ctx, billingChange(flags));
      case 'invoice': {
        refuseOthers([], INVOICE_USAGE);
        const number = value?.replace(/`/g, '').trim().toUpperCase();
        if (!number) throw new UserError('bad_input', `Which invoice? Usage: \`${INVOICE_USAGE}\``);
        const invoice = await ctx.ports.billing.invoice(ctx.tenantId, number);
        if (!invoice)
          throw new UserError(
            'not_found',
            `There is no invoice \`${number}\` for this integration. \`/iex subscription invoices\` lists them.`,
          );
        return invoiceReply(invoice);
      }
      case 'invoices':
        refuseOthers([], USAGE);
        if (value !== undefined)
          throw new UserError('bad_input', `\`invoices\` takes no more words. Usage: \`${USAGE}\``);
        return invoicesReply(ctx, 1, false);
      default:
        throw new UserError('bad_input', `\`${word}\` is not part of \`/iex subscription\`. Usage: \`${USAGE}\``);
    }
  },
});

const showSubscriptionAction = defineAction({
  id: 'subscription.show',
  role: 'viewer',
  values: z.object({}),
  run: (ctx) => subscriptionReply(ctx, { replaceOriginal: true }),
});

const choosePlanAction = defineAction({
  id: 'subscription.plans',
  role: 'viewer',
  values: z.object({}),
  run: async (ctx) => plansReply(await currentSubscription(ctx)),
});

type Upgraded = Extract<PlanChange, { kind: 'upgraded' }>;

function upgradeSummary(change: Upgraded, plan: Plan, releasedHold: boolean): string {
  const { charge } = change;
  if (charge && !charge.created) {
    return `Already upgraded to *${plan.name}* on invoice \`${charge.invoiceNumber}\` (${formatDkk(charge.totalOre)} incl. VAT). Nothing was charged again.`;
  }
  return (
    `Upgraded from ${planName(change.from)} to *${plan.name}*: ${formatOrders(plan.includedOrders)} a month, counting from this period, for ${monthly(plan.priceOre)}.` +
    (charge
      ? ` Invoice \`${charge.invoiceNumber}\`: ${charge.description}, ${formatDkk(charge.netOre)} + VAT ${formatDkk(charge.vatOre)} = ${formatDkk(charge.totalOre)}.`
      : '') +
    (releasedHold ? ' Orders held because the allowance was used up are released.' : '')
  );
}

const changePlanAction = defineAction({
  id: 'subscription.plan',
  role: 'admin',
  values: z.object({ code: z.string().min(1) }),
  async run(ctx, { code }) {
    const plan = findPlan(code);
    if (!plan) throw new UserError('not_found', 'That plan is no longer offered. Run `/iex subscription` again.');
    const change = await ctx.ports.billing.changePlan(ctx.tenantId, plan, ctx.caller, ctx.now);
    if (!change) throw new UserError('not_found', NO_SUBSCRIPTION);
    const record = (action: string, details: Record<string, unknown>) =>
      ctx.ports.changes.record({ tenantId: ctx.tenantId, caller: ctx.caller, action, target: plan.code, details });
    let summary: string;
    switch (change.kind) {
      case 'upgraded': {
        const { charge } = change;
        // A second click that found the upgrade's invoice already issued changed nothing new.
        if (!charge || charge.created) {
          await record('subscription.upgrade', {
            from: change.from,
            to: plan.code,
            includedOrders: plan.includedOrders,
            priceOre: plan.priceOre,
            ...(charge
              ? {
                  invoiceNumber: charge.invoiceNumber,
                  netOre: charge.netOre,
                  vatOre: charge.vatOre,
                  totalOre: charge.totalOre,
                }
              : {}),
          });
        }
        summary = upgradeSummary(change, plan, change.releasedHold);
        break;
      }
      case 'scheduled':
        await record('subscription.downgrade', {
          from: change.from,
          to: plan.code,
          includedOrders: plan.includedOrders,
          priceOre: plan.priceOre,
          effectiveAt: change.effectiveAt.toISOString(),
        });
        summary = `Your plan changes from ${planName(change.from)} to *${plan.name}* on ${firstDayOf(change.period)} (${formatOrders(plan.includedOrders)} a month, ${monthly(plan.priceOre)}). Until then you keep ${planName(change.from)}.`;
        break;
      case 'cancelled':
        await record('subscription.change.cancel', { dropped: change.dropped, current: change.current });
        summary = `The change to ${planName(change.dropped)} is cancelled: you stay on *${planName(change.current)}*.`;
        break;
      case 'unchanged':
        summary = `You are already on *${planName(change.current)}*.`;
        break;
    }
    return subscriptionReply(ctx, { summary, replaceOriginal: true });
  },
});

const autoTopUpAction = defineAction({
  id: 'subscription.autotopup',
  role: 'admin',
  values: z.object({ on: z.enum(['0', '1']) }),
  run: (ctx, { on }) => changeAutoTopUp(ctx, { enabled: on === '1' }, true),
});

const invoicesAction = defineAction({
  id: 'subscription.invoices',
  role: 'viewer',
  values: z.object({ page: z.coerce.number().int().min(1) }),
  run: (ctx, { page }) => invoicesReply(ctx, page, true),
});

export const subscriptionActions = [
  showSubscriptionAction,
  choosePlanAction,
  changePlanAction,
  autoTopUpAction,
  invoicesAction,
];
