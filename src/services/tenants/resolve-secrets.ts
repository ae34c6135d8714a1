import { PREVIOUS_WEBHOOK_SECRET } from './read-state';
import type { SecretSpec, SpecProblem, TenantSpec } from '../../domain/tenant-spec';

/** How `show` prints a secret that is set; never a value. */
export const SECRET_SET = '(set)';

/**
 * The secrets of each system (in spec order) as values: given inline, or read from the applying
 * process's environment. Every secret that cannot be resolved is a problem named by its path
 * (`systems[0].secrets.apiToken: environment variable ACME_TOKEN is not set`), and so is `(set)`,
 * which is what `show` prints in place of a secret: applying a shown spec as it is would replace
 * every secret with those five characters.
 */
export function resolveSecrets(
  spec: Pick<TenantSpec, 'systems'>,
  env: NodeJS.ProcessEnv,
): { secrets: Array<Record<string, string>>; problems: SpecProblem[] } {
  const problems: SpecProblem[] = [];
  const secrets = spec.systems.map((system, index) => {
    const values: Record<string, string> = {};
    for (const [key, secret] of Object.entries(system.secrets)) {
      const path = `systems[${index}].secrets.${key}`;
      if (key === PREVIOUS_WEBHOOK_SECRET) {
        problems.push({ path, message: 'the service keeps the replaced webhook secret itself; a spec cannot set it' });
        continue;
      }
      const resolved = resolveOne(secret, env);
      if ('problem' in resolved) problems.push({ path, message: resolved.problem });
      else values[key] = resolved.value;
    }
    return values;
  });
  return { secrets, problems };
}

function resolveOne(secret: SecretSpec, env: NodeJS.ProcessEnv): { value: string } | { problem: string } {
  if (typeof secret === 'object' && 'env' in secret) {
    const value = env[secret.env];
    if (value === undefined) return { problem: `environment variable ${secret.env} is not set` };
    if (value === '') return { problem: `environment variable ${secret.env} is empty` };
    return { value };
  }
  const value = typeof secret === 'string' ? secret : secret.value;
  if (value === SECRET_SET) {
    return {
      problem: `"${SECRET_SET}" is how show hides a secret, not a secret: give the value or {env: VARIABLE}`,
    };
  }
  return { value };
}
