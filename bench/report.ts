import type { Summary } from './stats';

/** Everything one run of bench/pipeline.ts measured; `--json` prints exactly this. */
export interface PipelineReport {
  run: {
    id: string;
    events: number;
    batch: number;
    concurrency: number;
    requests: number;
    avgEventBytes: number;
    kafkaPartitions: number;
    store: string;
    node: string;
    cpus: number;
    startedAt: string;
  };
  pipeline: {
    /** First request sent → last event persisted (the recorder's `transfers.updatedAt`). */
    endToEnd: { ms: number; eventsPerSec: number };
    /** HTTP only: first request sent → last 202 received. */
    ingest: { ms: number; eventsPerSec: number; requestsPerSec: number; requestMs: Summary };
    latencyMs: {
      /** 202 received → transfer written (`transfers.updatedAt`). */
      acceptedToPersisted: Summary;
      /** 202 received → the recorder took the event's batch (`transferEvents.receivedAt`). */
      acceptedToPickedUp: Summary;
      /** Recorder took the batch → transfer written. */
      pickedUpToPersisted: Summary;
    };
    /** Batches the recorder handled, told apart by (partition, receivedAt). */
    recorderBatches: { count: number; meanSize: number; maxSize: number };
    /** The persisted-count polls that found the run complete, and how long the read-back took. */
    waitPolls: number;
  };
  baselines: {
    rawInsert: { docs: number; batchSize: number; batches: number; ms: number; docsPerSec: number };
    bareHttp: { requests: number; ms: number; requestsPerSec: number; eventsPerSec: number; requestMs: Summary };
  };
  ratios: {
    /** End-to-end events/s ÷ raw insert docs/s. */
    pipelineToRaw: number;
    /** Ingest requests/s ÷ bare HTTP requests/s. */
    ingestToBare: number;
  };
}

const num = (value: number, digits = 0) =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  '))
    .join('\n');
}

const latencyRow = (label: string, s: Summary) => [label, num(s.p50), num(s.p90), num(s.p99), num(s.max)];

/** The human-readable form of a report. */
export function formatReport(report: PipelineReport): string {
  const { run, pipeline, baselines, ratios } = report;
  const lines = [
    `IEX ChatOps pipeline benchmark — run ${run.id}, ${run.startedAt}`,
    `${num(run.events)} events (avg ${num(run.avgEventBytes)} B), ${run.batch} per request (${num(run.requests)} requests), ` +
      `${run.concurrency} in flight; ${run.kafkaPartitions} partitions; store ${run.store}; node ${run.node}, ${run.cpus} CPUs`,
    '',
    table([
      ['throughput', 'value', 'unit', 'baseline', 'ratio'],
      [
        'end-to-end (HTTP → Kafka → recorder → store)',
        num(pipeline.endToEnd.eventsPerSec),
        'events/s',
        `${num(baselines.rawInsert.docsPerSec)} docs/s raw insertMany×${baselines.rawInsert.batchSize}`,
        `pipeline/raw ${num(ratios.pipelineToRaw, 3)}`,
      ],
      ['ingest (HTTP 202 after Kafka ack)', num(pipeline.ingest.eventsPerSec), 'events/s', `${num(baselines.bareHttp.eventsPerSec)} events/s bare`, ''],
      [
        'ingest requests',
        num(pipeline.ingest.requestsPerSec),
        'req/s',
        `${num(baselines.bareHttp.requestsPerSec)} req/s bare node:http`,
        `ingest/bare ${num(ratios.ingestToBare, 3)}`,
      ],
    ]),
    '',
    `elapsed: end-to-end ${num(pipeline.endToEnd.ms)} ms, ingest ${num(pipeline.ingest.ms)} ms; ` +
      `raw insert ${num(baselines.rawInsert.ms)} ms (${baselines.rawInsert.batches} batches), bare HTTP ${num(baselines.bareHttp.ms)} ms`,
    '',
    table([
      ['latency (ms)', 'p50', 'p90', 'p99', 'max'],
      latencyRow('accepted (202) → persisted (transfers.updatedAt)', pipeline.latencyMs.acceptedToPersisted),
      latencyRow('  accepted → picked up by recorder (receivedAt)', pipeline.latencyMs.acceptedToPickedUp),
      latencyRow('  picked up → transfer written', pipeline.latencyMs.pickedUpToPersisted),
      latencyRow('HTTP request, service (sent → 202)', pipeline.ingest.requestMs),
      latencyRow('HTTP request, bare node:http', baselines.bareHttp.requestMs),
    ]),
    '',
    `recorder batches: ${pipeline.recorderBatches.count}, mean ${num(pipeline.recorderBatches.meanSize, 1)} events, max ${pipeline.recorderBatches.maxSize}`,
  ];
  return `${lines.join('\n')}\n`;
}
