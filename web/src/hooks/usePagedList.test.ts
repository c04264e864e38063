import { act, renderHook, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { usePagedList, type Page, type PageRequest } from './usePagedList';

type Row = { id: string; name?: string };
type RowPage = Page<Row> & { total: number };

const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }));
const OPTIONS = { pageSize: 2, maxPageSize: 5 };

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('usePagedList', () => {
  it('loads the first page, then appends the next with its cursor', async () => {
    const fetchPage = vi.fn(async (r: PageRequest): Promise<RowPage> =>
      r.cursor ? { items: rows('b', 'c'), total: 3 } : { items: rows('a', 'b'), nextCursor: 'p2', total: 3 },
    );
    const { result } = renderHook(() => usePagedList<Row, RowPage>(fetchPage, [], OPTIONS));
    expect(result.current.loading).toBe('initial');
    await waitFor(() => expect(result.current.loading).toBeNull());
    expect(result.current.items.map((r) => r.id)).toEqual(['a', 'b']);
    expect(result.current.page?.total).toBe(3);
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 2 });

    act(() => result.current.loadMore());
    expect(result.current.loading).toBe('more');
    await waitFor(() => expect(result.current.loading).toBeNull());
    // A row already shown (it moved between pages) is not shown twice.
    expect(result.current.items.map((r) => r.id)).toEqual(['a', 'b', 'c']);
    expect(result.current.nextCursor).toBeUndefined();
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 2, cursor: 'p2' });
  });

  it('asks again when deps change, and drops the answer that was overtaken', async () => {
    const slow = deferred<RowPage>();
    const fetchPage = vi.fn((filter: string) =>
      filter === 'old' ? slow.promise : Promise.resolve({ items: rows('new'), total: 1 }),
    );
    const { result, rerender } = renderHook(({ filter }) => usePagedList<Row, RowPage>(() => fetchPage(filter), [filter], OPTIONS), {
      initialProps: { filter: 'old' },
    });
    rerender({ filter: 'new' });
    await waitFor(() => expect(result.current.items.map((r) => r.id)).toEqual(['new']));
    await act(async () => slow.resolve({ items: rows('old'), total: 1 }));
    expect(result.current.items.map((r) => r.id)).toEqual(['new']);
  });

  it('reloads as many rows as are shown, up to the largest page, and marks it a refresh', async () => {
    let n = 0;
    const fetchPage = vi.fn(async (r: PageRequest): Promise<RowPage> => {
      n++;
      if (r.cursor) return { items: rows('c', 'd', 'e', 'f'), nextCursor: 'p3', total: 9 };
      return { items: n === 1 ? rows('a', 'b') : rows('a', 'b', 'c', 'd', 'e'), nextCursor: 'p2', total: 9 };
    });
    const { result } = renderHook(() => usePagedList<Row, RowPage>(fetchPage, [], OPTIONS));
    await waitFor(() => expect(result.current.loading).toBeNull());
    act(() => result.current.loadMore());
    await waitFor(() => expect(result.current.items).toHaveLength(6));

    let reloaded: Promise<void> = Promise.resolve();
    act(() => {
      reloaded = result.current.reload();
    });
    expect(result.current.loading).toBe('refresh');
    await act(() => reloaded);
    expect(fetchPage).toHaveBeenLastCalledWith({ limit: 5 });
    expect(result.current.items).toHaveLength(5);
  });

  it('keeps what it shows and says why when a load fails', async () => {
    const fetchPage = vi
      .fn<(r: PageRequest) => Promise<RowPage>>()
      .mockResolvedValueOnce({ items: rows('a'), total: 1 })
      .mockRejectedValueOnce(new Error('The server is away.'));
    const { result } = renderHook(() => usePagedList<Row, RowPage>(fetchPage, [], OPTIONS));
    await waitFor(() => expect(result.current.loading).toBeNull());
    await act(() => result.current.reload());
    expect(result.current.error).toBe('The server is away.');
    expect(result.current.items.map((r) => r.id)).toEqual(['a']);
  });

  it('replaces a changed row in place', async () => {
    const fetchPage = vi.fn(async (): Promise<RowPage> => ({ items: rows('a', 'b'), total: 2 }));
    const { result } = renderHook(() => usePagedList<Row, RowPage>(fetchPage, [], OPTIONS));
    await waitFor(() => expect(result.current.loading).toBeNull());
    act(() => result.current.replace({ id: 'b', name: 'Bea' }));
    expect(result.current.items).toEqual([{ id: 'a' }, { id: 'b', name: 'Bea' }]);
  });
});
