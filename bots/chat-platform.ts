import type { Router } from 'express';
import type { CommandCore } from '../src/commands/core';
import type { PlatformNaming } from '../src/domain/platform-naming';
import type { CorePorts } from '../src/commands/ports';
import type { Config } from '../src/config/config';
import type { Logger } from '../src/config/logger';
import type { AlertChannel } from '../src/services/alerts/channels';
import type { ChatDeliveries, HomeViewers, Models } from '../src/store';

/** A path of the service's HTTP app and what answers there (mounted by src/http/server.ts). */
export interface PlatformRoute {
  path: string;
  router: Router;
}

/**
 * One chat platform as the service sees it: Slack, Discord and the terminal console implement it
 * (bots/<platform>/platform.ts), and the composition root (src/app.ts) wires a list of them.
 * Adding a platform is its folder under bots/ and one line in that list (README, "Layout").
 */
export interface ChatPlatform {
  /** The platform's name as the store keeps it in bindings, members and audit actors (PLATFORM_NAME). */
  readonly name: string;
  /** Where its requests arrive over HTTP; none when it connects out (Socket Mode, the gateway). */
  readonly routes: readonly PlatformRoute[];
  /** Posts and edits alert messages in its channels; absent when it cannot post (no bot token). */
  readonly alerts?: AlertChannel;
  /**
   * How it writes and reads people and channels (src/domain/platform-naming.ts). Slack's, Discord's
   * and the console's are built in; without one a platform is written `<@id>` and `<#id>`, and no ids are read.
   */
  readonly naming?: PlatformNaming;
  /** Connects (a socket, a gateway, a terminal); called once the HTTP server listens. */
  start(): Promise<void>;
  /** Finishes what it acknowledged, then disconnects; called after the HTTP server stopped taking requests. */
  stop(): Promise<void>;
  /** Shows a tenant's new state in the platform's home view (Slack's App Home); a no-op where there is none. */
  refreshHome(tenantId: string): Promise<void>;
}

/** What the service hands every platform it creates. */
export interface PlatformDeps {
  config: Config;
  core: CommandCore;
  ports: CorePorts;
  /** Which deliveries were handled, shared by every instance (a repeat acts once wherever it lands). */
  deliveries: ChatDeliveries;
  /** Who opened a home view, shared by every instance. */
  homeViewers: HomeViewers;
  /** The store, for what a platform keeps of its own (Slack's installations, the channels' bindings). */
  models: Models;
  logger: Logger;
}

/** A platform its settings leave off, and the log line that says how to turn it on. */
export interface PlatformOff {
  off: string;
}

/** Creates a platform from the service's settings, or says why it is off. */
export type PlatformSetup<P extends ChatPlatform = ChatPlatform> = (deps: PlatformDeps) => P | PlatformOff;

export const isOn = <P extends ChatPlatform>(setup: P | PlatformOff): setup is P => !('off' in setup);

/** Nothing to refresh: the platform has no home view. */
export const noHomeView = async (): Promise<void> => undefined;
