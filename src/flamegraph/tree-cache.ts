// The report's recent flame trees, so that going back to a view already seen ("Whole profile", hide idle and
// back, Back to a range) does not rebuild it: on 200,000 distinct stacks a tree is 200,000 nodes.
// No Node APIs here: the report bundles this into the page.
import type { Profile } from '../parse/profile';
import { type SampleSelection, selectSamples } from '../heatmap/range';
import type { Weights } from '../model/metrics';
import type { FrameNames } from './names';
import { buildFlameTree, type FlameNode } from './tree';

export interface CachedTree {
  tree: FlameNode;
  /** Samples in the tree. */
  samples: number;
}

/** The last few trees built, by what they show; trees are never changed after they are built. */
export class TreeCache {
  private readonly trees = new Map<string, CachedTree>();

  constructor(
    private readonly profile: Profile,
    private readonly names: FrameNames,
    /** Trees kept: a whole-profile tree of a big profile is tens of MB, so only a few. */
    private readonly capacity = 4,
  ) {}

  /** Whether the tree of this view is at hand (so that `get` costs nothing). */
  has(selection: SampleSelection, weights: Weights): boolean {
    return this.trees.has(cacheKey(selection, weights));
  }

  get(selection: SampleSelection, weights: Weights): CachedTree {
    const key = cacheKey(selection, weights);
    let hit = this.trees.get(key);
    if (hit !== undefined) {
      // Most recently used last, so the first key is the one to drop.
      this.trees.delete(key);
    } else {
      const samples = selectSamples(this.profile, selection);
      hit = { tree: buildFlameTree(this.profile, samples, { weights, names: this.names }), samples: samples.length };
      if (this.trees.size >= this.capacity) this.trees.delete(this.trees.keys().next().value!);
    }
    this.trees.set(key, hit);
    return hit;
  }
}

function cacheKey({ event, idle, range }: SampleSelection, weights: Weights): string {
  return `${event} ${idle} ${weights.name} ${range === null ? 'whole' : `${range.start} ${range.end}`}`;
}
