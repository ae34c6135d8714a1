import type { ImageContent } from '../../chat/reply';
import type { ViewLinks } from '../../domain/view-links';
import type { Translator } from '../../i18n';

/** What a message needs beyond the group's state, looked up when it is sent. */
export interface MessageContext {
  /** "Shopify > e-conomic" of the group's connection. */
  connectionLabel?: string;
  timezone: string;
  now: Date;
  /** The group keeps failing and this message replaces one posted earlier in the episode. */
  repeated?: boolean;
  /** Signed links to the web views; without them, messages have no link buttons. */
  links?: ViewLinks;
  /** The tenant's language, read when the message is sent: alerts speak to a channel, not to one person. */
  t: Translator;
  /** The usage chart the kind asked for (AlertKind.usageChart), when it could be drawn. */
  picture?: ImageContent;
}
