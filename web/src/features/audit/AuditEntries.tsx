import { Link } from 'react-router';
import type { AuditEntry } from '../../api';
import { formatDateTime } from '../../format';
import { auditFieldLabel, auditKindLabel, auditValue } from './auditKinds';
import './audit.css';

/**
 * Audit entries, newest first: when, what, to whom or what, by whom, the
 * fields that changed (before → after) and where the change came from.
 * withTarget: false on a person's own history, where the target is them.
 */
export function AuditEntries({ entries, label, withTarget = true }: { entries: AuditEntry[]; label: string; withTarget?: boolean }) {
  return (
    <ol className="audit-entries" aria-label={label}>
      {entries.map((e) => (
        <li key={e.id} className="audit-entry">
          <div className="audit-entry-when">
            <time dateTime={e.at}>{formatDateTime(e.at)}</time>
          </div>
          <div className="audit-entry-body">
            <p className="audit-entry-what">
              <strong>{auditKindLabel(e.kind)}</strong>
              {e.detail ? <span className="muted"> ({e.detail})</span> : null}
              {withTarget ? (
                <>
                  {' · '}
                  <Target entry={e} />
                </>
              ) : null}
            </p>
            {e.changes.length > 0 ? (
              <ul className="audit-changes" aria-label="Changes">
                {e.changes.map((c) => (
                  <li key={c.field}>
                    {auditFieldLabel(c.field)}: <span className="audit-before">{auditValue(c.before)}</span>
                    <span aria-label="changed to"> → </span>
                    <span className="audit-after">{auditValue(c.after)}</span>
                  </li>
                ))}
              </ul>
            ) : null}
            <p className="audit-entry-who muted">
              By {e.actor.name || e.actor.id}
              {e.actor.email ? ` (${e.actor.email})` : ''}
              {e.source ? ` from ${e.source}` : ''}
              {e.via ? ` · part of ${viaLabel(e.via)}` : ''}
            </p>
          </div>
        </li>
      ))}
    </ol>
  );
}

function Target({ entry }: { entry: AuditEntry }) {
  const t = entry.target;
  const name = t.name || t.id;
  const email = t.email ? <span className="muted"> {t.email}</span> : null;
  if (t.kind === 'user') {
    return (
      <>
        <Link to={`/users/${encodeURIComponent(t.id)}`}>{name}</Link>
        {email}
      </>
    );
  }
  if (t.kind === 'team' && entry.kind !== 'team.deleted') {
    return <Link to={`/teams/${encodeURIComponent(t.id)}`}>{name}</Link>;
  }
  return <span>{name}</span>;
}

function viaLabel(via: string): string {
  const [what] = via.split(':');
  switch (what) {
    case 'import':
      return 'a CSV import';
    case 'team-change':
      return 'a team change';
    default:
      return via;
  }
}
