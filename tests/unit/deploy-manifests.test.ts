import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readServiceSettings } from '../../scripts/deploy-check/settings';

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
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'iex-deploy-'));
      cpSync(join(root, 'deploy'), dir, { recursive: true });
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('fails, naming the file, the object, the field and why, for each problem', async () => {
      // What the API would refuse: a wrong type, a misspelt field, a value outside its enum.
      edit(dir, 'deployment.yaml', 'replicas: 3', "replicas: '3'");
      edit(dir, 'deployment.yaml', 'readinessProbe:', 'readinesProbe:');
      edit(dir, 'service.yaml', 'type: ClusterIP', 'type: Internal');
      // What the service's own rules refuse.
      edit(dir, 'deployment.yaml', 'terminationGracePeriodSeconds: 60', 'terminationGracePeriodSeconds: 10');
      edit(dir, 'configmap.yaml', 'KAFKA_CLIENT_ID:', 'KAFKA_CLIENT:');
      edit(dir, 'configmap.yaml', 'LOG_LEVEL: info', `LOG_LEVEL: info\n  LINK_SECRET: ${'x'.repeat(40)}`);
      edit(dir, 'pdb.yaml', 'app.kubernetes.io/component: server', 'app.kubernetes.io/component: web');
      edit(dir, 'secret.yaml', 'SMTP_URL: REPLACE_ME smtp://', 'SMTP_URL: smtp://');

      const { code, stdout, stderr } = await validate(dir);

      const settings = readServiceSettings();
      const drain = settings.drain(settings.defaults);
      const deployment = `${dir}/deployment.yaml: Deployment/iex-chatops`;
      const container = `${deployment}: spec.template.spec.containers[0]`;
      const fromConfigMap = `${container}.envFrom[0] (ConfigMap iex-chatops-config)`;
      expect(stderr.split('\n')).toEqual(
        expect.arrayContaining([
          `${deployment}: spec.replicas: must be integer`,
          `${container}.readinesProbe: unknown field "readinesProbe" (Kubernetes refuses it)`,
          `${dir}/service.yaml: Service/iex-chatops: spec.type: must be one of ClusterIP, ExternalName, LoadBalancer, NodePort`,
          `${container}.readinessProbe.httpGet.path: must be /healthz (it checks the store, the broker and the recorder), not missing`,
          `${deployment}: spec.template.spec.terminationGracePeriodSeconds: 10 s must be longer than the preStop pause (5 s) plus the shutdown drain (${drain.setting}, ${drain.seconds} s), or the kubelet kills the pod mid-drain`,
          `${fromConfigMap}: sets KAFKA_CLIENT, which is not a setting of src/config/config.ts`,
          `${fromConfigMap}: sets the secret LINK_SECRET from a ConfigMap: it must come from a Secret`,
          `${deployment}: spec.template.metadata.labels: no PodDisruptionBudget selects these pods: a node drain could stop every replica at once`,
          `${dir}/secret.yaml: Secret/iex-chatops-secrets: stringData.SMTP_URL: holds a value: deploy/ keeps placeholders only (containing REPLACE_ME), never real secrets`,
          `9 problem(s) in ${dir}`,
        ]),
      );
      expect(stdout).toBe('');
      expect(code).toBe(1);
    });
  });
});
