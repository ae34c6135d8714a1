import { z } from 'zod';
import { isSignatureTimely } from '../../src/domain/signature-age';

/**
 * The least a signed Slack request must hold for Bolt and our listeners to handle it. Bolt reads
 * fields such as `body.event.type` without checking them, so a signed but malformed body (an
 * `event` of null, a slash command without `text`) would crash it into a 500; checked here first,
 * it is a 400 instead. Loose: every field Slack adds beyond these passes through untouched, and
 * body types we do not handle keep Bolt's own treatment.
 */

const nonEmpty = z.string().min(1);

/** A slash command (form fields). Slack always sends `text`, empty when nothing was typed. */
const slashCommandSchema = z.looseObject({
  command: nonEmpty,
  text: z.string(),
  user_id: nonEmpty,
  team_id: nonEmpty,
  response_url: nonEmpty,
});

/** An Events API delivery. */
const eventCallbackSchema = z.looseObject({
  type: z.literal('event_callback'),
  event: z.looseObject({ type: nonEmpty }),
});

/** A click on a button (or other element) in a message or on the App Home. */
const blockActionsSchema = z.looseObject({
  type: z.literal('block_actions'),
  user: z.looseObject({ id: nonEmpty }),
  actions: z.array(z.looseObject({ type: nonEmpty, action_id: nonEmpty })).min(1),
});

/** Any other JSON body or interaction payload: Slack always names its type. */
const typedBodySchema = z.looseObject({ type: nonEmpty });

/**
 * What is wrong with a body Bolt has verified and parsed (form fields, the JSON of a `payload`
 * field, or a JSON body), or undefined when it may go on to Bolt.
 */
export function malformedSlackRequest(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'the body is not an object';
  const record = body as Record<string, unknown>;
  const schema =
    'command' in record
      ? slashCommandSchema
      : record.type === 'event_callback'
        ? eventCallbackSchema
        : record.type === 'block_actions'
          ? blockActionsSchema
          : typedBodySchema;
  const parsed = schema.safeParse(body);
  if (parsed.success) return undefined;
  return parsed.error.issues
    .map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message))
    .join('; ');
}

/**
 * What is wrong with the time a Slack request says it was signed at (`X-Slack-Request-Timestamp`),
 * by the rule every signature here follows (src/domain/signature-age.ts), or undefined. Bolt
 * refuses a missing or old timestamp itself, but takes one of any time ahead of our clock.
 */
export function slackTimestampProblem(
  header: string | string[] | undefined,
  nowMs: number = Date.now(),
): 'missing' | 'unreadable' | 'too old' | 'in the future' | undefined {
  if (typeof header !== 'string') return 'missing';
  if (!/^\d{1,12}$/.test(header)) return 'unreadable';
  const timestamp = Number(header);
  if (isSignatureTimely(timestamp, nowMs)) return undefined;
  return timestamp * 1000 > nowMs ? 'in the future' : 'too old';
}
