import { Link } from 'react-router';
import type { Assignment } from '../../api';
import { Badge } from '../../components/Badge';
import { EmptyState } from '../../components/EmptyState';
import { formatDay } from './dates';
import { completedShare, ProgressBar } from './ProgressBar';
import './assignments.css';

/**
 * Assignments as a list: module, due date, people, completed / in progress /
 * not started / overdue and a completion bar, each linking to its page. The
 * Assignments page uses it, and so can a team's or a user's page
 * (`GET /api/teams/{teamId}/assignments` gives the list).
 */
export function AssignmentList({ assignments, empty }: { assignments: Assignment[]; empty?: string }) {
  if (assignments.length === 0) {
    return (
      <EmptyState title="No assignments">
        {empty ?? 'Assign a learning module to people or teams with a due date, and follow their progress here.'}
      </EmptyState>
    );
  }
  return (
    <ul className="assignment-list">
      {assignments.map((a) => (
        <li key={a.id} className="assignment-row">
          <div className="assignment-row-head">
            <Link to={`/assignments/${encodeURIComponent(a.id)}`} className="assignment-name">
              {a.moduleName}
            </Link>
            <span className="assignment-due">
              Due <time dateTime={a.dueOn}>{formatDay(a.dueOn)}</time>
              {a.status === 'cancelled' ? (
                <Badge tone="grey">Cancelled</Badge>
              ) : a.overdue ? (
                <Badge tone="red">Overdue</Badge>
              ) : null}
              {a.counts.pending > 0 ? <Badge tone="amber">{`${a.counts.pending} not yet assigned`}</Badge> : null}
            </span>
          </div>
          <ProgressBar counts={a.counts} compact />
          <dl className="assignment-figures">
            <div>
              <dt>People</dt>
              <dd>{a.counts.assignees}</dd>
            </div>
            <div>
              <dt>Completed</dt>
              <dd>
                {a.counts.completed} <span className="muted">({completedShare(a.counts)}%)</span>
              </dd>
            </div>
            <div>
              <dt>In progress</dt>
              <dd>{a.counts.inProgress}</dd>
            </div>
            <div>
              <dt>Not started</dt>
              <dd>{a.counts.notStarted}</dd>
            </div>
            <div className={a.counts.overdue > 0 ? 'figure-warn' : undefined}>
              <dt>Overdue</dt>
              <dd>{a.counts.overdue}</dd>
            </div>
          </dl>
        </li>
      ))}
    </ul>
  );
}
