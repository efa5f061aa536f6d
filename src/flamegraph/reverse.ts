// The reversed (bottom-up) flame graph, as `flamegraph.pl --reverse` draws it: every stack read from its leaf
// up, the levels under the root (thread name, sign, …) last, so that the functions where time is spent sit
// side by side at the bottom and their callers rise above them, merged from the leaf. Built from a flame tree's
// self widths: each node with self width is one stack. Pure and iterative (10,000-deep stacks cannot overflow).
//
// The report toggles it on trees of 100,000 nodes and more, so the work is done on typed arrays: the tree is
// flattened once (names interned to numbers), each stack climbs its callers through a hash of (reversed node,
// name) → reversed node, and FlameNode objects are made only at the end, children ordered by a rank of names.
import { compareCodePoints } from './collapse';
import { type FlameNode, netOf, samplesOf } from './tree';

/** The tree of the reversed stacks of `tree` (the root stays the root). */
export function reverseTree(tree: FlameNode): FlameNode {
  const signed = tree.net !== undefined;
  const counted = tree.samples !== undefined;
  const flat = flatten(tree);
  const out = new Reversed(flat.size);
  const { parent, name, node } = flat;
  for (let x = 1; x < flat.size; x++) {
    const n = node[x]!;
    let childNet = 0;
    let childSamples = 0;
    for (const c of n.children) {
      childNet += netOf(c);
      childSamples += samplesOf(c);
    }
    const value = n.self;
    const net = netOf(n) - childNet;
    const samples = samplesOf(n) - childSamples;
    // A stack ends here when the node has width of its own, or samples of its own (zero-weight ones).
    if (value === 0 && !(counted && samples !== 0)) continue;
    let at = 0;
    out.bump(at, value, net, samples);
    for (let k = x; k > 0; k = parent[k]!) {
      at = out.child(at, name[k]!, k);
      out.bump(at, value, net, samples);
    }
    // The first level (the thread) ends the reversed stack: its width is its own there.
    out.self[at] += value;
  }
  return out.build(tree, flat, signed, counted);
}

/** The children of every leaf: one shared empty array (a tree never changes once built). */
const NO_CHILDREN: readonly FlameNode[] = Object.freeze([]);

/** The tree in pre-order: node 0 the root, each node's caller and interned name. */
interface Flat {
  size: number;
  parent: Int32Array;
  name: Int32Array;
  node: FlameNode[];
  names: string[];
}

function flatten(tree: FlameNode): Flat {
  const node: FlameNode[] = [];
  const parents: number[] = [];
  const nameIds: number[] = [];
  const byName = new Map<string, number>();
  const names: string[] = [];
  const pending: [FlameNode, number][] = [[tree, -1]];
  while (pending.length > 0) {
    const [n, p] = pending.pop()!;
    const x = node.length;
    node.push(n);
    parents.push(p);
    let id = byName.get(n.name);
    if (id === undefined) {
      id = names.length;
      names.push(n.name);
      byName.set(n.name, id);
    }
    nameIds.push(id);
    for (let k = n.children.length - 1; k >= 0; k--) pending.push([n.children[k]!, x]);
  }
  return { size: node.length, parent: Int32Array.from(parents), name: Int32Array.from(nameIds), node, names };
}

/** The reversed tree being built: per node its parent, name, the forward node it was first made from, sums. */
class Reversed {
  size = 1;
  parent: Int32Array;
  name: Int32Array;
  from: Int32Array;
  value: Float64Array;
  net: Float64Array;
  samples: Float64Array;
  self: Float64Array;
  /** Open addressing on (parent, name): the slot holds the child's id + 1 (0: empty). */
  private slots: Int32Array;
  private mask: number;

  constructor(capacity: number) {
    const n = Math.max(16, capacity);
    this.parent = new Int32Array(n);
    this.name = new Int32Array(n);
    this.from = new Int32Array(n);
    this.value = new Float64Array(n);
    this.net = new Float64Array(n);
    this.samples = new Float64Array(n);
    this.self = new Float64Array(n);
    let slots = 16;
    while (slots < n * 2) slots *= 2;
    this.slots = new Int32Array(slots);
    this.mask = slots - 1;
    this.parent[0] = -1;
  }

  bump(x: number, value: number, net: number, samples: number): void {
    this.value[x] += value;
    this.net[x] += net;
    this.samples[x] += samples;
  }

  /** The child of `at` named `name`, made (from forward node `from`) if it does not exist yet. */
  child(at: number, name: number, from: number): number {
    let h = (Math.imul(at, 0x9e3779b1) ^ Math.imul(name, 0x85ebca6b)) & this.mask;
    for (;;) {
      const s = this.slots[h]!;
      if (s === 0) break;
      const c = s - 1;
      if (this.parent[c] === at && this.name[c] === name) return c;
      h = (h + 1) & this.mask;
    }
    const c = this.size++;
    if (c >= this.parent.length) this.grow();
    this.parent[c] = at;
    this.name[c] = name;
    this.from[c] = from;
    this.slots[h] = c + 1;
    if (this.size * 2 > this.slots.length) this.rehash();
    return c;
  }

  private grow(): void {
    const n = this.parent.length * 2;
    const more = <T extends Int32Array | Float64Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(n);
      b.set(a);
      return b;
    };
    this.parent = more(this.parent);
    this.name = more(this.name);
    this.from = more(this.from);
    this.value = more(this.value);
    this.net = more(this.net);
    this.samples = more(this.samples);
    this.self = more(this.self);
  }

  private rehash(): void {
    const slots = new Int32Array(this.slots.length * 2);
    const mask = slots.length - 1;
    for (let c = 1; c < this.size; c++) {
      let h = (Math.imul(this.parent[c]!, 0x9e3779b1) ^ Math.imul(this.name[c]!, 0x85ebca6b)) & mask;
      while (slots[h] !== 0) h = (h + 1) & mask;
      slots[h] = c + 1;
    }
    this.slots = slots;
    this.mask = mask;
  }

  /** The FlameNode tree: children in code-point order of their names; the root keeps the tree's totals. */
  build(tree: FlameNode, flat: Flat, signed: boolean, counted: boolean): FlameNode {
    // Names ranked once in code-point order, so that siblings sort by a number.
    const order = flat.names.map((_, i) => i).sort((a, b) => compareCodePoints(flat.names[a]!, flat.names[b]!));
    const rank = new Int32Array(flat.names.length);
    order.forEach((id, r) => (rank[id] = r));
    const made: FlameNode[] = new Array<FlameNode>(this.size);
    for (let x = 0; x < this.size; x++) {
      const n: FlameNode =
        x === 0
          ? { name: 'all', value: 0, self: 0, kind: 'root', children: NO_CHILDREN }
          : { name: flat.names[this.name[x]!]!, value: this.value[x]!, self: this.self[x]!, kind: flat.node[this.from[x]!]!.kind, children: NO_CHILDREN };
      if (signed) n.net = this.net[x]!;
      if (counted) n.samples = this.samples[x]!;
      made[x] = n;
    }
    // Children lists by a counting sort on the parent, each then ordered by the rank of its names.
    const first = new Int32Array(this.size + 1);
    for (let x = 1; x < this.size; x++) first[this.parent[x]! + 1]++;
    for (let x = 1; x <= this.size; x++) first[x] += first[x - 1]!;
    const fill = first.slice();
    const kids = new Int32Array(Math.max(0, this.size - 1));
    for (let x = 1; x < this.size; x++) kids[fill[this.parent[x]!]!++] = x;
    const byRank = (a: number, b: number): number => rank[this.name[a]!]! - rank[this.name[b]!]!;
    for (let x = 0; x < this.size; x++) {
      const from = first[x]!;
      const to = first[x + 1]!;
      if (to === from) continue;
      const ids = to - from === 1 ? [kids[from]!] : Array.from(kids.subarray(from, to)).sort(byRank);
      made[x]!.children = ids.map((k) => made[k]!);
    }
    // Reversing moves widths, it never changes a total: the root keeps the tree's (its stack-less self included).
    const root = made[0]!;
    root.value = tree.value;
    root.self = tree.self;
    if (signed) root.net = netOf(tree);
    if (counted) root.samples = samplesOf(tree);
    return root;
  }
}
