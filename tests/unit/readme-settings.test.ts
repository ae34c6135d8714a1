import { readFileSync } from 'node:fs';
import path from 'node:path';
import { SETTING_NAMES } from '../../src/config/config';

/**
 * The README's settings tables and the settings schema name the same variables, so a setting
 * cannot be added without its row, or a row outlive its setting. (Rows of scripts/services.sh's
 * own table, `IEX_*`, are that script's settings, not the service's.)
 */
describe("README's settings", () => {
  const readme = readFileSync(path.resolve(__dirname, '../../README.md'), 'utf8');
  /** Variables in the first cell of a table row: `| `KAFKA_BROKERS` |` or `| `A` / `B` |`. */
  const documented = new Set(
    readme
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .flatMap((line) => [...(line.split('|')[1] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1]!)),
  );

  it('has a table row for every setting the service reads', () => {
    expect(SETTING_NAMES.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('has no row for a setting the service does not read', () => {
    const unknown = [...documented].filter((name) => !name.startsWith('IEX_') && !SETTING_NAMES.includes(name));
    expect(unknown).toEqual([]);
  });
});
