import { useEffect, useId, useState } from 'react';
import { api, type CatalogItem, type CatalogKind, type CatalogPage, type ModuleItem } from '../../api';
import { Badge } from '../../components/Badge';
import { LoadError } from '../../components/LoadError';
import { useDebounced } from '../../hooks/useDebounced';
import { formatDuration, KIND_LABEL, toModuleItem } from './builder';

const SEARCH_DELAY_MS = 250;
const KINDS: (CatalogKind | 'all')[] = ['all', 'course', 'lab', 'exam', 'episode'];

/**
 * The catalog beside the builder: search by title words, filter by kind, and
 * add an item; items already in the module say so.
 */
export function CatalogPicker({
  inModule,
  onAdd,
}: {
  inModule: Set<string>;
  /** Adds the item; returns why it could not, or null. */
  onAdd: (item: ModuleItem) => string | null;
}) {
  const [search, setSearch] = useState('');
  const [type, setType] = useState<CatalogKind | 'all'>('all');
  const q = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const [page, setPage] = useState<CatalogPage | null>(null);
  const [items, setItems] = useState<CatalogItem[]>([]);
  const [loading, setLoading] = useState<'first' | 'more' | null>('first');
  const [error, setError] = useState<string | null>(null);
  const [refusal, setRefusal] = useState('');
  const [tick, setTick] = useState(0);
  const headingId = useId();
  const typeId = useId();

  useEffect(() => {
    const ctrl = new AbortController();
    setLoading('first');
    setError(null);
    api.catalog({ q, type }, ctrl.signal).then(
      (p) => {
        setPage(p);
        setItems(p.items);
        setLoading(null);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setLoading(null);
      },
    );
    return () => ctrl.abort();
  }, [q, type, tick]);

  async function more() {
    if (!page?.nextCursor) return;
    setLoading('more');
    try {
      const next = await api.catalog({ q, type, cursor: page.nextCursor });
      setPage(next);
      setItems((prev) => [...prev, ...next.items]);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setLoading(null);
    }
  }

  return (
    <section className="card card-padded builder-catalog" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId} className="card-title">
          Catalog
        </h2>
        <span className="muted" aria-live="polite">
          {page && loading === null ? `${page.total} ${page.total === 1 ? 'match' : 'matches'}` : ''}
        </span>
      </div>
      <div className="catalog-filters">
        <div className="field">
          <label htmlFor="catalog-search" className="field-label">
            Search titles
          </label>
          <input
            id="catalog-search"
            type="search"
            className="input"
            placeholder="e.g. vlan, aws iam, sql join"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            autoComplete="off"
            spellCheck={false}
          />
        </div>
        <div className="field">
          <label htmlFor={typeId} className="field-label">
            Type
          </label>
          <select id={typeId} className="input select" value={type} onChange={(e) => setType(e.target.value as CatalogKind | 'all')}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k === 'all' ? 'Everything' : KIND_LABEL[k].many}
              </option>
            ))}
          </select>
        </div>
      </div>
      <div role="status" aria-live="polite" className={refusal ? 'field-error' : 'status-inline'}>
        {refusal}
      </div>
      {error ? <LoadError what="catalog" message={error} onRetry={() => setTick((t) => t + 1)} /> : null}
      <ul className="catalog-results" aria-busy={loading === 'first' || undefined} aria-label="Catalog items">
        {items.map((c) => {
          const added = inModule.has(c.id);
          return (
            <li key={c.id} className="catalog-result">
              <div className="catalog-result-text">
                <span className="catalog-result-title">{c.title}</span>
                <span className="builder-item-meta">
                  <Badge tone={c.kind === 'course' ? 'blue' : c.kind === 'lab' ? 'green' : c.kind === 'exam' ? 'violet' : 'grey'}>
                    {KIND_LABEL[c.kind].one}
                  </Badge>
                  <span>{formatDuration(c.seconds)}</span>
                  {c.kind === 'course' && c.episodes ? <span>{c.episodes} episodes</span> : null}
                  {c.kind === 'episode' && c.courseTitle ? (
                    <span className="catalog-result-course">
                      {c.position}. in {c.courseTitle}
                    </span>
                  ) : (
                    <span>{c.topic}</span>
                  )}
                </span>
              </div>
              <button
                type="button"
                className="button button-small"
                disabled={added}
                aria-label={added ? `${c.title} is in the module` : `Add ${c.title}`}
                onClick={() => setRefusal(onAdd(toModuleItem(c)) ?? '')}
              >
                {added ? 'Added' : 'Add'}
              </button>
            </li>
          );
        })}
      </ul>
      {loading === null && items.length === 0 && !error ? (
        <p className="muted">Nothing in the catalog matches “{q}”. Try the start of a word, like “subnet” or “iam”.</p>
      ) : null}
      {page?.nextCursor ? (
        <button type="button" className="button button-block" onClick={() => void more()} disabled={loading === 'more'} aria-busy={loading === 'more' || undefined}>
          Show more ({page.total - items.length} left)
        </button>
      ) : null}
    </section>
  );
}
