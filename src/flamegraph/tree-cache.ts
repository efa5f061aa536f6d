// The report's recent flame trees, so that going back to a view already seen ("Whole profile", hide idle and
// back, Back to a range, a metric and back) does not rebuild it: on 200,000 distinct stacks a tree is 200,000
// nodes. A tree depends on the samples taken, the metric, the group levels and the frame naming: all four key it.
// No Node APIs here: the report bundles this into the page.
import type { Profile } from '../parse/profile';
import { type SampleFilter, type SampleSelection, selectSamples } from '../heatmap/range';
import type { Weights } from '../model/metrics';
import { FrameNames, type NameOptions } from './names';
import { buildFlameTree, DEFAULT_GROUPS, type FlameNode, formatGroups, type GroupLevel } from './tree';

export interface CachedTree {
  tree: FlameNode;
  /** Samples in the tree. */
  samples: number;
}

/** How a tree is drawn beyond its samples and metric: levels under the root and frame naming. */
export interface TreeShape {
  /** Levels under the root (default `DEFAULT_GROUPS`). */
  groups?: readonly GroupLevel[];
  /** Frame naming (default: the cache's own). `mergeLines` and `hideCategories` are the report's switches. */
  names?: NameOptions;
}

/** The last few trees built, by what they show; trees are never changed after they are built. */
export class TreeCache {
  private readonly trees = new Map<string, CachedTree>();
  /** One FrameNames per naming: each keeps its renamed stack tries, so switching back costs nothing. */
  private readonly namings = new Map<string, FrameNames>();

  constructor(
    private readonly profile: Profile,
    private readonly names: FrameNames,
    /** Trees kept: a whole-profile tree of a big profile is tens of MB, so only a few. */
    private readonly capacity = 4,
  ) {}

  /** Whether the tree of this view is at hand (so that `get` costs nothing). */
  has(selection: SampleSelection, weights: Weights, shape: TreeShape = {}): boolean {
    return this.trees.has(cacheKey(selection, weights, shape));
  }

  get(selection: SampleSelection, weights: Weights, shape: TreeShape = {}): CachedTree {
    const key = cacheKey(selection, weights, shape);
    let hit = this.trees.get(key);
    if (hit !== undefined) {
      // Most recently used last, so the first key is the one to drop.
      this.trees.delete(key);
    } else {
      const samples = selectSamples(this.profile, selection);
      const names = this.naming(shape.names);
      hit = { tree: buildFlameTree(this.profile, samples, { weights, names, groups: shape.groups ?? DEFAULT_GROUPS }), samples: samples.length };
      if (this.trees.size >= this.capacity) this.trees.delete(this.trees.keys().next().value!);
    }
    this.trees.set(key, hit);
    return hit;
  }

  /** The frame names of a naming, shared with the trees (issue 9: a search matches the names the graph shows). */
  namesOf(options: NameOptions | undefined): FrameNames {
    return this.naming(options);
  }

  private naming(options: NameOptions | undefined): FrameNames {
    if (options === undefined) return this.names;
    const key = namesKey(options);
    let names = this.namings.get(key);
    if (names === undefined) this.namings.set(key, (names = new FrameNames(this.profile, options)));
    return names;
  }
}

function namesKey(o: NameOptions): string {
  return [o.kernel, o.jit, o.addrs, o.stackcollapse, o.display, o.mergeLines, o.hideCategories].map((x) => (x === true ? 1 : 0)).join('');
}

/**
 * Filters by identity: a filter is a few flag arrays, compared by the object that holds them. Whoever filters
 * makes a new object when what it keeps changes (never mutates one), so a stale tree can never be served.
 */
const filterIds = new WeakMap<SampleFilter, number>();
let nextFilterId = 1;

function filterKey(filter: SampleFilter | undefined): string {
  if (filter === undefined) return 'all';
  let id = filterIds.get(filter);
  if (id === undefined) filterIds.set(filter, (id = nextFilterId++));
  return `f${id}`;
}

function cacheKey({ event, idle, range, filter }: SampleSelection, weights: Weights, shape: TreeShape): string {
  const where = `${range === null ? 'whole' : `${range.start} ${range.end}`} ${filterKey(filter)}`;
  const names = shape.names === undefined ? 'default' : namesKey(shape.names);
  // Weights are named by metric (a rate ends in `/s`); the levels as `--group` writes them.
  return `${event} ${idle} ${where} ${names} ${formatGroups(shape.groups ?? DEFAULT_GROUPS)} ${weights.name}`;
}
