import type { Catalogue } from '../define-messages';
import { alerts } from './alerts';
import { mail } from './mail';
import { view } from './view';
import { bots } from './bots';
import { triggers } from './triggers';
import { charts } from './charts';
import { common } from './common';
import { digest } from './digest';
import { connections } from './connections';
import { help } from './help';
import { invoices } from './invoices';
import { jobs } from './jobs';
import { link } from './link';
import { log } from './log';
import { notify } from './notify';
import { mute } from './mute';
import { settings } from './settings';
import { retry } from './retry';
import { status } from './status';
import { subscription } from './subscription';
import { systems } from './systems';
import { topup } from './topup';
import { switches } from './switches';
import { usage } from './usage';

/**
 * Every area's catalogue. An area is one file here, named for the part of the product it speaks
 * for; its keys start with the area's name, so two areas cannot define the same key (a test checks).
 */
export const AREAS = {
  common,
  invoices,
  view,
  bots,
  alerts,
  mail,
  triggers,
  switches,
  charts,
  digest,
  status,
  usage,
  log,
  retry,
  settings,
  systems,
  subscription,
  topup,
  notify,
  jobs,
  connections,
  mute,
  link,
  help,
} as const;

type KeysOf<C> = C extends Catalogue<infer K> ? K : never;
export type MessageKey = { [A in keyof typeof AREAS]: KeysOf<(typeof AREAS)[A]> }[keyof typeof AREAS];

function merge(language: 'en' | 'da'): Readonly<Record<MessageKey, string>> {
  return Object.assign({}, ...Object.values(AREAS).map((area) => area[language])) as Record<MessageKey, string>;
}

export const MESSAGES = { en: merge('en'), da: merge('da') } as const;
