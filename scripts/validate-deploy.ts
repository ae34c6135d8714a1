import { problemLine, readManifests } from './deploy-check/manifests';
import { ruleProblems } from './deploy-check/rules';
import { schemaProblems } from './deploy-check/schema';
import { readServiceSettings } from './deploy-check/settings';

/**
 * `npm run deploy:validate [-- DIR]` (default deploy/): every manifest against the Kubernetes API
 * schemas, offline, and against this service's own rules (README.md "Running in production").
 * Prints one line per problem (file: Kind/name: field: why) and exits 1, or one line saying what
 * was checked and exits 0.
 */
async function main(): Promise<void> {
  const dir = process.argv[2] ?? 'deploy';
  const { manifests, problems } = readManifests(dir);
  problems.push(...(await schemaProblems(manifests)));
  problems.push(...ruleProblems(manifests, readServiceSettings()));
  if (problems.length > 0) {
    process.stderr.write(`${problems.map(problemLine).join('\n')}\n${problems.length} problem(s) in ${dir}\n`);
    process.exitCode = 1;
    return;
  }
  const files = new Set(manifests.map(({ file }) => file));
  process.stdout.write(`${dir}: ${manifests.length} objects in ${files.size} files are valid\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
