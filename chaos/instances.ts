import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, openSync } from 'node:fs';
import path from 'node:path';
import { projectRoot } from '../src/config/local-services';
import { setTimeout as delay } from 'node:timers/promises';

/** One instance of the service, run as `npm start` runs it but from source, in a process of its own. */
export interface Instance {
  name: string;
  url: string;
  /** True from a healthy start to a kill or stop: what a load balancer's readiness check sees. */
  ready(): boolean;
  start(): Promise<void>;
  /** SIGKILL: no drain, no commit, no goodbye. */
  kill(): Promise<void>;
  /** SIGTERM, then SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<void>;
}

async function healthy(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(2_000) });
    return response.status === 200;
  } catch {
    return false;
  }
}

export function serviceInstance(options: {
  name: string;
  port: number;
  env: NodeJS.ProcessEnv;
  logDir: string;
  startTimeoutMs?: number;
}): Instance {
  const url = `http://127.0.0.1:${options.port}`;
  let child: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  let ready = false;

  const waitForExit = async (signal: NodeJS.Signals, graceMs: number) => {
    ready = false;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const forced = setTimeout(() => child?.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(forced);
  };

  return {
    name: options.name,
    url,
    ready: () => ready && child?.exitCode === null && child.signalCode === null,
    async start() {
      mkdirSync(options.logDir, { recursive: true });
      // Appended, so a restarted instance's log follows the killed one's.
      const log = openSync(path.join(options.logDir, `${options.name}.log`), 'a');
      const root = projectRoot();
      child = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'src', 'main.ts')], {
        cwd: root,
        env: { ...options.env, PORT: String(options.port), KAFKA_CLIENT_ID: `iex-chaos-${options.name}` },
        stdio: ['ignore', log, log],
      });
      const current = child;
      exited = new Promise((resolve) => current.once('exit', () => resolve()));
      const deadline = Date.now() + (options.startTimeoutMs ?? 120_000);
      while (!(await healthy(url))) {
        if (current.exitCode !== null) {
          throw new Error(`instance ${options.name} exited with ${current.exitCode} while starting; see its log`);
        }
        if (Date.now() > deadline) throw new Error(`instance ${options.name} was not healthy in time; see its log`);
        await delay(250);
      }
      ready = true;
    },
    kill: () => waitForExit('SIGKILL', 0),
    stop: (graceMs = 30_000) => waitForExit('SIGTERM', graceMs),
  };
}
