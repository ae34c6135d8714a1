import type { ActionDefinition, CommandDefinition } from '../define';
import { alertActions } from './alerts';
import { connectionsCommand, toggleConnectionAction } from './connections';
import { helpCommand } from './help';
import { jobsCommand, runJobAction } from './jobs';
import { linkCommand } from './link';
import { logActions, logCommand } from './log';
import { notifyActions, notifyCommand } from './notify';
import { retryActions, retryCommand } from './retry';
import { settingsActions, settingsCommand } from './settings';
import { statusCommand } from './status';
import { subscriptionActions, subscriptionCommand } from './subscription';
import { systemsActions, systemsCommand } from './systems';
import { topupActions, topupCommand } from './topup';
import { usageCommand } from './usage';

/** Every /iex command, in the order `/iex help` lists them. */
export const COMMANDS: readonly CommandDefinition<any>[] = [
  statusCommand,
  usageCommand,
  systemsCommand,
  jobsCommand,
  connectionsCommand,
  subscriptionCommand,
  topupCommand,
  settingsCommand,
  logCommand,
  retryCommand,
  notifyCommand,
  linkCommand,
  helpCommand(() => COMMANDS),
];

/** Every button's action. */
export const ACTIONS: readonly ActionDefinition<any>[] = [
  toggleConnectionAction,
  runJobAction,
  ...systemsActions,
  ...settingsActions,
  ...subscriptionActions,
  ...topupActions,
  ...logActions,
  ...retryActions,
  ...notifyActions,
  ...alertActions,
];
