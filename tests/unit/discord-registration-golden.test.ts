import path from 'node:path';
import { IEX_COMMAND } from '../../bots/discord/slash-command';
import { expectGolden } from '../support/golden';

interface Described {
  name: string;
  description: string;
  description_localizations?: { da?: string };
  options?: Described[];
}

const everyDescribed = (node: Described, at = node.name): Array<[string, Described]> => [
  [at, node],
  ...(node.options ?? []).flatMap((option) => everyDescribed(option, `${at} ${option.name}`)),
];

/** What `npm run discord:register` sends: a change to it is a change Discord users see. */
describe('/iex registration on Discord', () => {
  it('is the registration JSON of the golden file', () => {
    expectGolden(path.join(__dirname, '../fixtures/discord'), 'registration', IEX_COMMAND);
  });

  it('describes /iex, every command and every option in English and Danish, within Discord’s 100 characters', () => {
    for (const [at, node] of everyDescribed(IEX_COMMAND as unknown as Described)) {
      const da = node.description_localizations?.da;
      expect([at, da && da.length > 0]).toEqual([at, true]);
      expect([at, node.description.length <= 100 && da!.length <= 100]).toEqual([at, true]);
    }
    const byName = new Map(everyDescribed(IEX_COMMAND as unknown as Described));
    expect(byName.get('iex log')?.description_localizations?.da).toMatch(/^De seneste overførsler med filtre/);
    expect(byName.get('iex retry status')?.description_localizations?.da).toMatch(/^Eller prøv alle fejlede/);
    // Names stay English words: the same command works in both languages.
    expect(byName.get('iex jobs page')?.description_localizations?.da).toBe('Side med de planlagte job');
  });
});
