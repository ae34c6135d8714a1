import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return full.endsWith('.ts') ? [full] : [];
  });
}

function importsOf(file: string): string[] {
  const source = readFileSync(file, 'utf8');
  return [...source.matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((match) => match[1]!);
}

describe('module boundaries', () => {
  it('keeps the command core free of chat platforms, Kafka and MongoDB', () => {
    const forbidden = /^(@slack\/|discord\.js|kafkajs|mongoose|mongodb)/;
    const offenders = sourceFiles(path.join(root, 'src/commands')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => forbidden.test(specifier) || /\/(store|kafka|bots)(\/|$)/.test(specifier))
        .map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });

  it('keeps the domain rules pure: no I/O libraries', () => {
    const io = /^(@slack\/|discord\.js|kafkajs|mongoose|mongodb|express|node:(fs|http|net|child_process))/;
    const offenders = sourceFiles(path.join(root, 'src/domain')).flatMap((file) =>
      importsOf(file)
        .filter((specifier) => io.test(specifier))
        .map((specifier) => `${path.relative(root, file)} imports ${specifier}`),
    );
    expect(offenders).toEqual([]);
  });
});
