// Opens one page in Debian's headless chromium and reports on it, as JSON on stdout.
// A child process of its own because puppeteer-core is an ES module and jest runs the tests as
// CommonJS (jest cannot require an ES module on Node 20). puppeteer-core downloads no browser.
//
// argv[2]: JSON { url, viewport: {width, height}, waitFor: selector, evaluate: an expression
// evaluated in the page once the selector is there }. Prints { status, result, screenshot (base64 PNG) }.
import puppeteer from 'puppeteer-core';

const { url, viewport, waitFor, evaluate } = JSON.parse(process.argv[2]);
const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--headless=new'],
});
try {
  const page = await browser.newPage();
  await page.setViewport(viewport);
  const response = await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector(waitFor, { timeout: 20_000 });
  const result = await page.evaluate(evaluate);
  const screenshot = Buffer.from(await page.screenshot()).toString('base64');
  process.stdout.write(JSON.stringify({ status: response?.status() ?? 0, result, screenshot }));
} finally {
  await browser.close();
}
