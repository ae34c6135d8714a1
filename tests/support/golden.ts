import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Compares `actual` with the golden JSON `<dir>/<name>.json`. After a deliberate change to a
 * renderer, run its test with `UPDATE_GOLDEN=1` to write the files again, and review their diff.
 */
export function expectGolden(dir: string, name: string, actual: unknown): void {
  const file = path.join(dir, `${name}.json`);
  const json = `${JSON.stringify(actual, null, 2)}\n`;
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dir, { recursive: true });
    writeFileSync(file, json);
  }
  if (!existsSync(file))
    throw new Error(`no golden file ${file}: run with UPDATE_GOLDEN=1 to write it, then review it`);
  expect(JSON.parse(json)).toEqual(JSON.parse(readFileSync(file, 'utf8')));
}
