import type { Caller } from '../../commands/ports/tenancy';
import type { MemberView, Module, SettingsPort } from '../../commands/ports/settings';
import { HOLD_REASONS } from '../../domain/events';
import { holdFor } from '../../domain/holds';
import { timeZoneOf } from '../../domain/zoned-time';
import { DEFAULT_LANGUAGE, languageOfLocale } from '../../i18n';
import { releaseHeld } from '../transfers/release-held';
import { isDuplicateKeyError } from '../../store/errors';
import type { AdapterDeps } from './deps';
import { readTransferViews } from '../../store/transfer-views';
import { switchesOf } from './labels';

/** Quota holds are not lifted by a switch: a top-up or a new period releases them. */
const SWITCH_REASONS = HOLD_REASONS.filter((reason) => reason !== 'quota_exceeded');

const ROLE_ORDER: Record<MemberView['role'], number> = { owner: 0, admin: 1, viewer: 2 };

/**
 * Releases the transfers held by a switch on every connection that nothing holds any more (only
 * those from or to `scope.systemId`, or only `scope.connectionId`, when given). Checking every switch, not only the one just turned
 * on, matters: a transfer held while the integration was off must not run while its module is
 * still off, and must not stay held once both are on again.
 */
export async function releaseNoLongerHeld(
  deps: AdapterDeps,
  tenantId: string,
  caller: Caller,
  scope: { systemId?: string; connectionId?: string } = {},
): Promise<number> {
  const { systemId, connectionId } = scope;
  const { models } = deps;
  const [tenant, systems, connections] = await Promise.all([
    models.Tenant.findOne({ tenantId }, { active: 1, modules: 1 }).lean(),
    models.System.find({ tenantId }, { systemId: 1, name: 1, connected: 1 }).lean(),
    models.DataConnection.find({ tenantId }).lean(),
  ]);
  if (!tenant) return 0;
  let released = 0;
  for (const connection of connections) {
    if (systemId && connection.fromSystemId !== systemId && connection.toSystemId !== systemId) continue;
    if (connectionId && connection.connectionId !== connectionId) continue;
    const from = systems.find((system) => system.systemId === connection.fromSystemId);
    const to = systems.find((system) => system.systemId === connection.toSystemId);
    // A removed or disconnected receiver cannot take the transfer either.
    if (!from || !to || to.connected === false) continue;
    const hold = holdFor({
      tenant,
      system: from,
      connection: { active: connection.active, name: connection.connectionId },
      entity: connection.entity,
    });
    if (hold) continue;
    released += await releaseHeld(
      deps,
      { tenantId, connectionId: connection.connectionId, reasons: SWITCH_REASONS },
      { platform: caller.platform, userId: caller.userId },
    );
  }
  return released;
}

export function createSettingsPort(deps: AdapterDeps): SettingsPort {
  const { models } = deps;

  const findMember = (tenantId: string, platform: MemberView['platform'], userId: string) =>
    models.Member.findOne({ tenantId, platform, platformUserId: userId }).lean();

  const port: SettingsPort = {
    async get(tenantId) {
      const [tenant, members, { held }, gone] = await Promise.all([
        models.Tenant.findOne({ tenantId }).lean(),
        models.Member.find({ tenantId }).sort({ createdAt: 1 }).lean(),
        readTransferViews(models, tenantId),
        models.Binding.find({ tenantId, goneAt: { $exists: true } }).lean(),
      ]);
      const integrationOff = held.filter((transfer) => transfer.hold?.reason === 'integration_off').length;
      const moduleOff = held.filter((transfer) => transfer.hold?.reason === 'module_off').length;
      if (!tenant) throw new Error(`tenant ${tenantId} is bound but does not exist`);
      return {
        tenantName: tenant.name,
        ...switchesOf(tenant),
        members: members
          .map((member) => ({ platform: member.platform, userId: member.platformUserId, role: member.role }))
          .sort((a, b) => ROLE_ORDER[a.role] - ROLE_ORDER[b.role]),
        held: { integrationOff, moduleOff },
        gone: gone.flatMap(({ platform, workspaceId, channelId, goneAt }) =>
          goneAt ? [{ platform, workspaceId, ...(channelId ? { channelId } : {}), goneAt }] : [],
        ),
        timezone: timeZoneOf(tenant.timezone),
        language: languageOfLocale(tenant.language) ?? DEFAULT_LANGUAGE,
      };
    },

    async setActive(tenantId, active) {
      // Unset counts as on (the schema's default), so "is on" is "not false".
      const result = await models.Tenant.updateOne(
        { tenantId, active: active ? false : { $ne: false } },
        { $set: { active } },
      );
      return result.modifiedCount > 0;
    },

    async setModule(tenantId, module: Module, on) {
      const path = `modules.${module}`;
      const result = await models.Tenant.updateOne(
        { tenantId, [path]: on ? false : { $ne: false } },
        { $set: { [path]: on } },
      );
      return result.modifiedCount > 0;
    },

    async setLanguage(tenantId, language) {
      // Read, then a conditional update (FerretDB v1's findAndModify takes no projection, and the
      // tenant's secrets are deselected by one). Only the update that changed it reports a change.
      const before = await models.Tenant.findOne({ tenantId }, { language: 1 }).lean();
      const result = await models.Tenant.updateOne({ tenantId, language: { $ne: language } }, { $set: { language } });
      return result.modifiedCount > 0 ? (languageOfLocale(before?.language) ?? DEFAULT_LANGUAGE) : undefined;
    },

    releaseHeld: (tenantId, caller) => releaseNoLongerHeld(deps, tenantId, caller),

    async invite(tenantId, { platform, userId, teamId, role }) {
      const existing = await findMember(tenantId, platform, userId);
      if (existing) {
        if (existing.role === 'owner') return { outcome: 'is_owner' };
        if (existing.role === role) return { outcome: 'unchanged' };
        await models.Member.updateOne({ tenantId, platform, platformUserId: userId }, { $set: { role } });
        return { outcome: 'changed', previous: existing.role };
      }
      try {
        await models.Member.create({ tenantId, platform, platformUserId: userId, ...(teamId ? { teamId } : {}), role });
        return { outcome: 'added' };
      } catch (error) {
        // Invited twice at once: the other invite created the member; settle it as an existing one.
        if (!isDuplicateKeyError(error)) throw error;
        return port.invite(tenantId, { platform, userId, role, ...(teamId ? { teamId } : {}) });
      }
    },

    async removeMember(tenantId, platform, userId) {
      const member = await findMember(tenantId, platform, userId);
      if (!member) return 'not_member';
      if (member.role === 'owner' && (await models.Member.countDocuments({ tenantId, role: 'owner' })) <= 1)
        return 'last_owner';
      const { deletedCount } = await models.Member.deleteOne({ tenantId, platform, platformUserId: userId });
      return deletedCount === 1 ? 'removed' : 'not_member';
    },
  };
  return port;
}
