// Frame lines seen before, found by their bytes without building a string (issue 10, "Speed and memory").
// A callchain repeats the same few thousand lines millions of times: making a string of each line only to look
// it up in a Map was most of the parse. Here a line is hashed over the input's bytes, looked up in an
// open-addressing table, and compared byte for byte with the copy kept (a hash is never trusted alone). Each
// line also remembers the line that followed it last time: stacks repeat, so the next line is most often
// that one, and checking it costs one comparison (a 32-bit word at a time) and no hash or newline search at all.
// Everything is bounded, since lines are hostile input: a line longer than MAX_LINE, or beyond the table's
// capacity, or past MAX_PROBES collisions, is simply not kept (the caller parses it the slow way).

/** Lines longer than this are not kept: they are rare, and a hostile file could be made of them. */
const MAX_LINE = 4096;
/**
 * At most this many distinct lines, and this many bytes for their five copies (see `add`), are kept; beyond, the
 * slow path still works.
 */
const MAX_LINES = 1 << 21;
const MAX_BYTES = 1 << 26;
/** A lookup gives up after this many occupied slots; an insertion that finds no free slot within them is dropped. */
const MAX_PROBES = 32;
const NL = 10;
/** Word-wise comparison reads the input as 32-bit little-endian words; elsewhere lines are compared byte by byte. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Seeded per process, so that colliding lines cannot be prepared in advance (the table's ids do not depend on it). */
const SEED = (Math.random() * 0x100000000) | 0;

export class LineTable {
  /** Slot → line id + 1 (0: free). */
  private slots = new Int32Array(1 << 12);
  private hashes = new Int32Array(1 << 10);
  private starts = new Int32Array(1 << 10);
  private lengths = new Int32Array(1 << 10);
  /** Per line: the line that followed it last time (−1: none yet). */
  private successors = new Int32Array(1 << 10).fill(-1);
  private bytes = new Uint8Array(1 << 16);
  private used = 0;
  /**
   * Four copies of each line and its newline, one per byte lane a line can start at in a 32-bit word: line `id`
   * starting at lane `r` lines up with the words from `wordStarts[4 * id + r]` (the lanes before it and after
   * its newline are masked out). Comparing a guessed line with the input then reads a word, not a byte, at a time.
   */
  private words = new Int32Array(1 << 14);
  private wordsUsed = 0;
  private wordStarts = new Int32Array(4 << 10);
  /** The input's buffer as 32-bit words (made again when a chunk comes in another buffer). */
  private view: Int32Array<ArrayBufferLike> = new Int32Array(0);
  private viewOf: ArrayBufferLike | null = null;
  /** How many lines are kept. */
  size = 0;

  /** The id of the line `buf[start, end)` if it is kept, else −1. */
  find(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    if (len > MAX_LINE) return -1;
    const h = hashOf(buf, start, end);
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const e = slots[s]!;
      if (e === 0) return -1;
      const id = e - 1;
      if (this.hashes[id] === h && this.lengths[id] === len && this.equal(id, buf, start, len)) return id;
      s = (s + 1) & mask;
    }
    return -1;
  }

  /** Keeps the line `buf[start, end)` (not kept yet: see `find`); its id, or −1 when it cannot be kept. */
  add(buf: Uint8Array, start: number, end: number): number {
    const len = end - start;
    // Each line is kept five times (its bytes, and four word-aligned copies).
    if (len > MAX_LINE || this.size >= MAX_LINES || (this.used + len) * 5 > MAX_BYTES) return -1;
    if ((this.size + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const h = hashOf(buf, start, end);
    const slot = this.freeSlot(h);
    if (slot < 0) return -1;
    const id = this.size++;
    if (id === this.hashes.length) this.growLines();
    if (this.used + len > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(this.bytes.length * 2, this.used + len));
      bigger.set(this.bytes.subarray(0, this.used));
      this.bytes = bigger;
    }
    this.bytes.set(buf.subarray(start, end), this.used);
    this.addWords(id, buf, start, end);
    this.hashes[id] = h;
    this.starts[id] = this.used;
    this.lengths[id] = len;
    this.successors[id] = -1;
    this.used += len;
    this.slots[slot] = id + 1;
    return id;
  }

  /** The length in bytes of line `id`. */
  length(id: number): number {
    return this.lengths[id]!;
  }

  /** Notes that line `next` followed line `id`. */
  follows(id: number, next: number): void {
    this.successors[id] = next;
  }

  /** The line that followed line `id` last time, or −1. */
  successor(id: number): number {
    return this.successors[id]!;
  }

  /** Whether the bytes at `pos` are line `id` and its newline, all before `end`. */
  matches(id: number, buf: Uint8Array, pos: number, end: number): boolean {
    const len = this.lengths[id]!;
    if (pos + len >= end) return false;
    if (buf.buffer !== this.viewOf) {
      this.viewOf = buf.buffer;
      this.view = new Int32Array(buf.buffer, 0, buf.buffer.byteLength >> 2);
    }
    const at = buf.byteOffset + pos;
    const view = this.view;
    // Word indices are 32-bit integers here: a buffer past 2 GiB (never one of ours: chunks are 1 MiB) is compared
    // byte by byte, as is the end of a buffer whose length is not a whole number of words.
    if (!LITTLE_ENDIAN || at + len > 0x7fffffff || (at + len) >> 2 >= view.length) return buf[pos + len] === NL && this.equal(id, buf, pos, len);
    let w = at >> 2;
    // The word that holds the newline.
    const last = (at + len) >> 2;
    const lane = at & 3;
    const words = this.words;
    let o = this.wordStarts[4 * id + lane]!;
    const head = -1 << (lane << 3);
    const tailLanes = (at + len + 1) & 3;
    const tail = tailLanes === 0 ? -1 : (1 << (tailLanes << 3)) - 1;
    if (w === last) return ((view[w]! ^ words[o]!) & head & tail) === 0;
    if (((view[w]! ^ words[o]!) & head) !== 0) return false;
    for (w++, o++; w < last; w++, o++) if (view[w] !== words[o]) return false;
    return ((view[w]! ^ words[o]!) & tail) === 0;
  }

  /** The four word-aligned copies of a new line (see `words`). */
  private addWords(id: number, buf: Uint8Array, start: number, end: number): void {
    const len = end - start;
    if (4 * id + 4 > this.wordStarts.length) {
      const bigger = new Int32Array(this.wordStarts.length * 2);
      bigger.set(this.wordStarts);
      this.wordStarts = bigger;
    }
    // Lane r needs the words of r + len + 1 bytes.
    let need = 0;
    for (let lane = 0; lane < 4; lane++) need += (lane + len + 4) >> 2;
    if (this.wordsUsed + need > this.words.length) {
      const bigger = new Int32Array(Math.max(this.words.length * 2, this.wordsUsed + need));
      bigger.set(this.words.subarray(0, this.wordsUsed));
      this.words = bigger;
    }
    const bytes = new Uint8Array(this.words.buffer);
    for (let lane = 0; lane < 4; lane++) {
      const o = this.wordsUsed;
      this.wordStarts[4 * id + lane] = o;
      const b = 4 * o + lane;
      bytes.set(buf.subarray(start, end), b);
      bytes[b + len] = NL;
      this.wordsUsed += (lane + len + 4) >> 2;
    }
  }

  private equal(id: number, buf: Uint8Array, pos: number, len: number): boolean {
    const bytes = this.bytes;
    const s = this.starts[id]! - pos;
    const end = pos + len;
    for (let k = pos; k < end; k++) if (buf[k] !== bytes[s + k]) return false;
    return true;
  }

  private freeSlot(h: number): number {
    const slots = this.slots;
    const mask = slots.length - 1;
    let s = h & mask;
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      if (slots[s] === 0) return s;
      s = (s + 1) & mask;
    }
    return -1;
  }

  private rehash(capacity: number): void {
    const old = this.slots;
    this.slots = new Int32Array(capacity);
    for (let k = 0; k < old.length; k++) {
      const e = old[k]!;
      if (e === 0) continue;
      const slot = this.freeSlot(this.hashes[e - 1]!);
      // A line that no longer finds a slot is forgotten: it will be parsed again, which is only slower.
      if (slot >= 0) this.slots[slot] = e;
    }
  }

  private growLines(): void {
    const n = this.hashes.length * 2;
    const grow = (a: Int32Array, fill: number): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(n).fill(fill);
      b.set(a);
      return b;
    };
    this.hashes = grow(this.hashes, 0);
    this.starts = grow(this.starts, 0);
    this.lengths = grow(this.lengths, 0);
    this.successors = grow(this.successors, -1);
  }
}

/** A 32-bit hash of bytes, four at a time. */
function hashOf(buf: Uint8Array, start: number, end: number): number {
  let h = SEED ^ (end - start);
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const w = buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24);
    h = Math.imul(((h << 5) | (h >>> 27)) ^ w, 0x9e3779b1);
  }
  for (; i < end; i++) h = Math.imul(((h << 5) | (h >>> 27)) ^ buf[i]!, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  return h ^ (h >>> 13);
}
