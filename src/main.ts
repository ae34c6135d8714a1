import { createApp } from './app';
import { ConfigError, loadConfig } from './config/config';
import { startLocalServices } from './config/local-services';
import { createLogger } from './config/logger';
import { ListenError } from './http/listen';

/**
 * `npm start`: with no KAFKA_BROKERS / MONGO_URL it first starts the local broker and store
 * (scripts/services.sh), then runs the service until SIGINT/SIGTERM.
 */
async function main(): Promise<void> {
  let config;
  try {
    Object.assign(process.env, startLocalServices(process.env));
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw error;
  }

  const logger = createLogger({ level: config.LOG_LEVEL, format: config.LOG_FORMAT });
  const app = createApp(config, logger);

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) {
      // A second Ctrl-C: the person does not want to wait for the drain.
      logger.warn({ signal }, 'stopping at once; what was in flight is left to the other instances');
      process.exit(130);
    }
    stopping = true;
    logger.info({ signal, timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'stopping');
    // app.stop() bounds each step; this is the last resort should something block it anyway.
    setTimeout(() => {
      logger.error({ timeoutMs: config.SHUTDOWN_TIMEOUT_MS }, 'stopping took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS + 1_000).unref();
    app.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));

  try {
    await app.start();
  } catch (error) {
    // A port in use and its kind say all there is to say: no stack.
    if (error instanceof ListenError)
      logger.fatal({ port: error.port, host: error.host }, `could not start: ${error.message}`);
    else logger.fatal({ err: error }, 'could not start');
    await app.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
