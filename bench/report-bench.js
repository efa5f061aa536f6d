// The report benchmark of issue 3: report size and `report` wall time, then in headless Chromium (Debian's
// chromium via playwright-core) the time from navigation to the heat map drawn, and the time to draw the flame
// graph of a 1-second selection and of the whole profile. Run on the benchmark profile and on a profile ten
// times larger, built here by repeating its samples shifted in time.
import { spawnSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createInterface } from 'node:readline';

const TARGETS = { sizeMB: 1.5, reportWallS: 2, heatmapReadyMs: 1000, selectSecondMs: 100, selectWholeMs: 300 };
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Writes `copies` copies of a perf script text, each shifted `shift` seconds later than the one before. */
async function repeatShifted(text, out, copies, shift) {
  const sink = createWriteStream(out);
  const header = /^(\S.*?\s)(\d+)\.(\d+):/;
  for (let k = 0; k < copies; k++) {
    const lines = createInterface({ input: createReadStream(text), crlfDelay: Infinity });
    for await (const line of lines) {
      if (k > 0 && line.startsWith('#')) continue;
      const m = header.exec(line);
      const shifted = m === null ? line : `${m[1]}${Number(m[2]) + k * shift}.${m[3]}:${line.slice(m[0].length)}`;
      if (!sink.write(`${shifted}\n`)) await new Promise((r) => sink.once('drain', r));
    }
  }
  await new Promise((r) => sink.end(r));
}

async function measurePage(browser, html, seconds, runs) {
  const ready = [];
  const second = [];
  const whole = [];
  for (let i = 0; i < runs; i++) {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    await page.goto(pathToFileURL(html).href);
    ready.push(await page.evaluate(() => window.flamescope.ready.then(() => performance.now())));
    for (const s of [5, 17, 29, 41, 53].filter((x) => x + 1 <= seconds)) {
      second.push(await page.evaluate(async (from) => {
        const t = performance.now();
        await window.flamescope.select(from, from + 1);
        return performance.now() - t;
      }, s + (i % 3)));
    }
    whole.push(await page.evaluate(async () => {
      const t = performance.now();
      await window.flamescope.select(null, null);
      return performance.now() - t;
    }));
    await page.close();
  }
  return { readyMs: median(ready), secondMs: median(second), wholeMs: median(whole) };
}

/** Prints the report rows; `files.text` is the decompressed benchmark profile. */
export async function reportBenchmark(files, { cli, scratch, runs, out, pad }) {
  let chromium;
  try {
    ({ chromium } = await import('playwright-core'));
  } catch {
    out('report: skipped (playwright-core is not installed: npm ci)');
    return [];
  }
  const big10 = join(scratch, 'big10x.txt');
  out('report: building the 10x profile (big999 repeated 10 times, each copy shifted 61 s later)...');
  await repeatShifted(files.text, big10, 10, 61);
  const inputs = [
    { name: 'big999 (.gz)', file: files.gz, seconds: 61 },
    { name: 'big999 x10 (text)', file: big10, seconds: 610, runs: Math.min(runs, 3) },
  ];
  const browser = existsSync(CHROMIUM)
    ? await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] })
    : null;
  if (browser === null) out(`report: ${CHROMIUM} is missing: browser timings skipped`);
  const results = [];
  out();
  const head = `${pad('report of', 22)} ${pad('size MB', 8, true)} ${pad('wall s', 8, true)} ${pad('ready ms', 9, true)} ${pad('1 s sel ms', 11, true)} ${pad('whole ms', 9, true)}  verdict`;
  out(head);
  out(`${pad('  targets', 22)} ${pad(`≤ ${TARGETS.sizeMB}`, 8, true)} ${pad(`≤ ${TARGETS.reportWallS}`, 8, true)} ${pad(`≤ ${TARGETS.heatmapReadyMs}`, 9, true)} ${pad(`≤ ${TARGETS.selectSecondMs}`, 11, true)} ${pad(`≤ ${TARGETS.selectWholeMs}`, 9, true)}`);
  out('-'.repeat(head.length));
  for (const input of inputs) {
    const html = join(scratch, `${input.name.replace(/\W+/g, '_')}.html`);
    const walls = [];
    for (let i = 0; i < (input.runs ?? runs); i++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(process.execPath, [cli, 'report', input.file, '-o', html], { encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`report ${input.name}: ${r.stderr}`);
      walls.push(Number(process.hrtime.bigint() - t) / 1e9);
    }
    const size = statSync(html).size / 1e6;
    const wall = median(walls);
    const page = browser === null ? null : await measurePage(browser, html, input.seconds, input.runs ?? runs);
    const checks = [size <= TARGETS.sizeMB, wall <= TARGETS.reportWallS];
    if (page !== null) checks.push(page.readyMs <= TARGETS.heatmapReadyMs, page.secondMs <= TARGETS.selectSecondMs, page.wholeMs <= TARGETS.selectWholeMs);
    const verdict = input.name.includes('x10') ? '(no target)' : checks.every(Boolean) ? 'PASS' : 'MISS';
    const f = (x) => (x === undefined ? '-' : x.toFixed(0));
    out(`${pad(input.name, 22)} ${pad(size.toFixed(2), 8, true)} ${pad(wall.toFixed(2), 8, true)} ${pad(f(page?.readyMs), 9, true)} ${pad(f(page?.secondMs), 11, true)} ${pad(f(page?.wholeMs), 9, true)}  ${verdict}`);
    results.push({ name: input.name, sizeMB: Number(size.toFixed(3)), reportWallS: Number(wall.toFixed(3)), ...page });
  }
  await browser?.close();
  return results;
}
