import type { HoldCause } from '../domain/holds';
import type { Translator } from '../i18n';

/** An entity as the reader says it: "order" / "ordre"; anything else as it is. */
export const entityWord = (t: Translator, entity: string): string =>
  entity === 'order' || entity === 'product' || entity === 'stock' ? t.t(`common.entity.${entity}`) : entity;

/** What holds a transfer back, in the reader's words: "The connection X is deactivated (Connections)." */
export const holdCauseWords = (t: Translator, cause: HoldCause): string =>
  t.t('log.cause', {
    kind: cause.kind,
    module: cause.kind === 'module' ? cause.module : '',
    name: 'name' in cause ? cause.name : '',
  });
