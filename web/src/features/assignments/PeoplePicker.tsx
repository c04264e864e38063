import { useId, useState } from 'react';
import { api, type Team, type User } from '../../api';
import { fullName, plural } from '../../format';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';

/** Who is picked: people (by id, with their names for the summary) and teams. */
export interface Picked {
  users: Map<string, User>;
  teamIds: Set<string>;
}

export const nobodyPicked = (): Picked => ({ users: new Map(), teamIds: new Set() });

/**
 * Picks teams (their active members are assigned) and people, found by typing
 * a name or email. Checkboxes all the way: Tab and Space work.
 */
export function PeoplePicker({
  teams,
  picked,
  onChange,
  error,
}: {
  teams: Team[];
  picked: Picked;
  onChange: (p: Picked) => void;
  error?: string | undefined;
}) {
  const id = useId();
  const [q, setQ] = useState('');
  const search = useDebounced(q.trim(), 250);
  const found = useLoad((signal) => api.users({ q: search, limit: 20 }, signal), [search]);
  const people = (found.data?.items ?? []).filter((u) => u.status !== 'inactive');

  function toggleTeam(teamId: string) {
    const teamIds = new Set(picked.teamIds);
    if (teamIds.has(teamId)) teamIds.delete(teamId);
    else teamIds.add(teamId);
    onChange({ ...picked, teamIds });
  }
  function toggleUser(u: User) {
    const users = new Map(picked.users);
    if (users.has(u.id)) users.delete(u.id);
    else users.set(u.id, u);
    onChange({ ...picked, users });
  }

  return (
    <div className={`form-stack${error ? ' field-invalid' : ''}`}>
      <fieldset className="field fieldset">
        <legend className="field-label">Teams</legend>
        <div className="field-hint">Each team’s active members are assigned now.</div>
        {teams.length === 0 ? (
          <p className="muted">There are no teams yet.</p>
        ) : (
          <ul className="pick-list">
            {teams.map((t) => (
              <li key={t.id}>
                <label>
                  <input type="checkbox" checked={picked.teamIds.has(t.id)} onChange={() => toggleTeam(t.id)} />
                  {t.name}
                </label>
              </li>
            ))}
          </ul>
        )}
      </fieldset>
      <fieldset className="field fieldset">
        <legend className="field-label">People</legend>
        <label htmlFor={`${id}-q`} className="field-hint">
          Type a name or email to find people; tick everyone to assign.
        </label>
        <input id={`${id}-q`} className="input" type="search" value={q} onChange={(e) => setQ(e.target.value)} autoComplete="off" />
        <ul className="pick-list" aria-busy={found.status === 'loading'} aria-label="People found">
          {people.map((u) => (
            <li key={u.id}>
              <label>
                <input type="checkbox" checked={picked.users.has(u.id)} onChange={() => toggleUser(u)} />
                {fullName(u)}
                <span className="muted">{u.email}</span>
              </label>
            </li>
          ))}
          {found.status === 'done' && people.length === 0 ? <li className="muted empty-line">Nobody matches.</li> : null}
        </ul>
        {picked.users.size > 0 ? (
          <p className="picked-count">
            Picked: {[...picked.users.values()].map(fullName).join(', ')}
          </p>
        ) : null}
      </fieldset>
      <p className="muted" aria-live="polite">
        {plural(picked.teamIds.size, 'team')} and {plural(picked.users.size, 'person', 'people')} chosen
      </p>
      {error ? <p className="field-error">{error}</p> : null}
    </div>
  );
}
