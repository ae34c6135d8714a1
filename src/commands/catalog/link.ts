import { z } from 'zod';
import { defineCommand } from '../define';
import { UserError } from '../errors';
import { notice } from '../../chat/reply';
import { flag, word } from '../options';
import { callerMention, memberMention, workspaceWord } from '../mentions';

export const linkCommand = defineCommand({
  name: 'link',
  summary: 'link.summary',
  usage: '/iex link CODE [--channel]',
  help: 'link.help',
  role: 'viewer',
  unlinked: true,
  words: [word.text('code', 'link.word.code', { required: true })],
  positional: z.tuple([z.string().regex(/^[A-Z0-9-]{6,40}$/i, 'link.args.code')], { message: 'link.args.give' }),
  flags: { channel: flag.boolean('link.flag.channel') },
  async run(ctx, { _: [code], channel }) {
    const { t } = ctx;
    const scope = channel ? 'channel' : 'workspace';
    const place = channel ? 'channel' : workspaceWord(ctx.caller);
    if (ctx.tenantId && scope === 'workspace') throw new UserError('conflict', t.t('link.already', { place }));
    const linked = await ctx.ports.tenancy.link(code, ctx.caller, scope);
    if (linked === 'invalid') throw new UserError('bad_input', t.t('link.invalid'));
    const isOwner = linked.owner?.platform === ctx.caller.platform && linked.owner.userId === ctx.caller.userId;
    const role = isOwner ? 'owner' : await ctx.ports.tenancy.roleOf(linked.tenantId, ctx.caller);
    const who = isOwner
      ? t.t('link.owner', { who: callerMention(ctx.caller) })
      : t.t('link.member', {
          who: callerMention(ctx.caller),
          role,
          hasOwner: linked.owner ? 'yes' : 'no',
          owner: linked.owner ? memberMention(ctx.caller, linked.owner) : '',
        });
    return notice(t.t('link.done', { place, tenant: linked.tenantName, who }), { visibility: 'in_channel' });
  },
});
