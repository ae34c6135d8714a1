import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';

/** One YAML document of a manifest file. */
export interface Manifest {
  /** The file, relative to the working directory, as people open it. */
  file: string;
  apiVersion: string;
  kind: string;
  name: string;
  body: Record<string, unknown>;
}

/** What is wrong, where: the file, the resource (Kind/name), the field (dotted path) and why. */
export interface Problem {
  file: string;
  resource: string;
  path: string;
  message: string;
}

export const resourceName = ({ kind, name }: Pick<Manifest, 'kind' | 'name'>) => (name ? `${kind}/${name}` : kind);

export function problemLine({ file, resource, path, message }: Problem): string {
  return [file, resource, path, message].filter(Boolean).join(': ');
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Every document of every .yaml/.yml file under `dir`. A file that does not parse, or a document
 * without apiVersion, kind and metadata.name, is a problem rather than an exception, so one run
 * reports everything that is wrong.
 */
export function readManifests(dir: string): { manifests: Manifest[]; problems: Problem[] } {
  const manifests: Manifest[] = [];
  const problems: Problem[] = [];
  for (const path of yamlFiles(dir)) {
    const near = relative(process.cwd(), path);
    const file = near && !near.startsWith('..') ? near : path;
    const documents = parseAllDocuments(readFileSync(path, 'utf8'), { prettyErrors: true });
    for (const [index, document] of documents.entries()) {
      const where = `document ${index + 1}`;
      if (document.errors.length > 0) {
        for (const error of document.errors) problems.push({ file, resource: where, path: '', message: error.message });
        continue;
      }
      const body: unknown = document.toJS();
      if (body === null || body === undefined) continue; // an empty document between `---`
      const metadata = isObject(body) && isObject(body.metadata) ? body.metadata : {};
      if (!isObject(body) || typeof body.apiVersion !== 'string' || typeof body.kind !== 'string') {
        problems.push({ file, resource: where, path: '', message: 'is not a Kubernetes object (apiVersion and kind)' });
        continue;
      }
      const name = typeof metadata.name === 'string' ? metadata.name : '';
      // Kustomize's own file names no object; everything else must.
      if (!name && body.kind !== 'Kustomization') {
        problems.push({ file, resource: `${body.kind} (${where})`, path: 'metadata.name', message: 'is required' });
        continue;
      }
      manifests.push({ file, apiVersion: body.apiVersion, kind: body.kind, name, body });
    }
  }
  return { manifests, problems };
}
