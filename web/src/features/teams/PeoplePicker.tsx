import { useId, useState } from 'react';
import { api, DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MAX_TEAM_CHANGE_USERS, type User, type UserPage } from '../../api';
import { LoadError } from '../../components/LoadError';
import { fullName } from '../../format';
import { useDebounced } from '../../hooks/useDebounced';
import { usePagedList } from '../../hooks/usePagedList';

const SEARCH_DELAY_MS = 250;

/**
 * Picks active people of the organization: type to search by name or email,
 * or scroll and load more; pick many. People in `members` are shown as in
 * the team already and cannot be picked.
 */
export function PeoplePicker({
  selected,
  onChange,
  members,
}: {
  selected: ReadonlyMap<string, User>;
  onChange: (next: Map<string, User>) => void;
  members?: ReadonlySet<string>;
}) {
  const searchId = useId();
  const listId = useId();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim(), SEARCH_DELAY_MS);
  const list = usePagedList<User, UserPage>(
    (page) => api.users({ status: 'active', ...(q ? { q } : {}), ...page }),
    [q],
    { pageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE },
  );
  const full = selected.size >= MAX_TEAM_CHANGE_USERS;

  function toggle(u: User, on: boolean) {
    const next = new Map(selected);
    if (on) next.set(u.id, u);
    else next.delete(u.id);
    onChange(next);
  }

  return (
    <div className="picker">
      <div className="field">
        <label htmlFor={searchId} className="field-label">
          Search people
        </label>
        <div className="field-hint">Active people of your organization, by name or email. Pick as many as you like.</div>
        <input
          id={searchId}
          type="search"
          className="input"
          placeholder="Name or email"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-controls={listId}
        />
      </div>
      <p className="picker-count" role="status" aria-live="polite">
        {selected.size === 0 ? 'Nobody picked yet.' : `${selected.size} ${selected.size === 1 ? 'person' : 'people'} picked.`}
        {full ? ` That is the most one change takes (${MAX_TEAM_CHANGE_USERS}).` : ''}
      </p>
      {list.error ? <LoadError what="people" message={list.error} onRetry={() => void list.reload()} /> : null}
      <ul id={listId} className="picker-list" aria-label="People" aria-busy={list.loading !== null}>
        {list.items.map((u) => {
          const member = members?.has(u.id) ?? false;
          const checked = member || selected.has(u.id);
          const name = fullName(u);
          return (
            <li key={u.id}>
              <label className={`picker-row${checked ? ' picker-row-checked' : ''}${member ? ' picker-row-member' : ''}`}>
                <input
                  type="checkbox"
                  checked={checked}
                  disabled={member || (full && !checked)}
                  onChange={(e) => toggle(u, e.target.checked)}
                  aria-describedby={member ? `${listId}-${u.id}-member` : undefined}
                />
                <span className="picker-person">
                  <bdi className="picker-name">{name}</bdi>
                  <span className="picker-email">{u.email}</span>
                </span>
                {member ? (
                  <span id={`${listId}-${u.id}-member`} className="muted picker-note">
                    In the team
                  </span>
                ) : null}
              </label>
            </li>
          );
        })}
        {list.loading === null && list.items.length === 0 && !list.error ? (
          <li className="muted picker-empty">{q ? `Nobody active matches “${q}”.` : 'There are no active people yet.'}</li>
        ) : null}
      </ul>
      {list.nextCursor ? (
        <button type="button" className="button" onClick={list.loadMore} disabled={list.loading === 'more'} aria-busy={list.loading === 'more'}>
          Load more people
        </button>
      ) : null}
    </div>
  );
}
