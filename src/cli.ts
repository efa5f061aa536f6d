// The command line: parses options and wires them to parse → model → view → render. Nothing else.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { writeFile } from 'node:fs/promises';
import { UserError } from './errors';
import { collapse, type RootFrame } from './flamegraph/collapse';
import { chooseEvent, type IdleMode, resolveRange, type WeightMode } from './heatmap/range';
import { readProfile } from './parse/input';
import type { Profile } from './parse/profile';

const VERSION = '0.1.0';

/** Runs the CLI and returns the exit code; every failure is one line on stderr. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.exitCode === 0) return 0;
      process.stderr.write(`flamescope: ${e.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    if (e instanceof UserError) {
      process.stderr.write(`flamescope: ${e.file}: ${e.message}\n`);
      return 1;
    }
    if ((e as NodeJS.ErrnoException).code === 'EPIPE') return 0;
    process.stderr.write(`flamescope: internal error: ${(e as Error).message}\n`);
    return 70;
  }
}

function buildProgram(): Command {
  const program = new Command('flamescope')
    .description('Subsecond-offset heat maps and flame graphs of any time range, from Linux `perf script` output.')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeErr: () => {}, outputError: () => {} })
    .showHelpAfterError(false);

  program
    .command('collapse')
    .description('fold stacks like stackcollapse-perf.pl (a drop-in replacement)')
    .argument('<file>', 'perf script output, plain or gzip; - for stdin')
    .option('--pid', 'root frame is comm-PID')
    .option('--tid', 'root frame is comm-PID/TID')
    .option('--kernel', 'annotate kernel frames with _[k]')
    .option('--jit', 'annotate JIT frames with _[j]')
    .option('--all', 'all annotations (--kernel --jit)')
    .option('--addrs', 'include addresses of unresolved frames')
    .option('--event-filter <event>', 'keep only this event (default: the first event seen)')
    .addOption(idleOption('keep'))
    .addOption(weightOption('period'))
    .option('--from <seconds>', 'start of the range, in seconds since t0 (inclusive)')
    .option('--to <seconds>', 'end of the range, in seconds since t0 (exclusive)')
    .option('-o, --output <file>', 'write to a file instead of stdout')
    .exitOverride()
    .action(async (file: string, o: CollapseFlags) => {
      const profile = await load(file);
      const event = o.eventFilter === undefined ? 0 : chooseEvent(profile, o.eventFilter, false);
      if (o.eventFilter === undefined && profile.events.length > 1) {
        warn(profile, `keeping only the first event seen, ${profile.events[0]} (use --event-filter to choose another)`);
      }
      const root: RootFrame = o.tid ? 'tid' : o.pid ? 'pid' : 'comm';
      const lines = collapse(
        profile,
        { event, idle: o.idle, range: resolveRange(profile, o.from, o.to) },
        { root, kernel: !!(o.kernel || o.all), jit: !!(o.jit || o.all), addrs: !!o.addrs, weight: o.weight },
      );
      await emit(o.output, lines.length === 0 ? '' : `${lines.join('\n')}\n`);
    });

  return program;
}

interface CollapseFlags {
  pid?: boolean;
  tid?: boolean;
  kernel?: boolean;
  jit?: boolean;
  all?: boolean;
  addrs?: boolean;
  eventFilter?: string;
  idle: IdleMode;
  weight: WeightMode;
  from?: string;
  to?: string;
  output?: string;
}

export function idleOption(defaultMode: IdleMode): Option {
  return new Option('--idle <mode>', 'keep or drop kernel idle-loop samples').choices(['keep', 'drop']).default(defaultMode);
}

export function weightOption(defaultMode: WeightMode): Option {
  return new Option('--weight <mode>', 'what a sample weighs: 1 (samples) or its perf period (period)')
    .choices(['samples', 'period'])
    .default(defaultMode);
}

export function integerOption(flags: string, description: string, min: number, max: number): Option {
  return new Option(flags, description).argParser((value: string) => {
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    }
    return Number(value);
  });
}

/** Reads a profile and reports its recoverable oddities as one warning. */
export async function load(file: string): Promise<Profile> {
  const profile = await readProfile(file);
  const w = profile.warnings;
  if (w.skippedLines > 0) {
    warn(profile, `skipped ${w.skippedLines} unparseable line${w.skippedLines === 1 ? '' : 's'} (first at line ${w.firstSkippedLine}: ${JSON.stringify(w.firstSkippedText)})`);
  }
  return profile;
}

export function warn(profile: Profile, message: string): void {
  process.stderr.write(`flamescope: ${profile.source}: warning: ${message}\n`);
}

/** Writes output to a file, or to stdout (waiting until it is flushed). */
export async function emit(output: string | undefined, text: string | Uint8Array): Promise<void> {
  if (output !== undefined && output !== '-') {
    try {
      await writeFile(output, text);
    } catch (e) {
      throw new UserError(output, `cannot write: ${(e as Error).message}`);
    }
    return;
  }
  // A reader that stops early (`collapse | head`) closes the pipe: the write's callback hands EPIPE to main(),
  // which ends quietly. Without a listener the stream would also throw it as an unhandled 'error' event.
  if (!process.stdout.listeners('error').includes(errorsGoToWriteCallbacks)) process.stdout.on('error', errorsGoToWriteCallbacks);
  await new Promise<void>((resolve, reject) => {
    process.stdout.write(text, (err) => (err ? reject(err) : resolve()));
  });
}

function errorsGoToWriteCallbacks(): void {}
