import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';

/** The service's Prometheus metrics, on a registry of its own so tests can run several services. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'iex_' });
  return {
    registry,
    consumed: new Counter({
      name: 'iex_consumer_messages_total',
      help: 'Messages a consumer group processed and committed',
      labelNames: ['group'],
      registers: [registry],
    }),
    deadLettered: new Counter({
      name: 'iex_consumer_dead_letters_total',
      help: 'Messages a consumer group sent to the dead-letter topic, by reason: invalid (did not parse or validate), rejected (by the handler), failed (the handler kept failing on it)',
      labelNames: ['group', 'reason'],
      registers: [registry],
    }),
    deadLettersWithoutTenant: new Counter({
      name: 'iex_dead_letters_without_tenant_total',
      help: 'Dead letters whose tenant is not known (named by neither key nor body, or no such tenant): logged, no alert',
      labelNames: ['group'],
      registers: [registry],
    }),
    retries: new Counter({
      name: 'iex_consumer_retries_total',
      help: 'Batches a consumer group retried after a failure (the store was down, say, or a message failed)',
      labelNames: ['group'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'iex_consumer_lag',
      help: 'Messages a consumer group has not committed yet, summed over partitions (read by /healthz and /metrics)',
      labelNames: ['group'],
      registers: [registry],
    }),
    dependencyUp: new Gauge({
      name: 'iex_dependency_up',
      help: 'Whether the last health check reached the dependency (1) or not (0)',
      labelNames: ['dependency'],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
