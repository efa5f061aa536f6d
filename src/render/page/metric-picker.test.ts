// The metric list's filter: words of a query, in any order, against names and units.
import { describe, expect, it } from 'vitest';
import { filterMetrics, type MetricChoice } from './metric-picker';

const choice = (name: string, unit: string): MetricChoice => ({ name, unit, carried: 1, of: 1 });
const FLAME_PROF = [
  choice('samples', 'samples'),
  choice('erlang_reductions', 'reductions'),
  choice('erlang_reductions_delta', 'reductions'),
  choice('erlang_memory', 'bytes'),
  choice('erlang_memory_delta', 'bytes'),
  choice('erlang_bin_vheap_size', 'words'),
  choice('erlang_bin_vheap_size_delta', 'words'),
  choice('erlang_bin_old_vheap_size_delta', 'words'),
];
const names = (query: string): string[] => filterMetrics(FLAME_PROF, query).map((c) => c.name);

describe('filterMetrics', () => {
  it('keeps everything for an empty or blank query, in list order', () => {
    expect(names('')).toEqual(FLAME_PROF.map((c) => c.name));
    expect(names('   ')).toEqual(FLAME_PROF.map((c) => c.name));
  });

  it('keeps the choices with every word, in any order and case, `_` and `:` counting as spaces', () => {
    expect(names('vheap delta')).toEqual(['erlang_bin_vheap_size_delta', 'erlang_bin_old_vheap_size_delta']);
    expect(names('DELTA vheap')).toEqual(['erlang_bin_vheap_size_delta', 'erlang_bin_old_vheap_size_delta']);
    expect(names('size_delta old')).toEqual(['erlang_bin_old_vheap_size_delta']);
    expect(names('erlang:memory')).toEqual(['erlang_memory', 'erlang_memory_delta']);
  });

  it('matches units too, and nothing when a word is nowhere', () => {
    expect(names('bytes')).toEqual(['erlang_memory', 'erlang_memory_delta']);
    expect(names('words delta')).toEqual(['erlang_bin_vheap_size_delta', 'erlang_bin_old_vheap_size_delta']);
    expect(names('vheap bytes')).toEqual([]);
    expect(names('(')).toEqual([]);
  });
});
