import { useCallback, useEffect, useRef, useState } from 'react';

/** One page of a list as the API answers it (the users list, later teams…). */
export interface Page<T> {
  items: T[];
  nextCursor?: string;
}

/** Which page to ask for: how many rows, and where the last page ended. */
export interface PageRequest {
  limit: number;
  cursor?: string;
}

export interface PagedList<T, P extends Page<T>> {
  items: T[];
  nextCursor?: string;
  /** The latest page answered, for what comes with it (the users list's counts). */
  page?: P;
  /** initial: nothing to show yet; refresh: new filter or reload; more: next page. */
  loading: 'initial' | 'refresh' | 'more' | null;
  error?: string;
}

export interface PagedListOptions {
  /** Rows per page; "Load more" asks for the next this many. */
  pageSize: number;
  /** The API's largest page: a reload asks for what is shown, up to this, in one request. */
  maxPageSize: number;
}

/**
 * A list the API answers page by page: loads the first page when deps change,
 * appends the next on loadMore, and reloads as many rows as are shown. Answers
 * to requests that were overtaken (a filter changed meanwhile) are dropped.
 */
export function usePagedList<T extends { id: string }, P extends Page<T>>(
  fetchPage: (request: PageRequest) => Promise<P>,
  deps: readonly unknown[],
  { pageSize, maxPageSize }: PagedListOptions,
): PagedList<T, P> & {
  loadMore: () => void;
  /** Loads the first page again, as many rows as are shown now. */
  reload: () => Promise<void>;
  /** Puts a changed item in place of the one with its id (until the next load). */
  replace: (item: T) => void;
} {
  const [list, setList] = useState<PagedList<T, P>>({ items: [], loading: 'initial' });
  const listRef = useRef(list);
  listRef.current = list;
  const fetchRef = useRef(fetchPage);
  fetchRef.current = fetchPage;
  const seq = useRef(0);

  const load = useCallback(
    async (keep: number) => {
      const mine = ++seq.current;
      setList((l) => ({ ...l, loading: l.page ? 'refresh' : 'initial', error: undefined }));
      try {
        const page = await fetchRef.current({ limit: Math.min(maxPageSize, Math.max(pageSize, keep)) });
        if (mine !== seq.current) return;
        setList({ items: page.items, nextCursor: page.nextCursor, page, loading: null });
      } catch (err) {
        if (mine !== seq.current) return;
        setList((l) => ({ ...l, loading: null, error: errorText(err) }));
      }
    },
    [pageSize, maxPageSize],
  );

  useEffect(() => {
    void load(0);
    return () => {
      seq.current++;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, load]);

  const loadMore = useCallback(async () => {
    const { nextCursor: cursor, loading } = listRef.current;
    if (!cursor || loading) return;
    const mine = ++seq.current;
    setList((l) => ({ ...l, loading: 'more', error: undefined }));
    try {
      const page = await fetchRef.current({ limit: pageSize, cursor });
      if (mine !== seq.current) return;
      setList((l) => {
        const seen = new Set(l.items.map((item) => item.id));
        return {
          items: [...l.items, ...page.items.filter((item) => !seen.has(item.id))],
          nextCursor: page.nextCursor,
          page,
          loading: null,
        };
      });
    } catch (err) {
      if (mine !== seq.current) return;
      setList((l) => ({ ...l, loading: null, error: errorText(err) }));
    }
  }, [pageSize]);

  const reload = useCallback(() => load(listRef.current.items.length), [load]);

  const replace = useCallback((item: T) => {
    setList((l) => ({ ...l, items: l.items.map((old) => (old.id === item.id ? item : old)) }));
  }, []);

  return { ...list, loadMore: () => void loadMore(), reload, replace };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
