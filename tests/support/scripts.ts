import { spawn } from 'node:child_process';
import path from 'node:path';
import type { Config } from '../../src/config/config';

const root = path.resolve(__dirname, '../..');

export interface ScriptRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `scripts/<script>` as an operator would (`npm run <name> -- …`), in a child process
 * against the test's own store, broker and topic namespace, without a terminal.
 */
export function runScript(
  script: string,
  args: string[],
  config: Pick<Config, 'MONGO_URL' | 'KAFKA_BROKERS' | 'KAFKA_NAMESPACE'>,
  options: { stdin?: string; logLevel?: string } = {},
): Promise<ScriptRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(root, 'node_modules/.bin/tsx'), [path.join(root, 'scripts', script), ...args], {
      cwd: root,
      env: {
        ...process.env,
        MONGO_URL: config.MONGO_URL,
        KAFKA_BROKERS: config.KAFKA_BROKERS.join(','),
        KAFKA_NAMESPACE: config.KAFKA_NAMESPACE,
        LOG_LEVEL: options.logLevel ?? 'error',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
