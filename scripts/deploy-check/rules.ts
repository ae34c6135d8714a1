import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config } from '../../src/config/config';
import { resourceName, type Manifest, type Problem } from './manifests';
import type { ServiceSettings } from './settings';

/**
 * This service's own rules for its manifests, beyond what the API accepts: the things that keep
 * several replicas safe to run, roll and drain, and settings that the code actually reads.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const object = (value: unknown): Json => (isObject(value) ? value : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);
const labels = (value: unknown): Record<string, string> =>
  Object.fromEntries(
    Object.entries(object(value)).filter((entry): entry is [string, string] => typeof entry[1] === 'string'),
  );

/** True when every label of `selector` is on `target` with the same value (an empty selector matches nothing here). */
function selects(selector: Record<string, string>, target: Record<string, string>): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([key, value]) => target[key] === value);
}

const sameLabels = (a: Record<string, string>, b: Record<string, string>) =>
  Object.keys(a).length === Object.keys(b).length && selects(a, b);

interface Context {
  manifests: Manifest[];
  settings: ServiceSettings;
  problems: Problem[];
}

function report(ctx: Context, manifest: Manifest, path: string, message: string): void {
  ctx.problems.push({ file: manifest.file, resource: resourceName(manifest), path, message });
}

const byKind = (ctx: Context, kind: string) => ctx.manifests.filter((manifest) => manifest.kind === kind);
const named = (ctx: Context, kind: string, name: unknown) =>
  ctx.manifests.find((manifest) => manifest.kind === kind && manifest.name === name);

/** The keys a ConfigMap or Secret defines (Secret: data and stringData). */
function keysOf(manifest: Manifest): string[] {
  return [...Object.keys(object(manifest.body.data)), ...Object.keys(object(manifest.body.stringData))];
}

/** A ConfigMap's or Secret's values as the container sees them. */
function valuesOf(manifest: Manifest): Record<string, string> {
  const decoded = Object.entries(object(manifest.body.data)).map(([key, value]) => [
    key,
    manifest.kind === 'Secret' ? Buffer.from(String(value), 'base64').toString('utf8') : String(value),
  ]);
  const plain = Object.entries(object(manifest.body.stringData)).map(([key, value]) => [key, String(value)]);
  return Object.fromEntries([...decoded, ...plain]);
}

/** Where each environment variable of a container comes from, with the settings it sets. */
interface EnvSource {
  name: string;
  path: string;
  from: 'value' | 'ConfigMap' | 'Secret' | 'other';
  value?: string;
}

function envSources(ctx: Context, deployment: Manifest, container: Json, at: string): EnvSource[] {
  const sources: EnvSource[] = [];
  list(container.envFrom).forEach((entry, index) => {
    const path = `${at}.envFrom[${index}]`;
    for (const kind of ['ConfigMap', 'Secret'] as const) {
      const ref = object(entry[kind === 'ConfigMap' ? 'configMapRef' : 'secretRef']);
      if (!ref.name) continue;
      const source = named(ctx, kind, ref.name);
      if (!source) {
        if (ref.optional !== true)
          report(ctx, deployment, path, `refers to ${kind} ${String(ref.name)}, which is not in deploy/`);
        continue;
      }
      if (entry.prefix)
        report(ctx, deployment, `${path}.prefix`, 'would rename the settings; the service reads them unprefixed');
      const values = valuesOf(source);
      for (const key of keysOf(source))
        sources.push({ name: key, path: `${path} (${kind} ${source.name})`, from: kind, value: values[key] });
    }
  });
  list(container.env).forEach((entry, index) => {
    const path = `${at}.env[${index}]`;
    const valueFrom = object(entry.valueFrom);
    const name = String(entry.name);
    if (typeof entry.value === 'string') sources.push({ name, path, from: 'value', value: entry.value });
    else if (isObject(valueFrom.configMapKeyRef) || isObject(valueFrom.secretKeyRef)) {
      const kind = isObject(valueFrom.configMapKeyRef) ? 'ConfigMap' : 'Secret';
      const ref = object(valueFrom.configMapKeyRef ?? valueFrom.secretKeyRef);
      const source = named(ctx, kind, ref.name);
      if (!source || !keysOf(source).includes(String(ref.key))) {
        if (ref.optional !== true)
          report(
            ctx,
            deployment,
            path,
            `refers to key ${String(ref.key)} of ${kind} ${String(ref.name)}, which deploy/ does not define`,
          );
      }
      sources.push({ name, path, from: kind, value: source ? valuesOf(source)[String(ref.key)] : undefined });
    } else sources.push({ name, path, from: 'other' });
  });
  return sources;
}

/** Checks where each setting comes from and what the service would make of them: the settings it would run with. */
function checkEnvironment(
  ctx: Context,
  deployment: Manifest,
  container: Json,
  at: string,
  replicas: number,
): Config | undefined {
  const { settings } = ctx;
  const sources = envSources(ctx, deployment, container, at);
  const plain: Record<string, string> = {};
  for (const source of sources) {
    if (!settings.names.has(source.name)) {
      report(ctx, deployment, source.path, `sets ${source.name}, which is not a setting of src/config/config.ts`);
      continue;
    }
    if (settings.isSecret(source.name) && source.from !== 'Secret') {
      report(
        ctx,
        deployment,
        source.path,
        `sets the secret ${source.name} from a ${source.from === 'value' ? 'literal value' : source.from}: it must come from a Secret`,
      );
    }
    if (source.from === 'value' || source.from === 'ConfigMap') {
      if (source.value !== undefined) plain[source.name] = source.value;
    }
  }
  const required = ['KAFKA_BROKERS', 'MONGO_URL'].filter((name) => !sources.some((source) => source.name === name));
  for (const name of required) report(ctx, deployment, at, `does not set ${name}, which the service requires`);

  // The plain settings must pass the service's own check; secrets are placeholders here, so a
  // well-formed stand-in replaces each setting that comes from a Secret.
  try {
    const config = loadConfig({ MONGO_URL: 'mongodb://mongo:27017/iex', KAFKA_BROKERS: 'kafka:9092', ...plain }, false);
    if (config.KAFKA_PARTITIONS < replicas) {
      report(
        ctx,
        deployment,
        'spec.replicas',
        `${replicas} replicas but KAFKA_PARTITIONS is ${config.KAFKA_PARTITIONS}: each partition is consumed by one replica, so some would consume nothing`,
      );
    }
    const port = list(container.ports).find((candidate) => candidate.containerPort === config.PORT);
    if (!port)
      report(
        ctx,
        deployment,
        `${at}.ports`,
        `has no containerPort ${config.PORT}, the port the service listens on (PORT)`,
      );
    if (config.HOST === '127.0.0.1' || config.HOST === 'localhost') {
      report(
        ctx,
        deployment,
        at,
        `HOST is ${config.HOST}: probes and the Service cannot reach the pod; set HOST=0.0.0.0`,
      );
    }
    return config;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) report(ctx, deployment, at, `the service would refuse its settings: ${line}`);
    return undefined;
  }
}

/** The probe's HTTP path, or undefined when it is not an HTTP probe. */
const probePath = (probe: Json) => object(probe.httpGet).path as string | undefined;

function checkProbes(ctx: Context, deployment: Manifest, container: Json, at: string, config: Config): void {
  const healthSeconds = config.HEALTH_TIMEOUT_MS / 1000;
  const readiness = object(container.readinessProbe);
  if (probePath(readiness) !== '/healthz') {
    report(
      ctx,
      deployment,
      `${at}.readinessProbe.httpGet.path`,
      `must be /healthz (it checks the store, the broker and the recorder), not ${probePath(readiness) ?? 'missing'}`,
    );
  }
  const liveness = object(container.livenessProbe);
  if (!isObject(container.livenessProbe))
    report(ctx, deployment, `${at}.livenessProbe`, 'is missing: a hung process would never be restarted');
  else if (probePath(liveness) === '/healthz') {
    report(
      ctx,
      deployment,
      `${at}.livenessProbe.httpGet.path`,
      'must not be /healthz: a slow store or broker would restart every replica',
    );
  }
  for (const [name, probe] of [
    ['readinessProbe', readiness],
    ['livenessProbe', liveness],
    ['startupProbe', object(container.startupProbe)],
  ] as const) {
    if (!probePath(probe)) continue;
    const timeout = typeof probe.timeoutSeconds === 'number' ? probe.timeoutSeconds : 1;
    if (timeout <= healthSeconds) {
      report(
        ctx,
        deployment,
        `${at}.${name}.timeoutSeconds`,
        `${timeout} s must be longer than HEALTH_TIMEOUT_MS (${healthSeconds} s), how long its checks may take to answer`,
      );
    }
  }
}

function checkResources(ctx: Context, deployment: Manifest, container: Json, at: string): void {
  const resources = object(container.resources);
  for (const [kind, names] of [
    ['requests', ['cpu', 'memory']],
    ['limits', ['memory']],
  ] as const) {
    for (const name of names) {
      if (object(resources[kind])[name] === undefined)
        report(ctx, deployment, `${at}.resources.${kind}.${name}`, 'is required');
    }
  }
}

function checkSecurity(ctx: Context, deployment: Manifest, pod: Json, container: Json, at: string): void {
  const podContext = object(pod.securityContext);
  const own = object(container.securityContext);
  const effective = (field: string) => own[field] ?? podContext[field];
  if (effective('runAsNonRoot') !== true) report(ctx, deployment, `${at}.securityContext.runAsNonRoot`, 'must be true');
  const user = effective('runAsUser');
  if (typeof user !== 'number' || user === 0) {
    report(
      ctx,
      deployment,
      `${at}.securityContext.runAsUser`,
      "must be a numeric user other than 0 (the image's user is a name the kubelet cannot check)",
    );
  }
  if (own.readOnlyRootFilesystem !== true)
    report(
      ctx,
      deployment,
      `${at}.securityContext.readOnlyRootFilesystem`,
      'must be true: the service writes no files',
    );
  if (own.allowPrivilegeEscalation !== false)
    report(ctx, deployment, `${at}.securityContext.allowPrivilegeEscalation`, 'must be false');
}

/** Seconds a preStop `sleep N` adds before SIGTERM; 0 without one. */
function preStopSeconds(container: Json): number {
  const preStop = object(object(container.lifecycle).preStop);
  const command = object(preStop.exec).command;
  if (Array.isArray(command) && command[0] === 'sleep') return Number(command[1]) || 0;
  const sleep = object(preStop.sleep).seconds;
  return typeof sleep === 'number' ? sleep : 0;
}

function checkDeployment(ctx: Context, deployment: Manifest): void {
  const spec = object(deployment.body.spec);
  const template = object(spec.template);
  const pod = object(template.spec);
  const podLabels = labels(object(template.metadata).labels);
  // Unset is 1 (the API's default); a replicas that is no number is the schema's to report.
  const replicas = spec.replicas === undefined ? 1 : typeof spec.replicas === 'number' ? spec.replicas : 2;
  if (replicas < 2)
    report(
      ctx,
      deployment,
      'spec.replicas',
      `${replicas}: at least 2, so one replica's loss or restart leaves the service answering`,
    );

  const selector = labels(object(spec.selector).matchLabels);
  if (!selects(selector, podLabels))
    report(ctx, deployment, 'spec.selector.matchLabels', "must match the pod template's labels");

  const containers = list(pod.containers);
  const grace = typeof pod.terminationGracePeriodSeconds === 'number' ? pod.terminationGracePeriodSeconds : 30;
  containers.forEach((container, index) => {
    const at = `spec.template.spec.containers[${index}]`;
    // Settings the service would refuse are reported above; the rules below then go by the defaults.
    const config = checkEnvironment(ctx, deployment, container, at, replicas) ?? ctx.settings.defaults;
    checkProbes(ctx, deployment, container, at, config);
    checkResources(ctx, deployment, container, at);
    checkSecurity(ctx, deployment, pod, container, at);
    const pause = preStopSeconds(container);
    const drain = ctx.settings.drain(config);
    if (grace <= pause + drain.seconds) {
      report(
        ctx,
        deployment,
        'spec.template.spec.terminationGracePeriodSeconds',
        `${grace} s must be longer than the preStop pause (${pause} s) plus the shutdown drain (${drain.setting}, ${drain.seconds} s), or the kubelet kills the pod mid-drain`,
      );
    }
  });

  const budgets = byKind(ctx, 'PodDisruptionBudget').filter((pdb) =>
    selects(labels(object(object(pdb.body.spec).selector).matchLabels), podLabels),
  );
  if (budgets.length === 0)
    report(
      ctx,
      deployment,
      'spec.template.metadata.labels',
      'no PodDisruptionBudget selects these pods: a node drain could stop every replica at once',
    );
  for (const pdb of budgets) {
    const pdbSpec = object(pdb.body.spec);
    if (!sameLabels(labels(object(pdbSpec.selector).matchLabels), selector)) {
      report(
        ctx,
        pdb,
        'spec.selector.matchLabels',
        `must be the selector of Deployment ${deployment.name}, so it counts exactly its pods`,
      );
    }
    const { minAvailable, maxUnavailable } = pdbSpec;
    const blocks =
      (typeof maxUnavailable === 'number' && maxUnavailable < 1) ||
      (typeof minAvailable === 'number' && minAvailable >= replicas) ||
      maxUnavailable === '0%' ||
      minAvailable === '100%';
    if (blocks) report(ctx, pdb, 'spec', `allows no disruption of ${replicas} replicas: node drains would hang`);
  }

  const services = byKind(ctx, 'Service').filter((service) =>
    selects(labels(object(service.body.spec).selector), podLabels),
  );
  if (services.length === 0) report(ctx, deployment, 'spec.template.metadata.labels', 'no Service selects these pods');
  const ports = containers.flatMap((container) => list(container.ports));
  for (const service of services) {
    list(object(service.body.spec).ports).forEach((port, index) => {
      const target = port.targetPort ?? port.port;
      if (!ports.some((candidate) => candidate.name === target || candidate.containerPort === target)) {
        report(
          ctx,
          service,
          `spec.ports[${index}].targetPort`,
          `${String(target)} is no port of Deployment ${deployment.name}'s containers`,
        );
      }
    });
  }
}

/** True when the service's settings check stops the start on this placeholder, naming the setting. */
function refusesPlaceholder(key: string, value: string): boolean {
  try {
    loadConfig({ MONGO_URL: 'mongodb://mongo:27017/iex', KAFKA_BROKERS: 'kafka:9092', [key]: value }, false);
    return false;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return error.problems.some((line) => line.startsWith(`${key} `));
  }
}

function checkSecretTemplates(ctx: Context): void {
  for (const secret of byKind(ctx, 'Secret')) {
    const values = valuesOf(secret);
    for (const field of ['data', 'stringData'] as const) {
      for (const key of Object.keys(object(secret.body[field]))) {
        const value = values[key] ?? '';
        if (!value.includes('REPLACE_ME')) {
          report(
            ctx,
            secret,
            `${field}.${key}`,
            'holds a value: deploy/ keeps placeholders only (containing REPLACE_ME), never real secrets',
          );
        } else if (ctx.settings.names.has(key) && !refusesPlaceholder(key, value)) {
          report(
            ctx,
            secret,
            `${field}.${key}`,
            `the service would accept this placeholder, so a forgotten one would start it with a made-up ${key}: make it invalid (begin it with REPLACE_ME)`,
          );
        }
      }
    }
  }
}

/** `*.example.yaml`: a template people copy (the Secret), checked here but never applied. */
const isTemplate = (path: string) => /\.example\.ya?ml$/.test(path);

function checkKustomization(ctx: Context): void {
  for (const kustomization of byKind(ctx, 'Kustomization')) {
    const base = dirname(resolve(kustomization.file));
    const listed = (Array.isArray(kustomization.body.resources) ? kustomization.body.resources : []).map(String);
    for (const resource of listed) {
      if (!existsSync(join(base, resource)))
        report(ctx, kustomization, 'resources', `lists ${resource}, which does not exist`);
      else if (isTemplate(resource))
        report(ctx, kustomization, 'resources', `lists ${resource}, a template: its placeholders would be applied`);
    }
    const files = new Set(listed.map((resource) => resolve(base, resource)));
    for (const manifest of ctx.manifests) {
      const path = resolve(manifest.file);
      if (manifest.kind !== 'Kustomization' && dirname(path) === base && !files.has(path) && !isTemplate(path)) {
        report(
          ctx,
          kustomization,
          'resources',
          `does not list ${relative(base, path)}: \`kubectl apply -k\` would leave ${resourceName(manifest)} out`,
        );
      }
    }
  }
}

/** Every rule of this service that the manifests break. */
export function ruleProblems(manifests: Manifest[], settings: ServiceSettings): Problem[] {
  const ctx: Context = { manifests, settings, problems: [] };
  const deployments = byKind(ctx, 'Deployment');
  if (deployments.length === 0) {
    ctx.problems.push({
      file: '',
      resource: 'Deployment',
      path: '',
      message: 'none found: deploy/ must run the service',
    });
  }
  for (const deployment of deployments) checkDeployment(ctx, deployment);
  checkSecretTemplates(ctx);
  checkKustomization(ctx);
  return ctx.problems;
}
