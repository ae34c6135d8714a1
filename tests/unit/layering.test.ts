import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/**
 * The layers of the codebase and what each may import (README, "Layout"). A layer imports only
 * the layers listed for it: downward, never sideways into a peer, never upward. A folder that is
 * not listed here fails the test, so a new folder gets its place before it gets code.
 */
const FOUNDATION = ['src/domain', 'src/config', 'src/i18n'];
const BELOW_SERVICES = [...FOUNDATION, 'src/chat', 'src/store', 'src/kafka', 'src/commands'];
const BELOW_EDGES = [...BELOW_SERVICES, 'src/services', 'src/http'];
const LAYERS: Record<string, readonly string[]> = {
  'src/domain': [],
  'src/config': ['src/domain'],
  // Message catalogues and the formatting of numbers and dates: everything that speaks to people uses them.
  'src/i18n': ['src/domain'],
  'src/chat': ['src/domain', 'src/i18n'],
  'src/store': ['src/domain'],
  'src/kafka': [...FOUNDATION, 'src/store'],
  'src/commands': [...FOUNDATION, 'src/chat'],
  'src/services': BELOW_SERVICES,
  'src/http': [...BELOW_SERVICES, 'src/services'],
  'src/ingest': BELOW_EDGES,
  'src/web': BELOW_EDGES,
  'src/admin': BELOW_EDGES,
  'src/jobs': BELOW_EDGES,
  consumers: BELOW_EDGES,
  bots: BELOW_EDGES,
  // Every chat platform's folder, bots/<platform>/, is a layer of its own (see `layerOf`): it may use
  // the shared bots/ files but not another platform's.
  'bots/*': [...BELOW_EDGES, 'bots'],
  'src/simulator': [...BELOW_EDGES, 'src/ingest'],
  'src/app': ['*'],
  'src/main': ['*'],
};

/** Libraries only some layers may use: the chat platforms' SDKs, Kafka, MongoDB, HTTP frameworks. */
const LIBRARIES: ReadonlyArray<{ pattern: RegExp; what: string; allowedIn: readonly string[] }> = [
  { pattern: /^@slack\//, what: 'Slack SDK', allowedIn: ['bots/slack', 'src/app'] },
  { pattern: /^discord(\.js|-api-types)/, what: 'Discord SDK', allowedIn: ['bots/discord', 'src/app'] },
  { pattern: /^kafkajs/, what: 'kafkajs', allowedIn: ['src/kafka', 'src/http', 'src/app'] },
  {
    pattern: /^(mongoose|mongodb)/,
    what: 'MongoDB driver',
    allowedIn: ['src/store', 'src/services', 'src/http', 'src/app'],
  },
  {
    pattern: /^express/,
    what: 'Express',
    allowedIn: ['src/http', 'src/ingest', 'src/web', 'src/admin', 'src/simulator', 'bots', 'bots/*', 'src/app'],
  },
];

const root = path.resolve(__dirname, '../..');

const allowedImports = (layer: string): readonly string[] =>
  LAYERS[layer] ?? (layer.startsWith('bots/') ? LAYERS['bots/*']! : []);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

/** Every module a file imports or re-exports, as written (type-only imports included). */
function importsOf(file: string): string[] {
  return ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles.map((imported) => imported.fileName);
}

/**
 * The layer a file belongs to: its platform folder under bots/, else the longest listed folder
 * that holds it (`src/app.ts` is `src/app`).
 */
function layerOf(relative: string): string | undefined {
  const platform = /^bots\/([^/]+)\//.exec(relative);
  if (platform) return `bots/${platform[1]}`;
  const withoutExtension = relative.replace(/\.ts$/, '');
  return Object.keys(LAYERS)
    .filter((layer) => withoutExtension === layer || withoutExtension.startsWith(`${layer}/`))
    .sort((a, b) => b.length - a.length)[0];
}

function resolveRelative(file: string, specifier: string): string {
  const target = path.resolve(path.dirname(file), specifier);
  for (const candidate of [`${target}.ts`, path.join(target, 'index.ts')]) {
    try {
      if (statSync(candidate).isFile()) return path.relative(root, candidate);
    } catch {
      // not this one
    }
  }
  return path.relative(root, target);
}

const files = ['src', 'bots', 'consumers'].flatMap((dir) => sourceFiles(path.join(root, dir)));
const graph = new Map(
  files.map((file) => {
    const relative = path.relative(root, file);
    const imports = importsOf(file).map((specifier) =>
      specifier.startsWith('.') ? { specifier, target: resolveRelative(file, specifier) } : { specifier },
    );
    return [relative, imports] as const;
  }),
);

describe('layering', () => {
  it('gives every source file a layer', () => {
    expect([...graph.keys()].filter((file) => !layerOf(file))).toEqual([]);
  });

  it('imports only from the layers below (domain ← chat ← commands ← services ← edges ← app)', () => {
    const offenders: string[] = [];
    for (const [file, imports] of graph) {
      const from = layerOf(file)!;
      const allowed = allowedImports(from);
      for (const { specifier, target } of imports) {
        if (!target || allowed.includes('*')) continue;
        const to = layerOf(target);
        if (to === from) continue;
        if (!to || !allowed.includes(to))
          offenders.push(`${file} (${from}) imports ${specifier} (${to ?? 'outside the layers'})`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps platform SDKs, Kafka, MongoDB and HTTP frameworks inside the layers made for them', () => {
    const offenders: string[] = [];
    for (const [file, imports] of graph) {
      const layer = layerOf(file)!;
      for (const { specifier, target } of imports) {
        if (target) continue;
        const library = LIBRARIES.find(({ pattern }) => pattern.test(specifier));
        const platformFolder = layer.startsWith('bots/') && library?.allowedIn.includes('bots/*');
        if (library && !library.allowedIn.includes(layer) && !platformFolder)
          offenders.push(`${file} (${layer}) imports ${library.what}`);
      }
    }
    expect(offenders).toEqual([]);
  });

  it('keeps the domain rules pure: no I/O', () => {
    const io = /^node:(fs|http|https|net|child_process|dgram|dns)$|^(fs|http|https|net|child_process)$/;
    const offenders = [...graph]
      .filter(([file]) => layerOf(file) === 'src/domain' || layerOf(file) === 'src/chat')
      .flatMap(([file, imports]) =>
        imports.filter(({ specifier }) => io.test(specifier)).map(({ specifier }) => `${file} imports ${specifier}`),
      );
    expect(offenders).toEqual([]);
  });

  it('has no import circle between files', () => {
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (file: string): void => {
      state.set(file, 'open');
      stack.push(file);
      for (const { target } of graph.get(file) ?? []) {
        if (!target || !graph.has(target)) continue;
        if (state.get(target) === 'open') cycles.push([...stack.slice(stack.indexOf(target)), target].join(' → '));
        else if (!state.has(target)) visit(target);
      }
      stack.pop();
      state.set(file, 'done');
    };
    for (const file of graph.keys()) if (!state.has(file)) visit(file);
    expect(cycles).toEqual([]);
  });
});
