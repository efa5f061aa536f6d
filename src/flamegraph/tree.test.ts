// The group levels `--group` takes: parsed in order, every mistake named.
import { describe, expect, it } from 'vitest';
import { formatGroups, parseGroups, readGroups } from './tree';

describe('readGroups', () => {
  it('reads levels in the order given, and none', () => {
    expect(readGroups('sign,bucket:erlang_memory,comm')).toEqual([{ kind: 'sign' }, { kind: 'bucket', metric: 'erlang_memory' }, { kind: 'comm' }]);
    expect(readGroups(' pid , tid ')).toEqual([{ kind: 'pid' }, { kind: 'tid' }]);
    expect(readGroups('event,sign')).toEqual([{ kind: 'event' }, { kind: 'sign' }]);
    expect(readGroups('none')).toEqual([]);
    for (const text of ['sign,bucket:erlang_memory,comm', 'none', 'event,pid,tid']) expect(formatGroups(parseGroups(text)!)).toBe(text);
  });

  it('says what is wrong', () => {
    expect(readGroups('sign,thread')).toBe('"thread" is not a level');
    expect(readGroups('bucket')).toBe('"bucket" needs a metric: bucket:<metric>, e.g. bucket:erlang_memory');
    expect(readGroups('bucket:')).toMatch(/needs a metric/);
    expect(readGroups('comm,comm')).toBe('"comm" is given twice');
    expect(readGroups('none,comm')).toBe('"none" stands alone');
    expect(readGroups('')).toBe('"" is not a level');
    expect(parseGroups('sign,thread')).toBeNull();
  });
});
