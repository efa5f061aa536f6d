// `npm run fuzz [-- --seed N] [--cases N] [--workers N]`: the long fuzz run. Prints its figures (cases, failures,
// slowest case, peak RSS) and, for each failure, the seed and a reproducer file; exits 1 on any failure.
import { type FuzzOptions, runFuzz } from './runner';
import { ciOptions, longOptions } from './presets';

function options(argv: string[]): FuzzOptions {
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  // --ci: the settings of the CI test (test/fuzz.test.ts), to replay or time it.
  const o = argv.includes('--ci') ? ciOptions(log) : longOptions(log);
  for (let i = 0; i < argv.length; i++) {
    const value = (): number => {
      const v = Number(argv[++i]);
      if (!Number.isSafeInteger(v) || v < 0) throw new Error(`fuzz: ${argv[i - 1]} needs a whole number`);
      return v;
    };
    switch (argv[i]) {
      case '--seed':
        o.seed = value();
        break;
      case '--cases':
        o.cases = value();
        break;
      case '--workers':
        o.workers = Math.max(1, value());
        break;
      case '--timeout':
        o.caseTimeoutMs = value() * 1000;
        break;
      case '--only':
        o.only = value();
        break;
      case '--ci':
        break;
      case '--no-shrink':
        o.minimizeMs = 0;
        break;
      default:
        throw new Error(`fuzz: unknown argument ${argv[i]} (expected --seed N, --cases N, --workers N, --timeout SECONDS, --only ID, --no-shrink, --ci)`);
    }
  }
  return o;
}

const o = options(process.argv.slice(2));
console.log(`fuzz: seed ${o.seed}, ${o.cases} cases, ${o.workers} workers, ${o.caseTimeoutMs / 1000} s per case, RSS limit ${o.maxRssMb} MB`);
const r = await runFuzz(o);
console.log(
  [
    `cases:          ${r.cases}`,
    `failures:       ${r.failures.length}`,
    `exit codes:     ${Object.entries(r.exits).map(([code, n]) => `${code}: ${n}`).join(', ')}`,
    `top errors:     ${r.errors.slice(0, 6).map(([kind, n]) => `${n} × ${kind}`).join('\n                ')}`,
    `max case time:  ${(r.maxCaseMs / 1000).toFixed(2)} s (${r.slowestCase})`,
    `peak RSS:       ${r.peakRssMb.toFixed(0)} MB`,
    `wall time:      ${r.seconds.toFixed(0)} s`,
  ].join('\n'),
);
for (const f of r.failures.filter((f) => f.reproducer !== undefined)) {
  console.log(`\nseed ${r.seed}, case ${f.id}: ${f.problem.split('\n')[0]}\n  reproducer: ${f.reproducer}\n  run: ${f.command}`);
}
process.exitCode = r.failures.length > 0 ? 1 : 0;
