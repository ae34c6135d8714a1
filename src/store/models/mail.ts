import { InferSchemaType, Schema } from 'mongoose';
import { NOTIFICATION_TRIGGERS } from '../../domain/closed-lists';

export const MAIL_STATUSES = ['pending', 'sent', 'failed'] as const;
export type MailStatus = (typeof MAIL_STATUSES)[number];

/**
 * A notification e-mail in the outbox (src/services/mail/outbox.ts). It is inserted, fully rendered,
 * before the notifier commits the alert that caused it, so a mail server that is down (or not
 * configured) delays mails but loses none. Only the instance holding an attempt's claim (a Lease
 * named `mail:<mailId>#<attempt>`) writes the outcome of that attempt.
 */
export const mailSchema = new Schema(
  {
    mailId: { type: String, required: true },
    /** Absent only for a mail that belongs to no tenant. */
    tenantId: { type: String },
    to: { type: String, required: true },
    subject: { type: String, required: true },
    text: { type: String, required: true },
    html: { type: String, required: true },
    /** The alert group and the trigger it was sent for, to find a tenant's mails about one thing. */
    groupKey: { type: String },
    trigger: { type: String, enum: NOTIFICATION_TRIGGERS },
    status: { type: String, enum: MAIL_STATUSES, required: true, default: 'pending' },
    /** Attempts made so far (sent or failed). */
    attempts: { type: Number, required: true, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    /** The last failure as the mail server or the network gave it (never credentials). */
    lastError: { type: String },
    sentAt: { type: Date },
    failedAt: { type: Date },
    /** The Message-ID the mail went out with. */
    smtpMessageId: { type: String },
  },
  { collection: 'mails', strict: true, timestamps: true },
);
mailSchema.index({ mailId: 1 }, { unique: true });
// The sender's scan: pending mails that are due.
mailSchema.index({ status: 1, nextAttemptAt: 1 });
mailSchema.index({ tenantId: 1, createdAt: -1 });

export type Mail = InferSchemaType<typeof mailSchema>;

/**
 * One attempt at sending one mail, claimed by one instance: `mailId#attempt`, inserted before the
 * attempt; the unique index refusing a second insert is exact on FerretDB, so of several senders
 * one makes the attempt. A claim whose `until` passed while its mail still waits belongs to an
 * instance that died mid-send; another may take it over (src/services/mail/outbox.ts). Kept apart from the
 * scheduler's leases, whose own takeover scan must never see these. Claims are deleted a day after
 * `until` (no TTL index on FerretDB).
 */
export const mailClaimSchema = new Schema(
  {
    key: { type: String, required: true },
    mailId: { type: String, required: true },
    owner: { type: String, required: true },
    until: { type: Date, required: true },
  },
  { collection: 'mailClaims', strict: true },
);
mailClaimSchema.index({ key: 1 }, { unique: true });
mailClaimSchema.index({ until: 1 });

export type MailClaim = InferSchemaType<typeof mailClaimSchema>;
