// The naming rules, rewritten as linear scans, against the regexes of stackcollapse-perf.pl and inferno that
// they replace (fine on short names, which is all a property test feeds them), and on megabyte names.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Frame } from '../parse/profile';
import { baseName, frameKind, frameName, isJitModule, isKernelModule, liveModule } from './names';

const frame = (symbol: string, module = '/x', extra: Partial<Frame> = {}): Frame => ({ symbol, module, address: '', inlineDepth: 0, ...extra });
const PLAIN = { kernel: false, jit: false, addrs: false };

/** stackcollapse-perf.pl's tidy_generic (§2 of shared/specs/perf-script-format.md), regexes and all. */
function perlTidy(func: string): string {
  let f = func.replace(/;/g, ':');
  if (!/\.\(.*\)\./.test(f)) f = f.replace(/\((?!anonymous namespace\)).*/, '');
  return f.replace(/["']/g, '');
}

const pieces = (...words: string[]) => fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((w) => w.join(''));

describe('frame names follow the Perl rules they replace', () => {
  it("argument stripping, the Go-method exception and '(anonymous namespace)' (names without templates)", () => {
    fc.assert(
      fc.property(pieces('.', '(', ')', 'a', ' ', ';', '"', "'", '(anonymous namespace)', ').', '.(', 'x.y'), (symbol) => {
        fc.pre(!symbol.startsWith('(') && symbol !== '' && symbol !== '[unknown]');
        expect(frameName(frame(symbol), false, PLAIN)).toBe(perlTidy(symbol));
      }),
      { numRuns: 3000 },
    );
  });

  it("a module's base name is Perl's s/.*\\///", () => {
    fc.assert(
      fc.property(pieces('/', 'a', '.', ' ', '(deleted)'), (module) => {
        expect(baseName(module)).toBe(module.replace(/.*\//, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('kernel modules: inferno rule (bracketed, .ko, vmlinux and versioned vmlinux-*), as its regex', () => {
    const regexRule = (m: string): boolean =>
      !m.includes('unknown') && (m.startsWith('[') || m.endsWith('.ko') || /(?:^|\/)vmlinux(?:-[A-Za-z0-9._-]*)?$/.test(m));
    fc.assert(
      fc.property(pieces('vmlinux', '-', '/', 'a', '.', '5', '!', '[', 'unknown', '.ko', '_'), (module) => {
        expect(isKernelModule(module)).toBe(regexRule(module));
      }),
      { numRuns: 3000 },
    );
  });

  it('JIT modules: /tmp/perf-N.map anywhere, or jitdump /jitted-*.so, as the regex', () => {
    const regexRule = (m: string): boolean => /\/tmp\/perf-\d+\.map/.test(m) || (m.includes('/jitted-') && m.endsWith('.so'));
    fc.assert(
      fc.property(pieces('/tmp/perf-', '1', '23', '.map', 'x', '/jitted-', '.so', '/'), (module) => {
        expect(isJitModule(module)).toBe(regexRule(module));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('(deleted) modules', () => {
  it('flame graphs: the function, or the module with its (deleted); the kind of the module it was', () => {
    expect(frameName(frame('[unknown]', '/memfd:sealed-9117 (deleted)', { address: '5' }), false, PLAIN)).toBe('[memfd:sealed-9117 (deleted)]');
    expect(frameName(frame('[unknown]', '/memfd:sealed-9117 (deleted)', { address: '5' }), false, { ...PLAIN, addrs: true })).toBe(
      '[memfd:sealed-9117 (deleted) <5>]',
    );
    const foo = frame('foo', '/usr/lib/libfoo.so.1 (deleted)', { perlSymbol: 'foo+0x10 (/usr/lib/libfoo.so.1' });
    expect(frameName(foo, false, PLAIN)).toBe('foo');
    const jit = frame('Interpreter', '/tmp/perf-42.map (deleted)', { perlSymbol: 'Interpreter (/tmp/perf-42.map' });
    expect(frameKind(jit)).toBe('jit');
    expect(frameName(jit, false, { ...PLAIN, jit: true })).toBe('Interpreter_[j]');
    expect(liveModule('/usr/lib/libfoo.so.1 (deleted)')).toBe('/usr/lib/libfoo.so.1');
  });

  it('collapse (stackcollapse): exactly what Perl and inferno print, trailing space, no annotation', () => {
    const options = { kernel: true, jit: true, addrs: true, stackcollapse: true };
    expect(frameName(frame('foo', '/usr/lib/libfoo.so.1 (deleted)', { perlSymbol: 'foo+0x10 (/usr/lib/libfoo.so.1' }), false, options)).toBe('foo+0x10 ');
    expect(frameName(frame('[unknown]', '/memfd:x (deleted)', { address: '5', perlSymbol: '[unknown] (/memfd:x' }), false, options)).toBe('[unknown] ');
    expect(frameName(frame('Interpreter', '/tmp/perf-42.map (deleted)', { perlSymbol: 'Interpreter (/tmp/perf-42.map' }), false, options)).toBe('Interpreter ');
    // Modules without " (" are named the same either way.
    expect(frameName(frame('[unknown]', '/usr/lib/libc.so.6', { address: '7f' }), false, options)).toBe('[libc.so.6 <7f>]');
  });
});

describe('megabyte names stay linear', () => {
  const M = 1 << 20;
  it('Go-like, anonymous namespaces, long modules', () => {
    expect(frameName(frame('.('.repeat(M / 2)), false, PLAIN)).toBe('.');
    expect(frameName(frame(`${'.('.repeat(M / 2)}).`), false, PLAIN)).toBe(`${'.('.repeat(M / 2)}).`);
    const anon = `a<b (c)>${'(anonymous namespace)'.repeat(M / 21)}x(int)`;
    expect(frameName(frame(anon), false, PLAIN)).toBe(anon.slice(0, -5));
    expect(frameName(frame('[unknown]', 'm'.repeat(M)), false, PLAIN)).toBe(`[${'m'.repeat(M)}]`);
    expect(isKernelModule(`${'vmlinux-'.repeat(M / 8)}/vmlinux-${'5.'.repeat(M / 2)}`)).toBe(true);
    expect(isJitModule('/tmp/perf-1'.repeat(M / 11))).toBe(false);
  }, 20_000);
});
