import { z } from 'zod';
import { defineCommand } from '../define';
import { UserError } from '../errors';
import { notice } from '../../chat/reply';
import { flag, word } from '../options';
import { callerMention, memberMention, workspaceWord } from '../mentions';

export const linkCommand = defineCommand({
  name: 'link',
  summary: 'Link this workspace (or only this channel) to your integration with a one-time code',
  usage: '/iex link CODE [--channel]',
  help: 'An IEX operator prints a code with `npm run tenant -- link-code ID`. The code works once, for 24 hours. `--channel` links only this channel, e.g. to give another integration its own channel.',
  role: 'viewer',
  unlinked: true,
  words: [word.text('code', 'The one-time code your IEX operator gave you', { required: true })],
  positional: z.tuple([z.string().regex(/^[A-Z0-9-]{6,40}$/i, 'must be the code the operator gave you')], {
    message: 'give the link code',
  }),
  flags: { channel: flag.boolean('Link only this channel, not the whole server') },
  async run(ctx, { _: [code], channel }) {
    const scope = channel ? 'channel' : 'workspace';
    const place = channel ? 'channel' : workspaceWord(ctx.caller);
    if (ctx.tenantId && scope === 'workspace') {
      throw new UserError(
        'conflict',
        `This ${place} is already linked. To link one channel to another integration, add \`--channel\`.`,
      );
    }
    const linked = await ctx.ports.tenancy.link(code, ctx.caller, scope);
    if (linked === 'invalid')
      throw new UserError('bad_input', 'That code is unknown, used or expired. Ask your IEX operator for a new one.');
    const isOwner = linked.owner?.platform === ctx.caller.platform && linked.owner.userId === ctx.caller.userId;
    const role = isOwner ? 'owner' : await ctx.ports.tenancy.roleOf(linked.tenantId, ctx.caller);
    const who = isOwner
      ? `${callerMention(ctx.caller)} is its owner and adds people with \`/iex settings invite @user admin|viewer\`.`
      : `${callerMention(ctx.caller)} is ${role === 'admin' ? 'an admin' : 'a viewer (reads, changes nothing)'} here` +
        (linked.owner
          ? `; the owner, ${memberMention(ctx.caller, linked.owner)}, can change that with \`/iex settings invite\`.`
          : '.');
    return notice(
      `This ${place} is now linked to *${linked.tenantName}*. ${who} \`/iex status\` shows how it is doing.`,
      { visibility: 'in_channel' },
    );
  },
});
