import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
    alertsSkipped: new Counter({
      name: 'iex_alerts_skipped_total',
      help: 'Alert messages not sent to a channel, by recipient kind and reason: workspace_gone (the bot was removed from the workspace that holds the channel)',
      labelNames: ['kind', 'reason'],
      registers: [registry],
    }),
    consumerLag: new Gauge({
      name: 'iex_consumer_lag',
      help: 'Messages a consumer group has not committed yet, summed over partitions (read by /healthz and /metrics)',
      labelNames: ['group'],
      registers: [registry],
    }),
    httpRequests: new Counter({
      name: 'iex_http_requests_total',
      help: 'HTTP requests answered, by route (the mounted path, or other), method and status',
      labelNames: ['route', 'method', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'iex_http_request_duration_seconds',
      help: 'Time from a request arriving to its answer being sent, by route',
      labelNames: ['route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
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
