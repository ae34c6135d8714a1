import type { Caller, TenancyPort } from '../../commands/ports/tenancy';
import type { Role } from '../../domain/closed-lists';
import { isDuplicateKeyError } from '../../store/errors';
import { hashLinkCode } from '../../store/link-codes';
import { WORKSPACE_WIDE } from '../../store/models';
import type { AdapterDeps } from './deps';

export function createTenancyPort({ models }: AdapterDeps): TenancyPort {
  return {
    async resolveTenant(caller) {
      // The console runs on the service's own machine: its operator names the tenant directly.
      if (caller.platform === 'console')
        return (await models.Tenant.exists({ tenantId: caller.workspaceId })) ? caller.workspaceId : undefined;
      // A binding marked gone (the bot was removed from the workspace) binds nothing until it is
      // linked again: the workspace reads as unlinked, so `/iex link CODE` works there.
      const live = { platform: caller.platform, workspaceId: caller.workspaceId, goneAt: { $exists: false } };
      const channel = caller.channelId
        ? await models.Binding.findOne({ ...live, channelId: caller.channelId }).lean()
        : null;
      const binding = channel ?? (await models.Binding.findOne({ ...live, channelId: WORKSPACE_WIDE }).lean());
      return binding?.tenantId;
    },

    async languageOf(tenantId) {
      return (await models.Tenant.findOne({ tenantId }, { language: 1 }).lean())?.language ?? undefined;
    },

    async roleOf(tenantId, caller): Promise<Role> {
      if (caller.platform === 'console') return 'owner';
      const member = await models.Member.findOne({
        tenantId,
        platform: caller.platform,
        platformUserId: caller.userId,
      }).lean();
      if (member) return member.role;
      return caller.platformAdmin ? 'admin' : 'viewer';
    },

    async link(code, caller: Caller, scope) {
      if (caller.platform === 'console') return 'invalid';
      const codeHash = hashLinkCode(code);
      const linkCode = await models.LinkCode.findOne({ codeHash, expiresAt: { $gt: new Date() } }).lean();
      // deleteOne's count is exact under concurrency: of two people racing with one code, one wins.
      if (!linkCode || (await models.LinkCode.deleteOne({ codeHash })).deletedCount !== 1) return 'invalid';
      const tenant = await models.Tenant.findOne({ tenantId: linkCode.tenantId }).lean();
      if (!tenant) return 'invalid';
      const channelId = scope === 'channel' && caller.channelId ? caller.channelId : WORKSPACE_WIDE;
      try {
        await models.Binding.create({
          platform: caller.platform,
          workspaceId: caller.workspaceId,
          channelId,
          tenantId: tenant.tenantId,
        });
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        // Linking again is also how a binding marked gone comes back: the bot is evidently there.
        await models.Binding.updateOne(
          { platform: caller.platform, workspaceId: caller.workspaceId, channelId },
          { $set: { tenantId: tenant.tenantId }, $unset: { goneAt: 1, goneReason: 1 } },
        );
      }
      if (!(await models.Member.exists({ tenantId: tenant.tenantId, role: 'owner' }))) {
        await models.Member.create({
          tenantId: tenant.tenantId,
          platform: caller.platform,
          platformUserId: caller.userId,
          teamId: caller.workspaceId,
          role: 'owner',
        }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
      }
      const owner = await models.Member.findOne({ tenantId: tenant.tenantId, role: 'owner' }).lean();
      return {
        tenantId: tenant.tenantId,
        tenantName: tenant.name,
        ...(owner ? { owner: { platform: owner.platform, userId: owner.platformUserId } } : {}),
      };
    },
  };
}
