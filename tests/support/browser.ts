import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface BrowserVisit<T> {
  status: number;
  /** What `evaluate` returned in the page. */
  result: T;
  /** The viewport as the browser drew it. */
  screenshot: Buffer;
}

/**
 * Opens `url` in a real headless chromium (Debian's, driven by puppeteer-core in a child process:
 * tests/support/browser-page.mjs), waits for `waitFor`, evaluates `evaluate` in the page and
 * takes a screenshot of the viewport.
 */
export async function visitInBrowser<T>(options: {
  url: string;
  viewport: { width: number; height: number };
  waitFor: string;
  evaluate: string;
}): Promise<BrowserVisit<T>> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [join(__dirname, 'browser-page.mjs'), JSON.stringify(options)],
    { maxBuffer: 64 * 1024 * 1024, timeout: 60_000 },
  );
  const { status, result, screenshot } = JSON.parse(stdout) as { status: number; result: T; screenshot: string };
  return { status, result, screenshot: Buffer.from(screenshot, 'base64') };
}
