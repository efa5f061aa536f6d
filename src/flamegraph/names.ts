// Frame names as stackcollapse-perf.pl prints them (shared/specs/perf-script-format.md §2), with inferno's
// behaviour where the Perl script has a known bug (§4): templates keep their `(`, versioned vmlinux and
// `.ko` modules are kernel, jitdump `jitted-*.so` modules are JIT.
import type { Frame, Profile } from '../parse/profile';

export interface NameOptions {
  /** `_[k]` on kernel frames (`--kernel`). */
  kernel: boolean;
  /** `_[j]` on JIT frames (`--jit`). */
  jit: boolean;
  /** `[module <pc>]` for unresolved frames (`--addrs`). */
  addrs: boolean;
}

export const DEFAULT_NAMES: NameOptions = { kernel: false, jit: false, addrs: false };

export type FrameKind = 'kernel' | 'user' | 'jit' | 'inlined';

export function isKernelModule(module: string): boolean {
  if (module.includes('unknown')) return false;
  return module.startsWith('[') || module.endsWith('.ko') || /(?:^|\/)vmlinux(?:-[A-Za-z0-9._-]*)?$/.test(module);
}

export function isJitModule(module: string): boolean {
  return /\/tmp\/perf-\d+\.map/.test(module) || (module.includes('/jitted-') && module.endsWith('.so'));
}

export function frameKind(frame: Frame): FrameKind {
  if (frame.inlineDepth > 0 || frame.module === 'inlined') return 'inlined';
  if (isKernelModule(frame.module)) return 'kernel';
  if (isJitModule(frame.module)) return 'jit';
  return 'user';
}

/** The first `(` that does not open `(anonymous namespace)`, from `from` on; −1 if none. */
function argumentParen(func: string, from: number): number {
  for (let i = func.indexOf('(', from); i >= 0; i = func.indexOf('(', i + 1)) {
    if (!func.startsWith('anonymous namespace)', i + 1)) return i;
  }
  return -1;
}

/**
 * Cuts the argument list from the first `(` (stackcollapse-perf.pl), except where that `(` sits inside a
 * template after a space (`std::function<void (int)>::operator()`): Perl leaves `std::function<void ` with a
 * trailing space there, so we cut at the first `(` outside the template instead (inferno).
 */
function stripArguments(func: string): string {
  // Go methods like net/http.(*Client).Do keep their parentheses. (By index, not /\.\(.*\)\./: that regex is
  // quadratic in a symbol of thousands of `.(`.)
  const goOpen = func.indexOf('.(');
  if (goOpen >= 0 && func.lastIndexOf(').') >= goOpen + 2) return func;
  const first = argumentParen(func, 0);
  if (first < 0) return func;
  if (first === 0 || func[first - 1] !== ' ' || !insideTemplate(func, first)) return func.slice(0, first);
  let angle = 0;
  for (let i = 0; i < func.length; i++) {
    const c = func[i];
    if (c === '<') angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === '(' && angle === 0 && argumentParen(func, i) === i) return func.slice(0, i);
  }
  return func;
}

function insideTemplate(func: string, at: number): boolean {
  let angle = 0;
  for (let i = 0; i < at; i++) {
    if (func[i] === '<') angle++;
    else if (func[i] === '>' && angle > 0) angle--;
  }
  return angle > 0;
}

/**
 * The folded name of a frame, or null when stackcollapse drops it (a symbol that starts with `(`).
 * `java` is whether the sample's thread name starts with `java` (Java `L` class prefixes are dropped then).
 */
export function frameName(frame: Frame, java: boolean, options: NameOptions): string | null {
  let func = frame.symbol;
  if (frame.inlineDepth === 0 && func.startsWith('(')) return null;
  if (func === '[unknown]') {
    // The module's base name; lastIndexOf rather than /.*\//, which is quadratic in a long name without a slash.
    const base = frame.module !== '[unknown]' ? frame.module.slice(frame.module.lastIndexOf('/') + 1) : 'unknown';
    func = options.addrs ? `[${base} <${frame.address}>]` : `[${base}]`;
  }
  func = stripArguments(func.replaceAll(';', ':')).replace(/["']/g, '');
  if (java && func.startsWith('L') && func.includes('/')) func = func.slice(1);
  if (frame.inlineDepth > 0) {
    if (!func.includes('_[i]')) func += '_[i]';
  } else if (options.kernel && isKernelModule(frame.module)) {
    func += '_[k]';
  } else if (options.jit && isJitModule(frame.module)) {
    func += '_[j]';
  }
  return func;
}

/**
 * Names every frame once, for the Java and the non-Java thread variants, so that walking a stack is a lookup.
 */
export class FrameNames {
  private readonly plain: (string | null)[];
  private readonly java: (string | null)[];

  constructor(profile: Profile, options: NameOptions) {
    this.plain = profile.frames.map((f) => frameName(f, false, options));
    this.java = profile.frames.map((f) => frameName(f, true, options));
  }

  name(frame: number, java: boolean): string | null {
    return (java ? this.java : this.plain)[frame]!;
  }
}

export function isJavaThread(comm: string): boolean {
  return comm.startsWith('java');
}

/**
 * The frame names of a stack, root first, with dropped frames left out.
 */
export function stackNames(profile: Profile, names: FrameNames, stack: number, java: boolean): string[] {
  const out: string[] = [];
  for (let s = stack; s >= 0; s = profile.stackParent[s]!) {
    const n = names.name(profile.stackFrame[s]!, java);
    if (n !== null) out.push(n);
  }
  return out.reverse();
}
