import type { Reply } from '../../chat/reply';
import type { GroupState } from './group-state';
import type { MessageContext } from './message-context';
import { kindOfGroup } from './registry';

/** The chat message of an alert group, as the neutral reply model every platform renders; none before its kind gave it a subject. */
export function alertMessage(state: GroupState, ctx: MessageContext): Reply | undefined {
  const kind = kindOfGroup(state);
  return kind ? { ...kind.message(state, state.subject, ctx), language: ctx.t.language } : undefined;
}
