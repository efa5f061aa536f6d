// Keyboard moves and match stepping over a laid-out flame graph, on a tree small enough to check by hand.
import { describe, expect, it } from 'vitest';
import type { FlameNode } from '../../flamegraph/tree';
import { besideOf, calleeOf, callerOf, frameRows, matchingFrames, stepMatch } from './flame-nav';
import { layoutFlame } from './state';

const node = (name: string, self: number, children: FlameNode[] = []): FlameNode => ({
  name,
  self,
  net: 0,
  samples: 0,
  kind: 'user',
  value: self + children.reduce((a, c) => a + c.value, 0),
  children,
});

// all(100) → java(100) → [main(60) → [gc(20), parse(40)], tiny(40) → [gc(10)]]
const tree = node('all', 0, [node('java', 0, [node('main', 0, [node('gc', 20), node('parse', 40)]), node('tiny', 30, [node('gc', 10)])])]);
const { frames, depth } = layoutFlame([tree], 0);
const rows = frameRows(frames, depth);
const at = (name: string, nth = 0): number => frames.map((f, i) => (f.node.name === name ? i : -1)).filter((i) => i >= 0)[nth]!;
const name = (i: number): string => frames[i]!.node.name;

describe('rows', () => {
  it('hold each depth left to right', () => {
    expect(rows.rows.map((r) => r.map(name))).toEqual([['all'], ['java'], ['main', 'tiny'], ['gc', 'parse', 'gc']]);
    expect(rows.column[at('parse')]).toBe(1);
  });
});

describe('moves', () => {
  it('go down to the caller, and stay at the root', () => {
    expect(name(callerOf(frames, at('parse')))).toBe('main');
    expect(name(callerOf(frames, at('all')))).toBe('all');
  });

  it('go up to the widest callee, or back where the user came from', () => {
    expect(name(calleeOf(frames, rows, at('main')))).toBe('parse');
    expect(calleeOf(frames, rows, at('main'), at('gc'))).toBe(at('gc'));
    // A preferred frame that is not a callee (gc under tiny) is ignored.
    expect(name(calleeOf(frames, rows, at('main'), at('gc', 1)))).toBe('parse');
    expect(calleeOf(frames, rows, at('parse'))).toBe(at('parse'));
  });

  it('go left and right along the row, across callers, and stop at its ends', () => {
    expect(besideOf(rows, frames, at('parse'), 1)).toBe(at('gc', 1));
    expect(besideOf(rows, frames, at('gc', 1), 1)).toBe(at('gc', 1));
    expect(besideOf(rows, frames, at('gc'), -1)).toBe(at('gc'));
    expect(besideOf(rows, frames, at('tiny'), -1)).toBe(at('main'));
  });
});

describe('search matches', () => {
  const gc = matchingFrames(frames, (n) => n === 'gc');
  it('are listed in layout order, never the root', () => {
    expect(gc).toEqual([at('gc'), at('gc', 1)]);
    expect(matchingFrames(frames, (n) => n === 'all')).toEqual([]);
  });

  it('step forward and back with wrap-around, from a match or from any frame', () => {
    expect(stepMatch(gc, -1, 1)).toBe(at('gc'));
    expect(stepMatch(gc, -1, -1)).toBe(at('gc', 1));
    expect(stepMatch(gc, at('gc'), 1)).toBe(at('gc', 1));
    expect(stepMatch(gc, at('gc', 1), 1)).toBe(at('gc'));
    expect(stepMatch(gc, at('gc'), -1)).toBe(at('gc', 1));
    // From parse (between the two in layout order): the next is the second gc, the previous the first.
    expect(stepMatch(gc, at('parse'), 1)).toBe(at('gc', 1));
    expect(stepMatch(gc, at('parse'), -1)).toBe(at('gc'));
    expect(stepMatch([], 3, 1)).toBe(-1);
  });
});
