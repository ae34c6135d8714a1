import type { Translator } from '../i18n';

/** An entity as the reader says it: "order" / "ordre"; anything else as it is. */
export const entityWord = (t: Translator, entity: string): string =>
  entity === 'order' || entity === 'product' || entity === 'stock' ? t.t(`common.entity.${entity}`) : entity;
