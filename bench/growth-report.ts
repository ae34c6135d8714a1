import type { Summary } from './stats';

/** What one history size of the growth benchmark measured. */
export interface GrowthStep {
  /** Events recorded before this size's measurements (the pre-fill's total so far). */
  history: number;
  prefill: { events: number; ms: number; eventsPerSec: number };
  /** False when the burst was not fully recorded before the bench stopped waiting. */
  complete: boolean;
  note?: string;
  pipeline: {
    events: number;
    /** Events whose offset the recorder committed (after its store writes). */
    recorded: number;
    /** First request sent → last event recorded (or → when the bench stopped waiting). */
    ms: number;
    eventsPerSec: number;
    /** 202 received → the recorder committed the event's offset (sampled every 100 ms). */
    acceptedToRecordedMs: Summary;
  };
  ingest: { requests: number; ms: number; requestsPerSec: number; requestMs: Summary };
  baselines: {
    rawInsert: {
      collectionDocs: number;
      docs: number;
      batchSize: number;
      ms: number;
      docsPerSec: number;
      fillMs: number;
    };
    bareHttp: { rounds: number; requests: number; ms: number; requestsPerSec: number };
  };
  ratios: { pipelineToRaw: number; ingestToBare: number };
  /** Milliseconds per answer through the command core (real store adapters), for one history tenant. */
  chat: Record<'status' | 'logFailed' | 'detail', { command: string; runs: number; ms: Summary; firstLine: string }>;
}

export interface GrowthReport {
  run: {
    id: string;
    events: number;
    batch: number;
    concurrency: number;
    kafkaPartitions: number;
    lingerMs: number;
    tenants: number;
    chatTenant: string;
    store: string;
    node: string;
    cpus: number;
    startedAt: string;
    history: number[];
  };
  complete: boolean;
  note?: string;
  steps: GrowthStep[];
}

const num = (value: number, digits = 0) =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    : 'n/a';
const pair = (s: Summary) => `${num(s.p50, s.p50 < 10 ? 1 : 0)}/${num(s.p99, s.p99 < 10 ? 1 : 0)}`;

/** The growth benchmark's table: one row per history size. */
export function formatGrowthReport(report: GrowthReport): string {
  const { run } = report;
  const header = [
    'history',
    'pipeline ev/s',
    'raw docs/s',
    'pipe/raw',
    'acc→rec p50/p99 ms',
    'ingest req/s',
    'bare req/s',
    'ingest/bare',
    'status p50/p99',
    'log failed p50/p99',
    'detail p50/p99',
  ];
  const rows = report.steps.map((step) => [
    `${num(step.history)}${step.complete ? '' : '*'}`,
    num(step.pipeline.eventsPerSec, 1),
    num(step.baselines.rawInsert.docsPerSec),
    num(step.ratios.pipelineToRaw, 3),
    pair(step.pipeline.acceptedToRecordedMs),
    num(step.ingest.requestsPerSec),
    num(step.baselines.bareHttp.requestsPerSec),
    num(step.ratios.ingestToBare, 3),
    pair(step.chat.status.ms),
    pair(step.chat.logFailed.ms),
    pair(step.chat.detail.ms),
  ]);
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => row[column]!.length)));
  const table = all
    .map((row) =>
      row
        .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
        .join('  '),
    )
    .join('\n');
  const incomplete = report.steps.filter((step) => !step.complete);
  const lines = [
    `IEX ChatOps growth benchmark — run ${run.id}, ${run.startedAt}`,
    `history of ${run.tenants} tenants (60 days, ~3 events per transfer, ~1 KB each); per size a burst of ` +
      `${num(run.events)} events, ${run.batch} per request, ${run.concurrency} in flight; ${run.kafkaPartitions} partitions; ` +
      `linger ${run.lingerMs} ms; store ${run.store}; node ${run.node}, ${run.cpus} CPUs`,
    `chat: 30 answers each through the command core for ${run.chatTenant}: status, log failed, log <transferId>`,
    '',
    table,
    '',
    'pipeline = first request → last event recorded (its offset committed after the store writes); raw = insertMany×500 into ' +
      'a collection of the same size; ingest/bare = the service vs a bare node:http server, same client and bodies.',
    ...report.steps.map(
      (step) =>
        `  ${num(step.history)}: pre-fill ${num(step.prefill.events)} events in ${num(step.prefill.ms / 1000, 1)} s ` +
        `(${num(step.prefill.eventsPerSec)} ev/s); ingest ${num(step.ingest.ms)} ms, request p50/p99 ${pair(step.ingest.requestMs)} ms`,
    ),
    ...(incomplete.length > 0 || report.note
      ? [
          '',
          ...incomplete.map((step) => `* ${num(step.history)}: ${step.note ?? 'incomplete'}`),
          ...(report.note ? [report.note] : []),
        ]
      : []),
  ];
  return `${lines.join('\n')}\n`;
}
