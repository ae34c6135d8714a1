import { InferSchemaType, Schema } from 'mongoose';

/** A sealed secret (src/domain/token-cipher.ts): never the token itself. */
const sealedSecretSchema = new Schema(
  {
    iv: { type: String, required: true },
    tag: { type: String, required: true },
    data: { type: String, required: true },
  },
  { _id: false, strict: true },
);

/**
 * The Slack app installed in one workspace (or, installed org-wide, in one Enterprise Grid org),
 * as OAuth v2 (`oauth.v2.access`) answered it. `_id` is `team:<teamId>`, or `enterprise:<id>` for
 * an org-wide install, so every lookup is by `_id` (the one filter FerretDB v1 serves from an
 * index). The bot token is sealed with INSTALLATION_ENCRYPTION_KEY, bound to the `_id`.
 * Removed when Slack says the app was uninstalled or its tokens revoked.
 */
export const slackInstallationSchema = new Schema(
  {
    _id: { type: String, required: true },
    teamId: { type: String },
    teamName: { type: String },
    enterpriseId: { type: String },
    enterpriseName: { type: String },
    isEnterpriseInstall: { type: Boolean, default: false },
    appId: { type: String },
    botId: { type: String },
    botUserId: { type: String, required: true },
    botScopes: { type: [String], default: [] },
    botToken: { type: sealedSecretSchema, required: true },
    /** Who installed it (a Slack user id of that workspace). */
    installerUserId: { type: String, required: true },
    installedAt: { type: Date, required: true },
  },
  { collection: 'slackInstallations', strict: true, versionKey: false },
);

export type SlackInstallationRecord = InferSchemaType<typeof slackInstallationSchema>;
