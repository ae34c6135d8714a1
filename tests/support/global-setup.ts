import { startLocalServices } from '../../src/config/local-services';

/**
 * Starts the real broker and store once for the whole run, unless their addresses are given.
 * Workers start after this and inherit process.env.
 */
export default function globalSetup(): void {
  Object.assign(process.env, startLocalServices(process.env));
  process.env.KAFKAJS_NO_PARTITIONER_WARNING = '1';
}
