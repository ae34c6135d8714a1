import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError, loadConfig, type Config } from './config';

/** The repository root: the nearest folder above this file with a package.json (src/ or dist/). */
export function projectRoot(from = __dirname): string {
  let dir = from;
  while (!existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${from}`);
    dir = parent;
  }
  return dir;
}

/**
 * Starts the local Kafka broker and store through scripts/services.sh for whichever of
 * KAFKA_BROKERS / MONGO_URL is not given, and returns the addresses it printed. A service
 * whose address is given is left alone.
 */
export function startLocalServices(
  env: NodeJS.ProcessEnv = process.env,
  services: { kafka: boolean; mongo: boolean } = { kafka: true, mongo: true },
): Record<string, string> {
  const needKafka = services.kafka && !env.KAFKA_BROKERS;
  const needMongo = services.mongo && !env.MONGO_URL;
  if (!needKafka && !needMongo) return {};
  const which = needKafka && needMongo ? 'all' : needKafka ? 'kafka' : 'mongo';
  const script = path.join(projectRoot(), 'scripts', 'services.sh');
  const output = execFileSync('bash', [script, 'up', which], {
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const started: Record<string, string> = {};
  for (const line of output.split('\n')) {
    const match = /^(KAFKA_BROKERS|MONGO_URL)=(.+)$/.exec(line.trim());
    if (match?.[1] && match[2]) started[match[1]] = match[2];
  }
  return started;
}

/**
 * The settings of a command-line tool that talks to the service's broker and store: the local
 * ones started when unset, as `npm start` does. A bad setting is reported through `report` and
 * gives undefined, for the tool to exit with EX_CONFIG (78).
 */
export function loadToolConfig(report: (message: string) => void): Config | undefined {
  try {
    return loadConfig({ ...process.env, ...startLocalServices(process.env) }, false);
  } catch (error) {
    if (error instanceof ConfigError) {
      report(error.message);
      return undefined;
    }
    throw error;
  }
}
