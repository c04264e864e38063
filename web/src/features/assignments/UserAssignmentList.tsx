import { Link } from 'react-router';
import type { UserAssignment } from '../../api';
import { Badge } from '../../components/Badge';
import { formatDate } from '../../format';
import { formatDay } from './dates';
import { ProgressBar } from './ProgressBar';
import './assignments.css';

const STATE = {
  completed: { label: 'Completed', tone: 'green' },
  in_progress: { label: 'In progress', tone: 'blue' },
  not_started: { label: 'Not started', tone: 'grey' },
} as const;

/** One person's assignments: module, due date, where they stand, their share done. */
export function UserAssignmentList({ items }: { items: UserAssignment[] }) {
  if (items.length === 0) return <p className="muted empty-line">Nothing assigned to them yet.</p>;
  return (
    <ul className="plain-list">
      {items.map(({ assignment: a, progress: p }) => (
        <li key={a.id} className="user-assignment">
          <div className="assignment-row-head">
            <Link to={`/assignments/${encodeURIComponent(a.id)}`}>{a.moduleName}</Link>
            <span className="assignment-due">
              Due <time dateTime={a.dueOn}>{formatDay(a.dueOn)}</time>
              <Badge tone={STATE[p.state].tone}>{STATE[p.state].label}</Badge>
              {p.overdue ? <Badge tone="red">Overdue</Badge> : null}
              {a.status === 'cancelled' ? <Badge tone="grey">Cancelled</Badge> : null}
            </span>
          </div>
          <ProgressBar compact counts={{ completed: p.itemsDone, inProgress: 0, notStarted: Math.max(0, p.itemCount - p.itemsDone) }} />
          <span className="muted">
            {p.itemsDone} of {p.itemCount} items · {p.percent}%{p.completedAt ? ` · completed ${formatDate(p.completedAt)}` : ''}
          </span>
        </li>
      ))}
    </ul>
  );
}
