import { createTransport } from 'nodemailer';

/** One mail as the outbox hands it to the mail server. */
export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Message-ID, with angle brackets: the same on every attempt, so a mail sent twice reads as one. */
  messageId: string;
}

/** Sends mails; the outbox's retries are its own, so a transport tries once per call. */
export interface MailTransport {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** A failure in words fit for the log and the store: no credentials. */
  describeError(error: unknown): string;
  /** Where and how it sends, for the log — never the password. */
  readonly endpoint: MailEndpoint;
  close(): void;
}

export interface MailEndpoint {
  host: string;
  port: number;
  /** smtps: TLS from the start; starttls-required: no plain-text fallback; starttls-if-offered: as the server offers. */
  tls: 'smtps' | 'starttls-required' | 'starttls-if-offered';
  /** 'unchecked' only when SMTP_URL itself says `tls.rejectUnauthorized=false`. */
  certificates: 'checked' | 'unchecked';
  user?: string;
}

export interface SmtpTransportOptions {
  /** Connect, greeting and idle socket timeouts; a send never hangs longer than about this. */
  timeoutMs?: number;
}

const LOOPBACK = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])$/i;

/**
 * The SMTP transport for SMTP_URL: `smtp://user:password@host:587` (STARTTLS) or
 * `smtps://…:465` (TLS from the start), as nodemailer reads it, with a small pool of connections.
 * Certificates are checked as Node checks them; only the URL itself can turn that off
 * (`?tls.rejectUnauthorized=false`, which `endpoint.certificates` reports). A password is never
 * sent to a server other than this machine without TLS: with credentials, STARTTLS is required
 * unless the URL says `requireTLS=false`, so a server that stops offering it cannot learn them.
 */
export function createSmtpTransport(smtpUrl: string, options: SmtpTransportOptions = {}): MailTransport {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const url = new URL(smtpUrl);
  const secure = url.protocol === 'smtps:';
  const password = decodeURIComponent(url.password);
  const user = decodeURIComponent(url.username);
  const requireTLS =
    !secure && Boolean(user || password) && !LOOPBACK.test(url.hostname) && !/[?&]requireTLS=/i.test(url.search);
  const transporter = createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 2,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs * 2,
    ...(requireTLS ? { requireTLS: true } : {}),
  });

  /** The password never reaches a log line, also not when a server echoes it back. */
  const redact = (text: string) => (password ? text.split(password).join('***') : text);

  return {
    endpoint: {
      host: url.hostname,
      port: url.port ? Number(url.port) : secure ? 465 : 587,
      tls: secure
        ? 'smtps'
        : requireTLS || /[?&]requireTLS=true\b/i.test(url.search)
          ? 'starttls-required'
          : 'starttls-if-offered',
      certificates: /[?&]tls\.rejectUnauthorized=false\b/i.test(url.search) ? 'unchecked' : 'checked',
      ...(user ? { user } : {}),
    },
    async send(mail) {
      // A picture in the HTML as a data: URL (a chart) goes as an inline attachment referenced by
      // cid: mail clients block data: URLs, but show cid: parts.
      const info = await transporter.sendMail({ ...mail, attachDataUrls: true });
      return { messageId: info.messageId };
    },
    describeError(error) {
      if (!(error instanceof Error)) return redact(String(error));
      const coded = error as Error & { code?: string; responseCode?: number };
      const code = [coded.code, coded.responseCode].filter((part) => part !== undefined).join(' ');
      return redact(`${code ? `${code}: ` : ''}${error.message}`).slice(0, 500);
    },
    close() {
      transporter.close();
    },
  };
}

/** A mail server's final no: the recipient or the message is refused, and trying again cannot help. */
export function isPermanentRefusal(error: unknown): boolean {
  const coded = error as { code?: unknown; responseCode?: unknown } | undefined;
  return (
    (coded?.code === 'EENVELOPE' || coded?.code === 'EMESSAGE') &&
    typeof coded.responseCode === 'number' &&
    coded.responseCode >= 500 &&
    coded.responseCode < 600
  );
}
