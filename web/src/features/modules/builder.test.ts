import { describe, expect, it } from 'vitest';
import { MAX_MODULE_ITEMS, type ModuleItem } from '../../api';
import {
  addItem,
  draftProblems,
  formatDuration,
  isDirty,
  itemProblems,
  moveItem,
  removeItem,
  toInput,
  totalSeconds,
} from './builder';

const item = (id: string, seconds = 600): ModuleItem => ({ id, kind: 'lab', title: `Title ${id}`, seconds });
const ids = (items: ModuleItem[]) => items.map((it) => it.id);

describe('moveItem', () => {
  const items = [item('a'), item('b'), item('c')];
  it('moves up and down by one place', () => {
    expect(ids(moveItem(items, 1, -1))).toEqual(['b', 'a', 'c']);
    expect(ids(moveItem(items, 1, 1))).toEqual(['a', 'c', 'b']);
  });
  it('leaves the list as it is at the ends', () => {
    expect(moveItem(items, 0, -1)).toBe(items);
    expect(moveItem(items, 2, 1)).toBe(items);
    expect(moveItem(items, 5, -1)).toBe(items);
  });
  it('does not change the list it was given', () => {
    moveItem(items, 0, 1);
    expect(ids(items)).toEqual(['a', 'b', 'c']);
  });
});

describe('addItem', () => {
  it('adds at the end', () => {
    expect(ids(addItem([item('a')], item('b')).items!)).toEqual(['a', 'b']);
  });
  it('refuses an item already there, naming it', () => {
    expect(addItem([item('a')], item('a')).problem).toBe('“Title a” is in this module already.');
  });
  it(`refuses more than ${MAX_MODULE_ITEMS} items`, () => {
    const full = Array.from({ length: MAX_MODULE_ITEMS }, (_, i) => item(`i${i}`));
    expect(addItem(full, item('one-more')).problem).toMatch(/at most 50 items/);
  });
});

describe('removeItem and totalSeconds', () => {
  it('removes by place and totals the rest', () => {
    const items = removeItem([item('a', 60), item('b', 120), item('c', 180)], 1);
    expect(ids(items)).toEqual(['a', 'c']);
    expect(totalSeconds(items)).toBe(240);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 min'],
    [20, '1 min'],
    [2700, '45 min'],
    [3600, '1 h'],
    [7500, '2 h 5 min'],
  ])('%i seconds is %s', (s, want) => {
    expect(formatDuration(s)).toBe(want);
  });
});

describe('draftProblems', () => {
  it('says what the API would refuse, by its field names', () => {
    expect(draftProblems({ name: '  ', description: 'x'.repeat(1001), items: [] })).toEqual({
      name: 'Give the module a name.',
      description: 'At most 1000 characters (this has 1001).',
      items: 'Add at least one item from the catalog.',
    });
  });
  it('counts characters, not UTF-16 units', () => {
    expect(draftProblems({ name: '🎓'.repeat(100), description: '', items: [item('a')] })).toEqual({});
  });
});

describe('itemProblems', () => {
  it('ties items[i] to the item, whatever happens to the order later', () => {
    const items = [item('a'), item('b')];
    expect(itemProblems({ 'items[1]': 'is not in the catalog', name: 'x', 'items[9]': 'gone' }, items)).toEqual({
      b: 'is not in the catalog',
    });
  });
});

describe('toInput and isDirty', () => {
  it('sends trimmed text, the ids in order and the revision of an edit', () => {
    expect(toInput({ name: ' Net ', description: ' d ', items: [item('b'), item('a')] }, 3)).toEqual({
      name: 'Net',
      description: 'd',
      items: ['b', 'a'],
      revision: 3,
    });
    expect(toInput({ name: 'Net', description: '', items: [] })).not.toHaveProperty('revision');
  });
  it('sees a reorder as a change, and white space around the name as none', () => {
    const saved = { name: 'Net', description: '', items: [item('a'), item('b')] };
    expect(isDirty({ ...saved, name: 'Net ' }, saved)).toBe(false);
    expect(isDirty({ ...saved, items: [item('b'), item('a')] }, saved)).toBe(true);
  });
});
