import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from '../../config/logger';
import { isDuplicateKeyError, type Models } from '../../store';
import { withDeadline } from '../../domain/with-deadline';
import { isPermanentRefusal, type MailTransport } from './transport';

/** What a producer of mails needs: a way to say "there is a new one", so it goes out now. */
export interface MailNudge {
  nudge(): void;
}

export interface MailOutbox extends MailNudge {
  /** Starts the timer that sends due mails (retries included). */
  start(): void;
  /** Stops the timer and waits (bounded) for a send in flight; closes the transport. */
  stop(): Promise<void>;
  /** Sends what is due now, once; resolves when that pass (and any pass it had to wait for) ends. */
  flush(): Promise<void>;
}

export interface MailOutboxOptions {
  models: Pick<Models, 'Mail' | 'MailClaim'>;
  /** Undefined without SMTP_URL: mails wait in the outbox, none is dropped. */
  transport: MailTransport | undefined;
  /** MAIL_FROM, e.g. `IEX ChatOps <chatops@example.com>`. */
  from: string;
  /** MAIL_MAX_ATTEMPTS: a mail that failed this many times is given up, with an error log. */
  maxAttempts: number;
  /** MAIL_RETRY_SECONDS in ms: the first retry's wait; each next one doubles, up to an hour. */
  retryBaseMs: number;
  logger: Logger;
  now?: () => Date;
  /** How often the timer looks for due mails (retries); a new mail is sent at once anyway. */
  pollMs?: number;
  /** An attempt's claim older than this, on a mail still waiting, is taken over: its sender died. */
  claimMs?: number;
  /** How long `stop` waits for a send in flight. */
  stopTimeoutMs?: number;
  /** Sent mails are deleted this long after; failed ones are kept for reading. */
  keepSentMs?: number;
  instanceId?: string;
}

const MAX_RETRY_MS = 60 * 60_000;
const BATCH = 50;
const HOUR = 60 * 60_000;
const DAY = 24 * HOUR;

/** The wait before the next attempt after `attempts` failed ones: base × 2^(attempts−1), at most an hour. */
export function retryDelayMs(attempts: number, baseMs: number): number {
  return Math.min(MAX_RETRY_MS, baseMs * 2 ** Math.max(0, Math.min(attempts - 1, 30)));
}

/** The recipient's domain, which is what the log says about who: never the whole address. */
const domainOf = (address: string) => address.slice(address.lastIndexOf('@') + 1).toLowerCase();

/** "chatops@example.com" out of MAIL_FROM, for Message-IDs on its domain. */
function fromDomain(from: string): string {
  const address = /<([^>]+)>/.exec(from)?.[1] ?? from;
  return domainOf(address.trim()) || 'localhost';
}

/**
 * The sender of the mail outbox (the `mails` collection). Each pass sends the pending mails that
 * are due; several instances may run it on one store, so each attempt is claimed first (a
 * MailClaim `mailId#attempt`, decided by a unique index) and only its claimant sends it and
 * records the outcome. A failure is retried with exponential backoff and logged at warn (the
 * recipient's domain, the server's answer — never the SMTP password); after `maxAttempts`, or on
 * a permanent refusal (5xx for the recipient or the message), the mail is 'failed' and logged at
 * error. Nothing is dropped silently.
 */
export function createMailOutbox(options: MailOutboxOptions): MailOutbox {
  const { models, transport, from, maxAttempts, retryBaseMs } = options;
  const now = options.now ?? (() => new Date());
  const pollMs = options.pollMs ?? 15_000;
  const claimMs = options.claimMs ?? 10 * 60_000;
  const stopTimeoutMs = options.stopTimeoutMs ?? 10_000;
  const keepSentMs = options.keepSentMs ?? 30 * DAY;
  const owner = options.instanceId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  const logger = options.logger.child({ component: 'mail-outbox' });
  const idDomain = fromDomain(from);

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> | undefined;
  let again = false;
  let warnedUnconfigured = false;
  let lastPrune = 0;

  /** Takes the attempt; when a dead instance holds it (past `until`), takes it over, once. */
  async function claim(mailId: string, attempt: number): Promise<boolean> {
    const key = `${mailId}#${attempt}`;
    const insert = async () => {
      try {
        await models.MailClaim.create({ key, mailId, owner, until: new Date(now().getTime() + claimMs) });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    };
    if (await insert()) return true;
    const held = await models.MailClaim.findOne({ key }, { until: 1, owner: 1 }).lean();
    if (!held || held.until.getTime() >= now().getTime()) return false;
    // deleteOne's count is exact: of several instances seeing the stale claim, one removes it.
    if ((await models.MailClaim.deleteOne({ key, until: held.until })).deletedCount !== 1) return false;
    logger.warn({ mailId, attempt, previousOwner: held.owner }, 'taking over a mail attempt whose sender stopped');
    return insert();
  }

  /** One attempt at one mail; false when another instance has it. */
  async function attempt(mail: { mailId: string; attempts: number }, send: MailTransport): Promise<boolean> {
    const number = mail.attempts + 1;
    if (!(await claim(mail.mailId, number))) return false;
    // Read again under the claim: another instance may have finished this attempt since the scan.
    const current = await models.Mail.findOne({ mailId: mail.mailId }).lean();
    if (!current || current.status !== 'pending' || current.attempts !== mail.attempts) return false;
    const log = logger.child({
      mailId: current.mailId,
      ...(current.tenantId ? { tenantId: current.tenantId } : {}),
      domain: domainOf(current.to),
      attempt: number,
    });
    let sent: { messageId: string };
    try {
      sent = await send.send({
        from,
        to: current.to,
        subject: current.subject,
        text: current.text,
        html: current.html,
        messageId: `<${current.mailId}@${idDomain}>`,
      });
    } catch (error) {
      const reason = send.describeError(error);
      const permanent = isPermanentRefusal(error);
      if (permanent || number >= maxAttempts) {
        await models.Mail.updateOne(
          { mailId: current.mailId },
          { $set: { status: 'failed', attempts: number, lastError: reason, failedAt: now() } },
        );
        log.error(
          { reason, permanent },
          permanent
            ? 'mail refused by the mail server: given up'
            : `mail not delivered after ${number} attempts: given up`,
        );
        return true;
      }
      const wait = retryDelayMs(number, retryBaseMs);
      await models.Mail.updateOne(
        { mailId: current.mailId },
        { $set: { attempts: number, lastError: reason, nextAttemptAt: new Date(now().getTime() + wait) } },
      );
      log.warn({ reason, retryInMs: wait }, 'mail not delivered; will retry');
      return true;
    }
    await models.Mail.updateOne(
      { mailId: current.mailId },
      { $set: { status: 'sent', attempts: number, sentAt: now(), smtpMessageId: sent.messageId } },
    );
    log.info({ trigger: current.trigger }, 'mail sent');
    return true;
  }

  /** Old sent mails and old claims go; `mails` is scanned on every pass, so it is kept small. */
  async function prune(): Promise<void> {
    const at = now().getTime();
    if (at - lastPrune < HOUR) return;
    lastPrune = at;
    await models.Mail.deleteMany({ status: 'sent', sentAt: { $lt: new Date(at - keepSentMs) } });
    await models.MailClaim.deleteMany({ until: { $lt: new Date(at - DAY) } });
  }

  async function pass(): Promise<void> {
    if (!transport) {
      if (!warnedUnconfigured) {
        const waiting = await models.Mail.countDocuments({ status: 'pending' });
        if (waiting > 0) {
          warnedUnconfigured = true;
          logger.warn({ waiting }, `SMTP_URL is not set: ${waiting} mails wait in the outbox`);
        }
      }
      return;
    }
    for (;;) {
      const due = await models.Mail.find(
        { status: 'pending', nextAttemptAt: { $lte: now() } },
        { mailId: 1, attempts: 1 },
      )
        .sort({ nextAttemptAt: 1 })
        .limit(BATCH)
        .lean();
      let handled = 0;
      for (const mail of due) {
        if (stopped) return;
        if (await attempt(mail, transport)) handled += 1;
      }
      // A full batch that other instances hold would come back unchanged: leave it to them.
      if (due.length < BATCH || handled === 0 || stopped) break;
    }
    await prune();
  }

  function flush(): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await pass();
      } while (again && !stopped);
    })().finally(() => {
      running = undefined;
    });
    return running;
  }

  const wake = () => {
    if (stopped) return;
    flush().catch((error: unknown) => logger.warn({ err: error }, 'mail outbox pass failed; the next one retries'));
  };

  return {
    nudge: wake,
    flush,
    start() {
      if (timer || stopped) return;
      if (transport?.endpoint.certificates === 'unchecked') {
        logger.warn({ ...transport.endpoint }, 'SMTP_URL turns off the check of the mail server certificate');
      } else if (transport) {
        logger.info({ ...transport.endpoint }, 'sending notification mails');
      }
      timer = setInterval(wake, pollMs);
      timer.unref();
      wake();
    },
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      timer = undefined;
      if (running) {
        await withDeadline(running, stopTimeoutMs, 'the mail in flight').catch((error: unknown) =>
          logger.warn({ err: error }, 'stopped the mail outbox with a send still in flight'),
        );
      }
      transport?.close();
    },
  };
}
