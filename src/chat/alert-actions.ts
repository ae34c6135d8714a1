/**
 * The action ids of the buttons on alerts, which the command core's actions answer
 * (src/commands/catalog/alerts.ts, jobs.ts, topup.ts). Both sides read them from here.
 */

/** Mute a failure group for one of `MUTE_HOURS`. */
export const MUTE_ACTION = 'alert.mute';
/** Mute a connection's job alerts. */
export const MUTE_JOB_ACTION = 'alert.mute.job';
export const MUTE_HOURS = [1, 24] as const;
/** The top-up command's pack choice. */
export const TOP_UP_ACTION = 'topup.packs';
/** The run-now action of the jobs command. */
export const RUN_JOB_ACTION = 'jobs.run';
