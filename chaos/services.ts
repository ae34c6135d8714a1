import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { projectRoot } from '../src/config/local-services';

const run = promisify(execFile);

/**
 * A broker and a store of the chaos run's own, on ports and in a folder of their own: the run
 * stops and restarts them, which must never touch the services a developer's tests are using.
 */
export interface ChaosServices {
  brokers: string;
  mongoUrl: string;
  up(which?: 'all' | 'kafka' | 'mongo'): Promise<void>;
  down(which?: 'all' | 'kafka' | 'mongo'): Promise<void>;
}

export function chaosServices(options: { kafkaPort: number; mongoPort: number; dataDir: string }): ChaosServices {
  const script = path.join(projectRoot(), 'scripts', 'services.sh');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    IEX_DATA_DIR: options.dataDir,
    IEX_KAFKA_PORT: String(options.kafkaPort),
    IEX_KAFKA_CONTROLLER_PORT: String(options.kafkaPort + 1),
    IEX_MONGO_PORT: String(options.mongoPort),
  };
  // services.sh leaves alone a service whose address is given: these must be its own.
  delete env.KAFKA_BROKERS;
  delete env.MONGO_URL;
  const services = (command: 'up' | 'down', which: string) =>
    run('bash', [script, command, which], { env, maxBuffer: 1 << 20 }).then(() => undefined);
  return {
    brokers: `127.0.0.1:${options.kafkaPort}`,
    mongoUrl: `mongodb://127.0.0.1:${options.mongoPort}/iex_chaos`,
    up: (which = 'all') => services('up', which),
    down: (which = 'all') => services('down', which),
  };
}

/** A fresh folder for the run's services: the last run's topics and documents would be counted. */
export function freshDataDir(dataDir: string): void {
  rmSync(dataDir, { recursive: true, force: true });
}
