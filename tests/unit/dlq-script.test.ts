import { escapeBytes, main } from '../../scripts/dlq';

describe('npm run dlq: what it prints before it connects', () => {
  it('shows bytes that are not JSON as escaped text, bytes that are not UTF-8 as \\xNN', () => {
    expect(escapeBytes(Buffer.from('line 1\nnot "json"', 'utf8'))).toBe('"line 1\\nnot \\"json\\""');
    expect(escapeBytes(Buffer.from('blåbær', 'utf8'))).toBe('"blåbær"');
    expect(escapeBytes(Buffer.from([0x7b, 0xff, 0x00, 0x41]))).toBe('"{\\xff\\x00A"');
  });

  it('answers --help for each command and refuses bad arguments with status 2', async () => {
    const run = async (argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const code = await main(argv, { out: (line) => out.push(line), err: (line) => err.push(line) });
      return { code, out: out.join('\n'), err: err.join('\n') };
    };
    for (const command of ['list', 'show', 'replay', 'purge']) {
      const help = await run([command, '--help']);
      expect(help).toMatchObject({ code: 0, out: expect.stringContaining(`npm run dlq -- ${command}`) });
    }
    expect((await run(['purge', '--help'])).out).toContain('append-only');
    expect(await run([])).toMatchObject({ code: 0, out: expect.stringContaining('Commands:') });
    expect(await run(['frob'])).toMatchObject({ code: 2, err: expect.stringContaining("unknown command 'frob'") });
    expect(await run(['list', '--bogus'])).toMatchObject({ code: 2, err: expect.stringContaining('--bogus') });
  });
});
