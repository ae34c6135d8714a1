import type { Logger } from '../../config/logger';
import type { EventProducer } from '../../kafka/producer';
import type { Models } from '../../store/models';

/** What the store-side implementations of the command core's ports are built from. */
export interface AdapterDeps {
  models: Models;
  producer: EventProducer;
  logger: Logger;
}
