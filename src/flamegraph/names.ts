// Frame names as stackcollapse-perf.pl prints them (shared/specs/perf-script-format.md §2), with inferno's
// behaviour where the Perl script has a known bug (§4): templates keep their `(`, versioned vmlinux and
// `.ko` modules are kernel, jitdump `jitted-*.so` modules are JIT.
// Names are built once per distinct frame, but a frame can be a megabyte of hostile text: every rule here is a
// linear scan (no regex that can backtrack over the name).
import type { Frame, Profile } from '../parse/profile';

export interface NameOptions {
  /** `_[k]` on kernel frames (`--kernel`). */
  kernel: boolean;
  /** `_[j]` on JIT frames (`--jit`). */
  jit: boolean;
  /** `[module <pc>]` for unresolved frames (`--addrs`). */
  addrs: boolean;
  /**
   * Name frames of modules whose name holds ` (` (`/usr/lib/libfoo.so.1 (deleted)`) exactly as
   * stackcollapse-perf.pl and inferno do (`foo+0x10 `, `[unknown] `: they take `deleted)` for the module), as
   * `collapse`, a drop-in replacement, must. Flame graphs leave it off and show `foo` and `[libfoo.so.1 (deleted)]`.
   */
  stackcollapse?: boolean;
  /**
   * The names flame graphs and the report show, not stackcollapse-perf.pl's export names: category
   * pseudo-frames (`(couch_file:init/1)`, `native`, `[mem: 1s MiB]`) are kept whole and a `;` stays a `;`
   * (`couch_btree:fold/4;222`). Folded text replaces `;` inside a name when it writes it (see `foldName`).
   */
  display?: boolean;
  /** Fold Erlang call sites `M:F/A;Line` into `M:F/A` (`--merge-lines`). */
  mergeLines?: boolean;
  /** Leave category pseudo-frames out (the switch that hides them). */
  hideCategories?: boolean;
}

/** stackcollapse-perf.pl's names: `collapse` and folded export. */
export const DEFAULT_NAMES: NameOptions = { kernel: false, jit: false, addrs: false };
/** The names of flame graphs (SVG, JSON, the report). */
export const DISPLAY_NAMES: NameOptions = { kernel: false, jit: false, addrs: false, display: true };

// ---- frames named by their importer (issue 10) ----
/** The module of a folded-stacks frame: its text is the name, already final. */
export const FOLDED_MODULE = '[folded]';
/** The module prefix of a V8 frame (`.cpuprofile`, trace events): `[js] <url>`; the name holds url, line and column. */
export const JS_MODULE_PREFIX = '[js]';
/** The module prefix of a trace-event slice turned into a frame: `[trace] <category>`. */
export const TRACE_MODULE_PREFIX = '[trace]';

/**
 * Frames whose importer wrote the whole name (folded stacks, V8's `burnA file:///app.js:9:15`): perf's naming
 * rules (cut at `(`, drop quotes, drop `(…)` frames) would damage them, so they are shown as they are.
 */
export function isNamedByImporter(frame: Frame): boolean {
  const m = frame.module;
  return m === FOLDED_MODULE || m.startsWith(JS_MODULE_PREFIX) || m.startsWith(TRACE_MODULE_PREFIX);
}

/** An importer's frame as shown (category frames such as V8's `(program)` can be hidden) or folded (`;` → `:`). */
function importedName(frame: Frame, options: NameOptions): string | null {
  if (options.display !== true) {
    // `collapse --jit` marks JavaScript as it marks node's JIT frames in perf script text.
    const jit = options.jit && frame.module.startsWith(JS_MODULE_PREFIX) && !isCategoryFrame(frame);
    return jit ? `${foldName(frame.symbol)}_[j]` : foldName(frame.symbol);
  }
  return options.hideCategories === true && isCategoryFrame(frame) ? null : frame.symbol;
}
// ---- end of frames named by their importer ----

export type FrameKind = 'kernel' | 'user' | 'jit' | 'inlined' | 'category';

/**
 * A category pseudo-frame: put there by the profiler or a converter to group samples, not a function.
 * flame_prof's initial call `(M:F/A)` (the whole name in one pair of parentheses) and `native` (empty dso), and
 * the converters' convention, a frame whose dso is `[category]` (shared/specs/weighted-samples.md §3e).
 */
export function isCategoryFrame(frame: Frame): boolean {
  if (frame.module === '[category]') return true;
  if (frame.inlineDepth > 0) return false;
  const s = frame.symbol;
  if (s === 'native') return frame.module === '';
  return s.length > 2 && s.charCodeAt(0) === 40 /* ( */ && closingParen(s) === s.length - 1;
}

/** Where the `(` at 0 closes, −1 if it does not. */
function closingParen(s: string): number {
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 40) depth++;
    else if (c === 41 && --depth === 0) return i;
  }
  return -1;
}

/** `couch_btree:fold/4;222` → `couch_btree:fold/4` (a trailing `;digits`). */
export function mergeLine(name: string): string {
  let i = name.length;
  while (i > 0 && name.charCodeAt(i - 1) >= 48 && name.charCodeAt(i - 1) <= 57) i--;
  return i < name.length && i > 1 && name.charCodeAt(i - 1) === 59 /* ; */ ? name.slice(0, i - 1) : name;
}

/** A name as folded text writes it: a `;` inside a frame would split it in two, so it becomes `:` (as in stackcollapse). */
export function foldName(name: string): string {
  return name.replaceAll(';', ':');
}

export function isKernelModule(module: string): boolean {
  if (module.includes('unknown')) return false;
  return module.startsWith('[') || module.endsWith('.ko') || isVmlinux(baseName(module));
}

/** `vmlinux`, or a versioned `vmlinux-5.4.14-cloudflare-2020.1.11` (inferno's rule). */
function isVmlinux(base: string): boolean {
  if (base === 'vmlinux') return true;
  if (!base.startsWith('vmlinux-')) return false;
  for (let i = 8; i < base.length; i++) {
    const c = base.charCodeAt(i);
    const ok = (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 46 || c === 95 || c === 45;
    if (!ok) return false;
  }
  return true;
}

export function isJitModule(module: string): boolean {
  return hasPerfMap(module) || (module.includes('/jitted-') && module.endsWith('.so'));
}

/** Whether `/tmp/perf-<digits>.map` occurs in the module name (perf-map-agent, node --perf-basic-prof). */
function hasPerfMap(module: string): boolean {
  for (let i = module.indexOf('/tmp/perf-'); i >= 0; i = module.indexOf('/tmp/perf-', i + 1)) {
    let j = i + 10;
    while (j < module.length && module.charCodeAt(j) >= 48 && module.charCodeAt(j) <= 57) j++;
    if (j > i + 10 && module.startsWith('.map', j)) return true;
  }
  return false;
}

/** The text after the last `/` (stackcollapse-perf.pl's `s/.*\///`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The module a deleted one was: `/usr/lib/libfoo.so.1 (deleted)` → `/usr/lib/libfoo.so.1`. */
export function liveModule(module: string): string {
  return module.endsWith(' (deleted)') ? module.slice(0, -10) : module;
}

export function frameKind(frame: Frame): FrameKind {
  if (isCategoryFrame(frame)) return 'category';
  // JavaScript is JIT code, as perf sees node's frames through its perf map.
  if (frame.module.startsWith(JS_MODULE_PREFIX)) return 'jit';
  if (frame.module === FOLDED_MODULE || frame.module.startsWith(TRACE_MODULE_PREFIX)) return 'user';
  const module = liveModule(frame.module);
  if (frame.inlineDepth > 0 || module === 'inlined') return 'inlined';
  if (isKernelModule(module)) return 'kernel';
  if (isJitModule(module)) return 'jit';
  return 'user';
}

/** The first `(` that does not open `(anonymous namespace)`; −1 if none. */
function argumentParen(func: string): number {
  for (let i = func.indexOf('('); i >= 0; i = func.indexOf('(', i + 1)) {
    if (!opensAnonymousNamespace(func, i)) return i;
  }
  return -1;
}

function opensAnonymousNamespace(func: string, paren: number): boolean {
  return func.startsWith('anonymous namespace)', paren + 1);
}

/**
 * stackcollapse-perf.pl's Go method test, `/\.\(.*\)\./` (`net/http.(*Client).Do`), in one pass: some `.(`
 * before some `).`, with at least nothing between (`.().`). Perl's `.` stops only at `\n`, which a line has not.
 */
function looksLikeGoMethod(func: string): boolean {
  const first = func.indexOf('.(');
  return first >= 0 && func.lastIndexOf(').') >= first + 2;
}

/**
 * Cuts the argument list from the first `(` (stackcollapse-perf.pl), except where that `(` sits inside a
 * template after a space (`std::function<void (int)>::operator()`): Perl leaves `std::function<void ` with a
 * trailing space there, so we cut at the first `(` outside the template instead (inferno).
 */
function stripArguments(func: string): string {
  // Go methods like net/http.(*Client).Do keep their parentheses.
  if (looksLikeGoMethod(func)) return func;
  const first = argumentParen(func);
  if (first < 0) return func;
  if (first === 0 || func[first - 1] !== ' ' || !insideTemplate(func, first)) return func.slice(0, first);
  let angle = 0;
  for (let i = 0; i < func.length; i++) {
    const c = func[i];
    if (c === '<') angle++;
    else if (c === '>' && angle > 0) angle--;
    else if (c === '(' && angle === 0 && !opensAnonymousNamespace(func, i)) return func.slice(0, i);
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
  if (isNamedByImporter(frame)) return importedName(frame, options);
  let func = frame.symbol;
  // Only a module whose name holds ` (` sets the two readings apart (see Frame.perlSymbol and `stackcollapse`).
  const split = frame.module.lastIndexOf(' (');
  const perl = split >= 0 && options.stackcollapse === true;
  let module = frame.module;
  if (perl) {
    func = (frame.perlSymbol ?? func).replace(OFFSET, '');
    module = `${module.slice(split + 2)})`;
  }
  if (options.display === true) {
    if (isCategoryFrame(frame)) return options.hideCategories === true ? null : func;
    if (options.mergeLines === true) func = mergeLine(func);
  }
  if (frame.inlineDepth === 0 && func.startsWith('(')) return null;
  if (func === '[unknown]') {
    const base = module !== '[unknown]' ? baseName(module) : 'unknown';
    func = options.addrs ? `[${base} <${frame.address}>]` : `[${base}]`;
    // `[libfoo.so.1 (deleted)]` names a module; its parenthesis is no argument list.
    if (split >= 0 && !perl) return annotate(func, frame, liveModule(module), options);
  }
  func = stripArguments(options.display === true ? func : func.replaceAll(';', ':')).replaceAll('"', '').replaceAll("'", '');
  if (java && func.startsWith('L') && func.includes('/')) func = func.slice(1);
  return annotate(func, frame, perl ? module : liveModule(module), options);
}

const OFFSET = /\+0x[\da-fA-F]+$/;

/** The `_[i]`, `_[k]` or `_[j]` suffix, first match wins. */
function annotate(func: string, frame: Frame, module: string, options: NameOptions): string {
  if (frame.inlineDepth > 0) {
    if (!func.includes('_[i]')) func += '_[i]';
  } else if (options.kernel && isKernelModule(module)) {
    func += '_[k]';
  } else if (options.jit && isJitModule(module)) {
    func += '_[j]';
  }
  return func;
}

/**
 * Names every frame once per thread variant, so that walking a stack is a lookup. Each variant is named on first
 * use: most profiles have no Java thread, and naming 200,000 frames is on the report's path to its first paint.
 */
export class FrameNames {
  private readonly variants: [(string | null)[] | null, (string | null)[] | null] = [null, null];

  constructor(
    private readonly profile: Profile,
    private readonly options: NameOptions,
  ) {}

  name(frame: number, java: boolean): string | null {
    const k = java ? 1 : 0;
    const names = (this.variants[k] ??= this.profile.frames.map((f) => frameName(f, java, this.options)));
    return names[frame]!;
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
