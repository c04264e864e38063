import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { api, ApiError, MAX_MODULE_DESCRIPTION, MAX_MODULE_ITEMS, type Module, type ModuleItem } from '../../api';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { Field } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import {
  addItem,
  draftOf,
  draftProblems,
  emptyDraft,
  formatDuration,
  isDirty,
  itemProblems,
  KIND_LABEL,
  moveItem,
  removeItem,
  summary,
  toInput,
  totalSeconds,
  type Draft,
} from './builder';
import { CatalogPicker } from './CatalogPicker';
import type { ModulesNotice } from './Modules';
import './modules.css';

/** /modules/new and /modules/:moduleId: the module builder. */
export function ModuleBuilder() {
  const { moduleId } = useParams();
  const loaded = useLoad<Module | null>((signal) => (moduleId ? api.module(moduleId, signal) : Promise.resolve(null)), [moduleId]);
  usePageTitle(moduleId ? 'Edit module' : 'New module');
  if (loaded.status === 'loading') {
    return (
      <>
        <PageHeader title={moduleId ? 'Edit module' : 'New module'} />
        <div className="card card-padded" aria-busy="true">
          <Skeleton width="50%" height="1.2em" />
        </div>
      </>
    );
  }
  if (loaded.status === 'error') {
    const notFound = loaded.error instanceof ApiError && loaded.error.status === 404;
    return (
      <>
        <PageHeader title="Edit module" />
        {notFound ? (
          <Alert title="This module does not exist">
            It may have been deleted. <Link to="/modules">Back to the modules</Link>
          </Alert>
        ) : (
          <LoadError what="module" message={loaded.error.message} onRetry={loaded.reload} />
        )}
      </>
    );
  }
  return <BuilderForm key={loaded.data?.id ?? 'new'} saved={loaded.data} onReload={loaded.reload} />;
}

function BuilderForm({ saved, onReload }: { saved: Module | null; onReload: () => void }) {
  const navigate = useNavigate();
  const initial = saved ? draftOf(saved) : emptyDraft;
  const [draft, setDraft] = useState<Draft>(initial);
  const [base, setBase] = useState<{ draft: Draft; revision?: number }>({ draft: initial, ...(saved ? { revision: saved.revision } : {}) });
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [perItem, setPerItem] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [saving, setSaving] = useState(false);
  const [announce, setAnnounce] = useState('');
  const [pendingFocus, setPendingFocus] = useState<string | null>(null);
  const nameRef = useRef<HTMLInputElement>(null);
  const itemsHeadingId = useId();
  const descriptionId = useId();
  const dirty = isDirty(draft, base.draft);

  // After a move or removal, focus goes where the admin's hand was.
  useEffect(() => {
    if (!pendingFocus) return;
    document.getElementById(pendingFocus)?.focus();
    setPendingFocus(null);
  }, [pendingFocus, draft]);

  function setItems(items: ModuleItem[], message: string) {
    setDraft((d) => ({ ...d, items }));
    setAnnounce(message);
    setProblems((p) => {
      const { items: _, ...rest } = p;
      return rest;
    });
  }

  function move(index: number, delta: number) {
    const item = draft.items[index]!;
    const items = moveItem(draft.items, index, delta);
    const at = index + delta;
    setItems(items, `${item.title} moved to position ${at + 1} of ${items.length}.`);
    // Keep focus on the same button; at an end it is disabled, so take the other one.
    const atEnd = (delta < 0 && at === 0) || (delta > 0 && at === items.length - 1);
    const dir = delta < 0 ? 'up' : 'down';
    const other = delta < 0 ? 'down' : 'up';
    setPendingFocus(`move-${atEnd ? other : dir}-${item.id}`);
  }

  function remove(index: number) {
    const item = draft.items[index]!;
    const items = removeItem(draft.items, index);
    setItems(items, `${item.title} removed. ${items.length} ${items.length === 1 ? 'item' : 'items'} left.`);
    const next = items[Math.min(index, items.length - 1)];
    setPendingFocus(next ? `remove-${next.id}` : 'catalog-search');
  }

  function add(item: ModuleItem): string | null {
    const res = addItem(draft.items, item);
    if (res.items === undefined) return res.problem;
    setItems(res.items, `${item.title} added as item ${res.items.length}.`);
    return null;
  }

  async function save(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const found = draftProblems(draft);
    setProblems(found);
    setPerItem({});
    if (Object.keys(found).length > 0) {
      if (found.name) nameRef.current?.focus();
      else if (found.description) document.getElementById(descriptionId)?.focus();
      else document.getElementById(itemsHeadingId)?.focus();
      return;
    }
    setSaving(true);
    try {
      if (!saved) {
        const m = await api.createModule(toInput(draft));
        const state: ModulesNotice = { notice: `Created “${m.name}”: ${summary(m.itemCount, m.seconds)}.` };
        navigate('/modules', { state });
        return;
      }
      const m = await api.updateModule(saved.id, toInput(draft, base.revision));
      const next = draftOf(m);
      setDraft(next);
      setBase({ draft: next, revision: m.revision });
      setAnnounce(`Saved “${m.name}”.`);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        setConflict(true);
      } else if (err instanceof ApiError && err.code === 'validation_failed') {
        setProblems(err.fields);
        setPerItem(itemProblems(err.fields, draft.items));
        setError('Some of the module could not be saved; see the marked fields.');
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    } finally {
      setSaving(false);
    }
  }

  const total = totalSeconds(draft.items);
  const descLength = [...draft.description].length;
  return (
    <>
      <p className="back-link">
        <Link to="/modules">← Learning modules</Link>
      </p>
      <PageHeader
        title={saved ? `Edit “${saved.name}”` : 'New module'}
        subtitle={saved && saved.assignments > 0 ? `Used by ${saved.assignments} ${saved.assignments === 1 ? 'assignment' : 'assignments'}; they keep the items they were given.` : undefined}
      />
      <div role="status" aria-live="polite" className="visually-hidden">
        {announce}
      </div>
      {conflict ? (
        <Alert title="Someone else saved this module meanwhile">
          Your changes were not saved. Reload to see theirs, then make yours again.{' '}
          <button type="button" className="link-button" onClick={onReload}>
            Reload the module
          </button>
        </Alert>
      ) : null}
      {error ? <Alert onDismiss={() => setError(null)}>{error}</Alert> : null}

      <form className="builder" onSubmit={(e) => void save(e)} noValidate>
        <div className="builder-main stack">
          <section className="card card-padded stack" aria-label="About the module">
            <Field
              label="Name"
              inputRef={nameRef}
              value={draft.name}
              onChange={(e) => setDraft({ ...draft, name: e.target.value })}
              error={problems.name}
              maxLength={120}
              autoComplete="off"
              required
            />
            <div className={`field${problems.description ? ' field-invalid' : ''}`}>
              <label htmlFor={descriptionId} className="field-label">
                Description <span className="muted">(optional)</span>
              </label>
              <div id={`${descriptionId}-hint`} className="field-hint">
                What it is for and who should take it. {descLength} of {MAX_MODULE_DESCRIPTION} characters.
              </div>
              <textarea
                id={descriptionId}
                className="input textarea"
                rows={3}
                value={draft.description}
                onChange={(e) => setDraft({ ...draft, description: e.target.value })}
                aria-invalid={problems.description ? true : undefined}
                aria-describedby={`${descriptionId}-hint${problems.description ? ` ${descriptionId}-error` : ''}`}
              />
              {problems.description ? (
                <p id={`${descriptionId}-error`} className="field-error">
                  {problems.description}
                </p>
              ) : null}
            </div>
          </section>

          <section className="card card-padded" aria-labelledby={itemsHeadingId}>
            <div className="card-header">
              <h2 id={itemsHeadingId} className="card-title" tabIndex={-1}>
                Items in order
              </h2>
              <span className="muted">
                {summary(draft.items.length, total)} · up to {MAX_MODULE_ITEMS}
              </span>
            </div>
            {problems.items ? <p className="field-error">{problems.items}</p> : null}
            {draft.items.length === 0 ? (
              <p className="muted builder-empty">Nothing yet. Search the catalog and add courses, episodes, labs or exams.</p>
            ) : (
              <ol className="builder-items">
                {draft.items.map((it, i) => (
                  <li key={it.id} className={`builder-item${perItem[it.id] ? ' builder-item-invalid' : ''}`}>
                    <span className="builder-item-number" aria-hidden="true">
                      {i + 1}
                    </span>
                    <div className="builder-item-text">
                      <span className="builder-item-title">{it.title}</span>
                      <span className="builder-item-meta">
                        <Badge tone={it.kind === 'course' ? 'blue' : it.kind === 'lab' ? 'green' : it.kind === 'exam' ? 'violet' : 'grey'}>
                          {KIND_LABEL[it.kind].one}
                        </Badge>
                        <span>{formatDuration(it.seconds)}</span>
                        {it.retired ? <Badge tone="amber">No longer in the catalog</Badge> : null}
                      </span>
                      {perItem[it.id] ? <span className="field-error">{perItem[it.id]}</span> : null}
                    </div>
                    <div className="builder-item-actions">
                      <button
                        type="button"
                        id={`move-up-${it.id}`}
                        className="button button-small button-icon"
                        disabled={i === 0}
                        onClick={() => move(i, -1)}
                        aria-label={`Move ${it.title} up`}
                      >
                        <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 20 20">
                          <path d="M10 15V5M5 10l5-5 5 5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
                        </svg>
                      </button>
                      <button
                        type="button"
                        id={`move-down-${it.id}`}
                        className="button button-small button-icon"
                        disabled={i === draft.items.length - 1}
                        onClick={() => move(i, 1)}
                        aria-label={`Move ${it.title} down`}
                      >
                        <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 20 20">
                          <path d="M10 5v10M5 10l5 5 5-5" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
                        </svg>
                      </button>
                      <button
                        type="button"
                        id={`remove-${it.id}`}
                        className="button button-small button-quiet"
                        onClick={() => remove(i)}
                        aria-label={`Remove ${it.title}`}
                      >
                        Remove
                      </button>
                    </div>
                  </li>
                ))}
              </ol>
            )}
          </section>

          <div className="builder-save">
            <button type="submit" className="button button-primary" disabled={saving || conflict} aria-busy={saving || undefined}>
              {saved ? 'Save changes' : 'Create module'}
            </button>
            <Link to="/modules" className="button">
              {dirty ? 'Cancel' : 'Back'}
            </Link>
            {saved && !dirty && !saving ? <span className="muted">All changes saved.</span> : null}
          </div>
        </div>

        <CatalogPicker inModule={new Set(draft.items.map((it) => it.id))} onAdd={add} />
      </form>
    </>
  );
}
