import { useEffect, useId, useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { api, ApiError, type AssigneePage, type AssignmentDetails, type ProgressState, type Team } from '../../api';
import { Alert } from '../../components/Alert';
import { Badge, StatusBadge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Field } from '../../components/Field';
import { LoadError } from '../../components/LoadError';
import { Modal } from '../../components/Modal';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { formatDate, fullName, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { AssignmentList } from './AssignmentList';
import { ExportButton } from '../exports/ExportButton';
import { formatDay } from './dates';
import { errorsOf } from './NewAssignmentDialog';
import { nobodyPicked, PeoplePicker, type Picked } from './PeoplePicker';
import { ProgressBar } from './ProgressBar';
import './assignments.css';

const STATES: { value: ProgressState | 'overdue' | ''; label: string }[] = [
  { value: '', label: 'Everyone' },
  { value: 'not_started', label: 'Not started' },
  { value: 'in_progress', label: 'In progress' },
  { value: 'completed', label: 'Completed' },
  { value: 'overdue', label: 'Overdue' },
];

const STATE_BADGE: Record<ProgressState, { label: string; tone: 'green' | 'blue' | 'grey' }> = {
  completed: { label: 'Completed', tone: 'green' },
  in_progress: { label: 'In progress', tone: 'blue' },
  not_started: { label: 'Not started', tone: 'grey' },
};

/** One assignment: its figures, its module's items and every assignee's progress. */
export function AssignmentDetail() {
  const { assignmentId = '' } = useParams();
  const load = useLoad((signal) => api.assignment(assignmentId, signal), [assignmentId]);
  const teams = useLoad((signal) => api.teams(signal), []);
  const notFound = load.status === 'error' && load.error instanceof ApiError && load.error.status === 404;
  usePageTitle(load.status === 'done' ? `${load.data.moduleName} · Assignments` : 'Assignments');

  return (
    <>
      <p className="back-link">
        <Link to="/assignments">
          <span aria-hidden="true">← </span>All assignments
        </Link>
      </p>
      {load.status === 'loading' ? (
        <PageHeader title={<Skeleton width="14rem" height="1.1em" />} />
      ) : load.status === 'done' ? (
        <DetailBody data={load.data} teams={teams.data ?? []} reload={load.reload} />
      ) : notFound ? (
        <>
          <PageHeader title="Assignment not found" />
          <div className="card card-padded">
            <p>There is no such assignment in your organization.</p>
            <p>
              <Link to="/assignments">Go to all assignments</Link>
            </p>
          </div>
        </>
      ) : load.status === 'error' ? (
        <>
          <PageHeader title="Assignment" />
          <LoadError what="assignment" message={load.error.message} onRetry={load.reload} />
        </>
      ) : null}
    </>
  );
}

type Dialog = 'due' | 'add' | 'cancel' | null;

function DetailBody({ data, teams, reload }: { data: AssignmentDetails; teams: Team[]; reload: () => void }) {
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState('');
  const [tick, setTick] = useState(0);
  const open = data.status === 'open';
  const teamName = (id: string) => teams.find((t) => t.id === id)?.name;

  function done(message: string) {
    setDialog(null);
    setNotice(message);
    setTick((t) => t + 1);
    reload();
  }

  async function finish() {
    setFailure('');
    try {
      const a = await api.addAssignees(data.id, [], []);
      done(`Assigned everyone: ${plural(a.counts.assignees, 'person', 'people')}.`);
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'Something went wrong.');
    }
  }

  async function cancel() {
    setFailure('');
    try {
      await api.cancelAssignment(data.id);
      done('The assignment was cancelled. Its progress is kept.');
    } catch (err) {
      setDialog(null);
      setFailure(err instanceof Error ? err.message : 'Something went wrong.');
    }
  }

  return (
    <>
      <PageHeader
        title={data.moduleName}
        subtitle={
          <span className="assignment-due">
            Due <time dateTime={data.dueOn}>{formatDay(data.dueOn)}</time>
            {data.status === 'cancelled' ? <Badge tone="grey">Cancelled</Badge> : data.overdue ? <Badge tone="red">Overdue</Badge> : null}
            {data.teamIds.length > 0 ? <span>· Teams: {data.teamIds.map((id) => teamName(id) ?? 'a removed team').join(', ')}</span> : null}
          </span>
        }
        actions={
          <>
            <ExportButton label="Assignment Activity" what="The assignment’s activity" request={{ kind: 'assignment-activity', assignmentId: data.id }} />
            {open ? (
            <>
              <button type="button" className="button" onClick={() => setDialog('due')}>
                Change due date
              </button>
              <button type="button" className="button" onClick={() => setDialog('add')}>
                Add people
              </button>
              <button type="button" className="button button-danger" onClick={() => setDialog('cancel')}>
                Cancel assignment
              </button>
            </>
            ) : null}
          </>
        }
      />
      <div className="stack">
        {notice ? (
          <p role="status" className="alert alert-info">
            {notice}
          </p>
        ) : null}
        {failure ? <Alert onDismiss={() => setFailure('')}>{failure}</Alert> : null}
        {data.counts.pending > 0 && open ? (
          <Alert tone="warning" title={`${plural(data.counts.pending, 'person', 'people')} not assigned yet`}>
            <p>Assigning stopped part way: {data.counts.assignees} are assigned. Finish to assign the rest.</p>
            <button type="button" className="button button-primary button-small" onClick={() => void finish()}>
              Finish assigning
            </button>
          </Alert>
        ) : null}
        <AssignmentList assignments={[data]} />
        <Card titleId="items-title" title="Module items" aside={<span className="count-pill">{data.items.length}</span>}>
          <ol className="plain-list">
            {data.items.map((it) => (
              <li key={it.id} className="plain-list-row">
                <span>{it.title}</span>
                <span className="muted">{it.kind === 'course' ? `Course · ${plural(it.episodes, 'episode')}` : it.kind}</span>
              </li>
            ))}
          </ol>
        </Card>
        <Assignees assignment={data} teams={teams} refresh={tick} />
      </div>
      {dialog === 'due' ? <DueDateDialog assignment={data} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'add' ? <AddPeopleDialog assignment={data} teams={teams} onClose={() => setDialog(null)} onDone={done} /> : null}
      {dialog === 'cancel' ? (
        <ConfirmDialog
          title="Cancel this assignment?"
          body={`${data.moduleName} will no longer be due for its ${plural(data.counts.assignees, 'person', 'people')}. It leaves the open assignments and the dashboard; their progress so far is kept.`}
          confirmLabel="Cancel assignment"
          onConfirm={() => void cancel()}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}

function Assignees({ assignment, teams, refresh }: { assignment: AssignmentDetails; teams: Team[]; refresh: number }) {
  const id = useId();
  const [team, setTeam] = useState('');
  const [state, setState] = useState<ProgressState | 'overdue' | ''>('');
  const [pages, setPages] = useState<AssigneePage[]>([]);
  const first = useLoad(
    (signal) => api.assignees(assignment.id, { ...(team ? { team } : {}), ...(state ? { state } : {}) }, signal),
    [assignment.id, team, state, refresh],
  );
  useEffect(() => setPages([]), [assignment.id, team, state, refresh]);
  const [more, setMore] = useState(false);
  const all = first.status === 'done' ? [first.data, ...pages] : [];
  const rows = all.flatMap((p) => p.items);
  const next = all.length > 0 ? all[all.length - 1]?.nextCursor : undefined;
  const teamName = (tid: string) => teams.find((t) => t.id === tid)?.name ?? '';
  const assignedTeams = teams.filter((t) => assignment.teamIds.includes(t.id));

  async function loadMore() {
    if (!next) return;
    setMore(true);
    try {
      const page = await api.assignees(assignment.id, { ...(team ? { team } : {}), ...(state ? { state } : {}), cursor: next });
      setPages((p) => [...p, page]);
    } finally {
      setMore(false);
    }
  }

  return (
    <section className="card" aria-labelledby={`${id}-title`}>
      <div className="card-header card-padded">
        <h2 id={`${id}-title`} className="card-title">
          People
        </h2>
      </div>
      <div className="toolbar">
        <div className="toolbar-group">
          <label htmlFor={`${id}-state`} className="toolbar-label">
            Progress
          </label>
          <select id={`${id}-state`} className="input select" value={state} onChange={(e) => setState(e.target.value as typeof state)}>
            {STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <div className="toolbar-group">
          <label htmlFor={`${id}-team`} className="toolbar-label">
            Team
          </label>
          <select id={`${id}-team`} className="input select" value={team} onChange={(e) => setTeam(e.target.value)}>
            <option value="">All people</option>
            {assignedTeams.map((t) => (
              <option key={t.id} value={t.id}>
                Through {t.name}
              </option>
            ))}
          </select>
        </div>
      </div>
      {first.status === 'error' ? <LoadError what="people" message={first.error.message} onRetry={first.reload} /> : null}
      {first.status === 'loading' ? (
        <div className="card-padded" aria-busy="true" aria-label="Loading people">
          <Skeleton height={40} />
        </div>
      ) : null}
      {first.status === 'done' && rows.length === 0 ? <p className="card-padded muted">Nobody here with these filters.</p> : null}
      {rows.length > 0 ? (
        <div className="table-wrap">
          <table className="table assignee-table" aria-labelledby={`${id}-title`}>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Team</th>
                <th scope="col">Progress</th>
                <th scope="col">State</th>
                <th scope="col">Completed</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.user.id}>
                  <td className="col-person">
                    <Link to={`/users/${encodeURIComponent(r.user.id)}`}>{r.user.firstName ? fullName(r.user) : 'Removed user'}</Link>{' '}
                    {r.user.status && r.user.status !== 'active' ? <StatusBadge status={r.user.status} /> : null}
                  </td>
                  <td>{r.teamId ? teamName(r.teamId) || 'A team' : <span className="muted">Directly</span>}</td>
                  <td className="col-progress">
                    <span className="assignee-progress">
                      <ProgressBar
                        compact
                        counts={{ completed: r.itemsDone, inProgress: 0, notStarted: Math.max(0, r.itemCount - r.itemsDone) }}
                      />
                      <span>
                        {r.itemsDone}/{r.itemCount} · {r.percent}%
                      </span>
                    </span>
                  </td>
                  <td>
                    <Badge tone={STATE_BADGE[r.state].tone}>{STATE_BADGE[r.state].label}</Badge>{' '}
                    {r.overdue ? <Badge tone="red">Overdue</Badge> : null}
                  </td>
                  <td>{r.completedAt ? formatDate(r.completedAt) : <span className="muted">—</span>}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {next ? (
        <div className="table-footer">
          <span className="muted">{plural(rows.length, 'person', 'people')} shown</span>
          <button type="button" className="button" onClick={() => void loadMore()} disabled={more}>
            {more ? 'Loading…' : 'Show more'}
          </button>
        </div>
      ) : null}
    </section>
  );
}

function DueDateDialog({ assignment, onClose, onDone }: { assignment: AssignmentDetails; onClose: () => void; onDone: (m: string) => void }) {
  const [dueOn, setDueOn] = useState(assignment.dueOn);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const a = await api.changeDueDate(assignment.id, dueOn);
      onDone(`Now due ${formatDay(a.dueOn)}.`);
    } catch (err) {
      const errs = errorsOf(err);
      setError(errs.dueOn ?? errs.form ?? 'Something went wrong.');
      setBusy(false);
    }
  }
  return (
    <Modal title="Change due date" onClose={onClose} size="small">
      <form className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <Field
          label="Due date"
          type="date"
          min={assignment.today}
          hint="A day in your organization’s time zone."
          value={dueOn}
          onChange={(e) => setDueOn(e.target.value)}
          error={error || undefined}
          required
        />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            Save
          </button>
        </div>
      </form>
    </Modal>
  );
}

function AddPeopleDialog({
  assignment,
  teams,
  onClose,
  onDone,
}: {
  assignment: AssignmentDetails;
  teams: Team[];
  onClose: () => void;
  onDone: (m: string) => void;
}) {
  const [picked, setPicked] = useState<Picked>(nobodyPicked);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (picked.users.size === 0 && picked.teamIds.size === 0) {
      setError('Choose at least one team or person.');
      return;
    }
    setBusy(true);
    try {
      const a = await api.addAssignees(assignment.id, [...picked.users.keys()], [...picked.teamIds]);
      const added = a.counts.assignees - assignment.counts.assignees;
      onDone(added > 0 ? `Added ${plural(added, 'person', 'people')}.` : 'Everyone you chose had this assignment already.');
    } catch (err) {
      const errs = errorsOf(err);
      setError(errs.people ?? errs.form ?? 'Something went wrong.');
      setBusy(false);
    }
  }
  return (
    <Modal
      title="Add people"
      description={<p>People who have this assignment already are left as they are. Due {formatDay(assignment.dueOn)}.</p>}
      onClose={onClose}
    >
      <form className="form-stack" onSubmit={(e) => void submit(e)} noValidate>
        <PeoplePicker teams={teams} picked={picked} onChange={setPicked} error={error || undefined} />
        <div className="modal-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={busy}>
            {busy ? 'Adding…' : 'Add'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
