// The module builder's logic, apart from the page: the draft's items (add,
// move, remove), its limits (the API's, said before saving) and durations.

import {
  MAX_MODULE_DESCRIPTION,
  MAX_MODULE_ITEMS,
  MAX_MODULE_NAME,
  type CatalogItem,
  type CatalogKind,
  type Module,
  type ModuleInput,
  type ModuleItem,
} from '../../api';

/** A module as it is being edited. */
export interface Draft {
  name: string;
  description: string;
  items: ModuleItem[];
}

export const emptyDraft: Draft = { name: '', description: '', items: [] };

export function draftOf(m: Module): Draft {
  return { name: m.name, description: m.description, items: m.items };
}

/** What the kinds are called, one and many. */
export const KIND_LABEL: Record<CatalogKind, { one: string; many: string }> = {
  course: { one: 'Course', many: 'Courses' },
  lab: { one: 'Lab', many: 'Labs' },
  exam: { one: 'Practice exam', many: 'Practice exams' },
  episode: { one: 'Episode', many: 'Episodes' },
};

/** A catalog item as a module item. */
export function toModuleItem(c: CatalogItem): ModuleItem {
  return { id: c.id, kind: c.kind, title: c.title, seconds: c.seconds };
}

export type AddResult = { items: ModuleItem[]; problem?: undefined } | { items?: undefined; problem: string };

/** Adds an item at the end, unless it is there already or the module is full. */
export function addItem(items: ModuleItem[], item: ModuleItem): AddResult {
  if (items.some((it) => it.id === item.id)) return { problem: `“${item.title}” is in this module already.` };
  if (items.length >= MAX_MODULE_ITEMS) {
    return { problem: `A module holds at most ${MAX_MODULE_ITEMS} items. Remove one before adding another.` };
  }
  return { items: [...items, item] };
}

/** Moves the item at index by delta places (-1 up, +1 down); unchanged at the ends. */
export function moveItem(items: ModuleItem[], index: number, delta: number): ModuleItem[] {
  const to = index + delta;
  if (index < 0 || index >= items.length || to < 0 || to >= items.length) return items;
  const next = [...items];
  const [moved] = next.splice(index, 1);
  next.splice(to, 0, moved!);
  return next;
}

export function removeItem(items: ModuleItem[], index: number): ModuleItem[] {
  return items.filter((_, i) => i !== index);
}

export function totalSeconds(items: { seconds: number }[]): number {
  return items.reduce((n, it) => n + it.seconds, 0);
}

/** A duration the way a training catalog says it: "45 min", "2 h 5 min", "3 h". */
export function formatDuration(seconds: number): string {
  if (seconds <= 0) return '0 min';
  const minutes = Math.max(1, Math.round(seconds / 60));
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** What is wrong with a draft before it is sent, by the API's field names. */
export function draftProblems(d: Draft): Record<string, string> {
  const p: Record<string, string> = {};
  const name = d.name.trim();
  if (!name) p.name = 'Give the module a name.';
  else if ([...name].length > MAX_MODULE_NAME) p.name = `At most ${MAX_MODULE_NAME} characters (this has ${[...name].length}).`;
  const desc = d.description.trim();
  if ([...desc].length > MAX_MODULE_DESCRIPTION) {
    p.description = `At most ${MAX_MODULE_DESCRIPTION} characters (this has ${[...desc].length}).`;
  }
  if (d.items.length === 0) p.items = 'Add at least one item from the catalog.';
  else if (d.items.length > MAX_MODULE_ITEMS) p.items = `At most ${MAX_MODULE_ITEMS} items (this has ${d.items.length}).`;
  return p;
}

/**
 * The API's per-item problems ("items[3]": "…") by item id, so they stay
 * with their item however the list is moved afterwards.
 */
export function itemProblems(fields: Record<string, string>, items: ModuleItem[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, message] of Object.entries(fields)) {
    const m = /^items\[(\d+)\]$/.exec(field);
    const item = m ? items[Number(m[1])] : undefined;
    if (item) out[item.id] = message;
  }
  return out;
}

/** The request body of a draft; revision for an edit. */
export function toInput(d: Draft, revision?: number): ModuleInput {
  const input: ModuleInput = { name: d.name.trim(), description: d.description.trim(), items: d.items.map((it) => it.id) };
  if (revision !== undefined) input.revision = revision;
  return input;
}

/** Whether the draft differs from what was saved. */
export function isDirty(d: Draft, saved: Draft): boolean {
  return (
    d.name.trim() !== saved.name.trim() ||
    d.description.trim() !== saved.description.trim() ||
    d.items.length !== saved.items.length ||
    d.items.some((it, i) => it.id !== saved.items[i]?.id)
  );
}

/** "5 items · 3 h 20 min" */
export function summary(count: number, seconds: number): string {
  return `${count} ${count === 1 ? 'item' : 'items'} · ${formatDuration(seconds)}`;
}
