import type { CorePorts } from '../../src/commands/ports';
import type { Caller } from '../../src/commands/ports/tenancy';
import type { AutocompleteKind } from '../../src/commands/options';
import { pickLanguage, translator, type Translator } from '../../src/i18n';

export interface AutocompleteChoice {
  /** What the person sees in the list (Discord: 1 to 100 characters). */
  name: string;
  /** What the option receives, i.e. what the command's text gets (an id). */
  value: string;
}

/** Discord shows at most 25 choices. */
export const MAX_CHOICES = 25;
/** Of a choice's name and of its value. */
const MAX_LENGTH = 100;

export type Autocomplete = (caller: Caller, kind: AutocompleteKind, query: string) => Promise<AutocompleteChoice[]>;

/**
 * Suggestions while someone types a name, from the caller's own tenant only. It reads through the
 * core's ports (plain interfaces), so the core stays free of Discord; an unlinked server gets none.
 */
export function createAutocomplete(
  ports: Pick<CorePorts, 'tenancy' | 'systems' | 'connections' | 'transfers'>,
): Autocomplete {
  const sources: Record<AutocompleteKind, (tenantId: string, t: Translator) => Promise<AutocompleteChoice[]>> = {
    async system(tenantId, t) {
      const systems = await ports.systems.list(tenantId);
      return systems.map((system) => ({
        name: `${system.name} · ${t.t(`systems.roleShort.${system.role}`)}${system.connected ? '' : ` · ${t.t('bots.discord.disconnected')}`}`,
        value: system.systemId,
      }));
    },
    async connection(tenantId, t) {
      const connections = await ports.connections.list(tenantId);
      return connections.map((connection) => ({
        name: `${connection.label} · ${t.t(`common.entity.${connection.entity}`)} · ${t.t(connection.active ? 'common.on' : 'common.off')}`,
        value: connection.connectionId,
      }));
    },
    async transfer(tenantId, t) {
      // The latest transfers are what people look up and retry; older ones are typed in full.
      const page = await ports.transfers.list(tenantId, {}, 1, 100);
      return page.items.map((transfer) => ({
        name: `${transfer.reference ? `#${transfer.reference.replace(/^#/, '')} · ` : ''}${transfer.connectionLabel} · ${t.t(`common.entity.${transfer.entity}`)} · ${t.t('log.status', { status: transfer.status })}`,
        value: transfer.transferId,
      }));
    },
  };

  return async (caller, kind, query) => {
    const tenantId = await ports.tenancy.resolveTenant(caller);
    if (!tenantId) return [];
    const wanted = comparable(query);
    // The words around the names in the member's language, as their answers are.
    const t = translator(pickLanguage(caller.locale, await ports.tenancy.languageOf(tenantId)));
    const choices = await sources[kind](tenantId, t);
    return (
      choices
        // A value Discord would refuse cannot be offered; shortening it would name something else.
        .filter((choice) => choice.value.length <= MAX_LENGTH)
        .filter((choice) => !wanted || comparable(`${choice.name} ${choice.value}`).includes(wanted))
        .slice(0, MAX_CHOICES)
        .map((choice) => ({ ...choice, name: shorten(choice.name) }))
    );
  };
}

/** Letters and digits only, so "economic" finds "e-conomic" and "1001" finds "#1001". */
function comparable(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

function shorten(name: string): string {
  return name.length > MAX_LENGTH ? `${name.slice(0, MAX_LENGTH - 1)}…` : name;
}
