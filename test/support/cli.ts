// The CLI run in this process (as the fuzz workers run it), with what it writes collected: faster than a child
// process for tests that run many commands.
import { Readable, Writable } from 'node:stream';
import { main } from '../../src/cli';

export async function runInProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const sink = (into: string[]): Writable =>
    new Writable({
      write(chunk: Buffer | string, _encoding, done) {
        into.push(chunk.toString());
        done();
      },
    });
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdin: Readable.from([]), stdout: sink(out), stderr: sink(err) });
  return { code, stdout: out.join(''), stderr: err.join('') };
}
