import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

/** Runs `npm run deploy:validate` on `dir` as CI does: its exit code and what it printed. */
function validate(dir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(tsx, ['scripts/validate-deploy.ts', dir], { cwd: root }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Replaces `from` by `to` in one file of `dir`, failing loudly if the manifests no longer hold `from`. */
function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} no longer contains ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

describe('the Kubernetes manifests in deploy/', () => {
  it('pass the API schemas and the service rules', async () => {
    const { code, stdout, stderr } = await validate('deploy');
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^deploy: \d+ objects in \d+ files are valid\n$/);
    expect(code).toBe(0);
  });

  describe('a broken copy', () => {
    let dir: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'iex-deploy-'));
      cpSync(join(root, 'deploy'), dir, { recursive: true });
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('fails, naming the file, the object, the field and why, for each problem', async () => {
      // What the API would refuse: a wrong type, a misspelt field, a value outside its enum.
      edit(dir, 'deployment.yaml', 'revisionHistoryLimit: 5', "revisionHistoryLimit: '5'");
      edit(dir, 'deployment.yaml', 'imagePullPolicy:', 'imagePulPolicy:');
      edit(dir, 'service.yaml', 'type: ClusterIP', 'type: Internal');
      // What the service's own rules refuse.
      edit(dir, 'deployment.yaml', 'replicas: 3', 'replicas: 1');
      edit(dir, 'deployment.yaml', 'terminationGracePeriodSeconds: 60', 'terminationGracePeriodSeconds: 10');
      edit(dir, 'configmap.yaml', 'KAFKA_CLIENT_ID:', 'KAFKA_CLIENT:');
      edit(dir, 'configmap.yaml', 'LOG_LEVEL: info', `LOG_LEVEL: info\n  LINK_SECRET: ${'x'.repeat(40)}`);
      edit(dir, 'pdb.yaml', 'app.kubernetes.io/component: server', 'app.kubernetes.io/component: web');
      edit(dir, 'secret.example.yaml', 'SMTP_URL: REPLACE_ME smtp://', 'SMTP_URL: smtp://');
      // A placeholder the service would start with, had someone forgotten to replace it.
      edit(dir, 'secret.example.yaml', 'SLACK_BOT_TOKEN: REPLACE_ME xoxb-token', 'SLACK_BOT_TOKEN: xoxb-REPLACE_ME');

      const { code, stdout, stderr } = await validate(dir);

      const deployment = `${dir}/deployment.yaml: Deployment/iex-chatops`;
      const container = `${deployment}: spec.template.spec.containers[0]`;
      const fromConfigMap = `${container}.envFrom[0] (ConfigMap iex-chatops-config)`;
      expect(stderr.split('\n')).toEqual(
        expect.arrayContaining([
          `${deployment}: spec.revisionHistoryLimit: must be integer`,
          `${container}.imagePulPolicy: unknown field "imagePulPolicy" (Kubernetes refuses it)`,
          `${dir}/service.yaml: Service/iex-chatops: spec.type: must be one of ClusterIP, ExternalName, LoadBalancer, NodePort`,
          `${deployment}: spec.replicas: 1: at least 2, so one replica's loss or restart leaves the service answering`,
          `${deployment}: spec.template.spec.terminationGracePeriodSeconds: 10 s must be longer than the preStop pause (5 s) plus the shutdown drain (SHUTDOWN_TIMEOUT_MS + 1 s, 21 s), or the kubelet kills the pod mid-drain`,
          `${fromConfigMap}: sets KAFKA_CLIENT, which is not a setting of src/config/config.ts`,
          `${fromConfigMap}: sets the secret LINK_SECRET from a ConfigMap: it must come from a Secret`,
          `${deployment}: spec.template.metadata.labels: no PodDisruptionBudget selects these pods: a node drain could stop every replica at once`,
          `${dir}/secret.example.yaml: Secret/iex-chatops-secrets: stringData.SMTP_URL: holds a value: deploy/ keeps placeholders only (containing REPLACE_ME), never real secrets`,
          `${dir}/secret.example.yaml: Secret/iex-chatops-secrets: stringData.SLACK_BOT_TOKEN: the service would accept this placeholder, so a forgotten one would start it with a made-up SLACK_BOT_TOKEN: make it invalid (begin it with REPLACE_ME)`,
          `10 problem(s) in ${dir}`,
        ]),
      );
      expect(stdout).toBe('');
      expect(code).toBe(1);
    });

    it('fails on swapped probes, probe timeouts, too few partitions, a loose budget, a loopback address, a drain longer than the grace period and what kustomize would apply', async () => {
      // Readiness and liveness swapped: /metrics says nothing about the store, /healthz restarts pods when it is slow.
      edit(dir, 'deployment.yaml', 'path: /healthz', 'path: /metrics');
      edit(
        dir,
        'deployment.yaml',
        'livenessProbe:\n            httpGet:\n              path: /metrics',
        'livenessProbe:\n            httpGet:\n              path: /healthz',
      );
      // Each probe's 5 s is no longer above what a health check may take.
      edit(dir, 'configmap.yaml', 'LOG_LEVEL: info', "LOG_LEVEL: info\n  HEALTH_TIMEOUT_MS: '5000'");
      edit(dir, 'configmap.yaml', "KAFKA_PARTITIONS: '6'", "KAFKA_PARTITIONS: '2'");
      edit(dir, 'configmap.yaml', 'HOST: 0.0.0.0', 'HOST: 127.0.0.1');
      // A drain the grace period no longer covers.
      edit(dir, 'configmap.yaml', "SHUTDOWN_TIMEOUT_MS: '20000'", "SHUTDOWN_TIMEOUT_MS: '60000'");
      // A budget that selects these pods and others beside them.
      edit(dir, 'pdb.yaml', '\n      app.kubernetes.io/component: server', '');
      // The budget left out of `kubectl apply -k`, the Secret's template put in.
      edit(dir, 'kustomization.yaml', '  - pdb.yaml\n', '  - secret.example.yaml\n');

      const { code, stdout, stderr } = await validate(dir);

      const deployment = `${dir}/deployment.yaml: Deployment/iex-chatops`;
      const container = `${deployment}: spec.template.spec.containers[0]`;
      const tooShort = (probe: string) =>
        `${container}.${probe}.timeoutSeconds: 5 s must be longer than HEALTH_TIMEOUT_MS (5 s), how long its checks may take to answer`;
      expect(stderr.split('\n')).toEqual(
        expect.arrayContaining([
          `${container}.readinessProbe.httpGet.path: must be /healthz (it checks the store, the broker and the recorder), not /metrics`,
          `${container}.livenessProbe.httpGet.path: must not be /healthz: a slow store or broker would restart every replica`,
          tooShort('readinessProbe'),
          tooShort('livenessProbe'),
          tooShort('startupProbe'),
          `${deployment}: spec.replicas: 3 replicas but KAFKA_PARTITIONS is 2: each partition is consumed by one replica, so some would consume nothing`,
          `${container}: HOST is 127.0.0.1: probes and the Service cannot reach the pod; set HOST=0.0.0.0`,
          `${dir}/pdb.yaml: PodDisruptionBudget/iex-chatops: spec.selector.matchLabels: must be the selector of Deployment iex-chatops, so it counts exactly its pods`,
          `${dir}/kustomization.yaml: Kustomization: resources: does not list pdb.yaml: \`kubectl apply -k\` would leave PodDisruptionBudget/iex-chatops out`,
          `${dir}/kustomization.yaml: Kustomization: resources: lists secret.example.yaml, a template: its placeholders would be applied`,
          `${deployment}: spec.template.spec.terminationGracePeriodSeconds: 60 s must be longer than the preStop pause (5 s) plus the shutdown drain (SHUTDOWN_TIMEOUT_MS + 1 s, 61 s), or the kubelet kills the pod mid-drain`,
          `11 problem(s) in ${dir}`,
        ]),
      );
      expect(stdout).toBe('');
      expect(code).toBe(1);
    });
  });
});
