import type { Summary } from './stats';

/** Everything one run of bench/pipeline.ts measured; `--json` prints exactly this. */
export interface PipelineReport {
  run: {
    id: string;
    events: number;
    batch: number;
    concurrency: number;
    /** Events per second offered (--rate); absent for a burst. */
    rate?: number;
    requests: number;
    avgEventBytes: number;
    kafkaPartitions: number;
    store: string;
    node: string;
    cpus: number;
    startedAt: string;
  };
  /** False when the pipeline had not persisted every event when the bench stopped waiting. */
  complete: boolean;
  /** Why the run is incomplete, when it is. */
  note?: string;
  pipeline: {
    /** Events whose transfer was written. */
    persisted: number;
    /** Events in `transferEvents`: the recorder's first write; ahead of `persisted` while a batch is in progress. */
    storedEvents: number;
    /**
     * First request sent → last event persisted (the recorder's `transfers.updatedAt`). In an
     * incomplete run, over the events that were persisted.
     */
    endToEnd: { ms: number; eventsPerSec: number };
    /** HTTP only: first request sent → last 202 received. */
    ingest: { ms: number; eventsPerSec: number; requestsPerSec: number; requestMs: Summary };
    /** Of the persisted events. */
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
    /** Transfers written per interval since the first request: shows whether the rate holds. */
    timeline: { bucketSeconds: number; persisted: number[] };
  };
  baselines: {
    rawInsert: { docs: number; batchSize: number; batches: number; ms: number; docsPerSec: number };
    /** The bare server answers the same bodies `rounds` times over, for a stable rate. */
    bareHttp: {
      rounds: number;
      requests: number;
      ms: number;
      requestsPerSec: number;
      eventsPerSec: number;
      requestMs: Summary;
    };
  };
  ratios: {
    /** End-to-end events/s ÷ raw insert docs/s. */
    pipelineToRaw: number;
    /** Ingest requests/s ÷ bare HTTP requests/s. */
    ingestToBare: number;
  };
}

const num = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

const latencyRow = (label: string, s: Summary) => [label, num(s.p50), num(s.p90), num(s.p99), num(s.max)];

/** The human-readable form of a report. */
export function formatReport(report: PipelineReport): string {
  const { run, pipeline, baselines, ratios } = report;
  const partial = report.complete ? '' : ' (partial)';
  const lines = [
    `IEX ChatOps pipeline benchmark — run ${run.id}, ${run.startedAt}`,
    `${num(run.events)} events (avg ${num(run.avgEventBytes)} B), ${run.batch} per request (${num(run.requests)} requests), ` +
      `${run.concurrency} in flight${run.rate ? `, paced at ${run.rate} events/s` : ''}; ${run.kafkaPartitions} partitions; store ${run.store}; node ${run.node}, ${run.cpus} CPUs`,
    ...(report.complete
      ? []
      : [
          '',
          `INCOMPLETE: ${num(pipeline.persisted)} of ${num(run.events)} transfers written (${num(pipeline.storedEvents)} ` +
            `events stored) in ${num(pipeline.endToEnd.ms / 1000, 1)} s. ${report.note ?? ''}`.trimEnd(),
        ]),
    '',
    table([
      ['throughput', 'value', 'unit', 'baseline (same run)', 'ratio'],
      [
        `end-to-end, HTTP → Kafka → recorder → store${partial}`,
        num(pipeline.endToEnd.eventsPerSec, 1),
        'events/s',
        `raw insertMany×${baselines.rawInsert.batchSize}: ${num(baselines.rawInsert.docsPerSec)} docs/s`,
        `pipeline/raw ${num(ratios.pipelineToRaw, 4)}`,
      ],
      [
        'ingest, HTTP 202 after Kafka ack',
        num(pipeline.ingest.eventsPerSec),
        'events/s',
        `bare node:http: ${num(baselines.bareHttp.eventsPerSec)} events/s`,
        '',
      ],
      [
        'ingest requests',
        num(pipeline.ingest.requestsPerSec),
        'req/s',
        `bare node:http: ${num(baselines.bareHttp.requestsPerSec)} req/s`,
        `ingest/bare ${num(ratios.ingestToBare, 3)}`,
      ],
    ]),
    '',
    `elapsed: end-to-end ${num(pipeline.endToEnd.ms)} ms, ingest ${num(pipeline.ingest.ms)} ms; ` +
      `raw insert ${num(baselines.rawInsert.ms)} ms (${baselines.rawInsert.batches} batches), ` +
      `bare HTTP ${num(baselines.bareHttp.ms)} ms (${baselines.bareHttp.rounds} rounds of the same ${num(run.requests)} requests)`,
    '',
    table([
      [`latency (ms)${report.complete ? '' : ', of the persisted events'}`, 'p50', 'p90', 'p99', 'max'],
      latencyRow('accepted (202) → persisted (transfers.updatedAt)', pipeline.latencyMs.acceptedToPersisted),
      latencyRow('  accepted → picked up by recorder (receivedAt)', pipeline.latencyMs.acceptedToPickedUp),
      latencyRow('  picked up → transfer written', pipeline.latencyMs.pickedUpToPersisted),
      latencyRow('HTTP request, service (sent → 202)', pipeline.ingest.requestMs),
      latencyRow('HTTP request, bare node:http', baselines.bareHttp.requestMs),
    ]),
    '',
    `recorder batches: ${pipeline.recorderBatches.count}, mean ${num(pipeline.recorderBatches.meanSize, 1)} events, max ${pipeline.recorderBatches.maxSize}`,
    `persisted per ${pipeline.timeline.bucketSeconds} s since the first request: ${pipeline.timeline.persisted.join(' ')}`,
  ];
  return `${lines.join('\n')}\n`;
}
