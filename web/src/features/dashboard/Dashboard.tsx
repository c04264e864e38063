import { Link } from 'react-router';
import { api, type AssignmentSummary, type Dashboard as DashboardData, type IdleSeatsTile, type Seats, type UsageWeek } from '../../api';
import { Card } from '../../components/Card';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { WeeklyChart } from '../../components/WeeklyChart';
import { formatHours, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useMe } from '../../session';
import { AccessCard } from '../subscription/AccessCard';
import { Alert } from '../../components/Alert';
import { AccessWarningAlert } from '../subscription/AccessWarningAlert';
import { SeatMeter } from '../subscription/SeatMeter';
import { ProgressBar } from '../assignments/ProgressBar';
import { seatShare, seatsInUse } from '../subscription/subscription';
import './dashboard.css';

export function Dashboard() {
  usePageTitle('Dashboard');
  const me = useMe();
  const load = useLoad((signal) => api.dashboard(signal), []);

  return (
    <>
      <PageHeader title="Dashboard" subtitle={me.organization.name} />
      {load.status === 'error' ? (
        <LoadError what="dashboard" message={load.error.message} onRetry={load.reload} />
      ) : null}
      {load.status === 'done' ? <DashboardBody data={load.data} /> : load.status === 'loading' ? <DashboardSkeleton /> : null}
    </>
  );
}

function DashboardBody({ data }: { data: DashboardData }) {
  return (
    <div className="stack">
      <AccessWarningAlert period={data.subscription} />
      {data.seats.total > 0 && data.seats.available <= 0 ? (
        <Alert tone="warning" title="All seats are in use">
          {`All ${data.seats.total} seats are in use, so nobody else can be given a learner seat. Deactivate someone who no longer needs theirs, or add seats to the subscription.`}
        </Alert>
      ) : null}
      <div className="grid-2">
        <SeatsCard seats={data.seats} />
        <AccessCard period={data.subscription} />
      </div>
      {data.idleSeats ? <IdleSeatsCard tile={data.idleSeats} /> : null}
      <UsageCard usage={data.usage} />
      <AssignmentsCard summary={data.assignments} />
    </div>
  );
}

function SeatsCard({ seats, title = 'Seats' }: { seats: Seats; title?: string }) {
  const share = seatShare(seats);
  return (
    <Card
      titleId="seats-title"
      title={title}
      aside={
        <Link to="/users" className="card-link">
          Manage users
        </Link>
      }
    >
      <dl className="stats">
        <div className="stat">
          <dt>Seats allocated</dt>
          <dd className="stat-value">{seatsInUse(seats)}</dd>
        </div>
        <div className="stat">
          <dt>Available seats</dt>
          <dd className="stat-value">{seats.available}</dd>
        </div>
      </dl>
      <SeatMeter share={share} />
      <p className="card-footnote">
        {share}% of your seats are in use. Admin rights use no seat.
      </p>
    </Card>
  );
}

function IdleSeatsCard({ tile }: { tile: IdleSeatsTile }) {
  const count = `${tile.count.toLocaleString('en-GB')}${tile.more ? '+' : ''}`;
  return (
    <Card
      titleId="idle-title"
      title="Idle seats"
      aside={
        <Link to="/idle-seats" className="card-link">
          Review idle seats
        </Link>
      }
    >
      <dl className="stats">
        <div className="stat">
          <dt>{`Idle ${tile.days}+ days`}</dt>
          <dd className="stat-value">{count}</dd>
        </div>
      </dl>
      <p className="card-footnote">
        {tile.count === 0
          ? `Everyone holding a seat has signed in or trained in the last ${tile.days} days.`
          : `Seats held by people with no sign-in, viewing or lab for ${tile.days} days or more (the exception list left out).`}
      </p>
    </Card>
  );
}

function UsageCard({ usage }: { usage: UsageWeek[] }) {
  const active = usage.some((w) => w.viewings > 0 || w.activeLearners > 0 || w.labsStarted > 0);
  const sum = (f: (w: UsageWeek) => number) => usage.reduce((n, w) => n + f(w), 0);
  return (
    <Card titleId="usage-title" title="Usage over the last 12 weeks">
      {!active ? (
        <EmptyState title="No activity yet">
          When people start watching training, the number of active learners and episodes viewed each week will appear
          here.
        </EmptyState>
      ) : (
        <>
          <dl className="stats stats-3 usage-stats">
            <div className="stat">
              <dt>Viewings</dt>
              <dd className="stat-value stat-value-small">{sum((w) => w.viewings).toLocaleString('en-GB')}</dd>
            </div>
            <div className="stat">
              <dt>Hours watched</dt>
              <dd className="stat-value stat-value-small">{formatHours(sum((w) => w.seconds))}</dd>
            </div>
            <div className="stat">
              <dt>Episodes completed</dt>
              <dd className="stat-value stat-value-small">{sum((w) => w.completed).toLocaleString('en-GB')}</dd>
            </div>
          </dl>
          <WeeklyChart
            title="Viewings and active learners per week"
            weeks={usage}
            bars={{ label: 'Viewings', value: (w) => w.viewings }}
            line={{ label: 'Active learners', value: (w) => w.activeLearners }}
            extra={[
              { label: 'Hours watched', value: (w) => w.seconds, format: formatHours },
              { label: 'Episodes completed', value: (w) => w.completed },
              { label: 'Labs completed', value: (w) => w.labsCompleted },
            ]}
          />
        </>
      )}
    </Card>
  );
}

function AssignmentsCard({ summary }: { summary: AssignmentSummary }) {
  const parts = [
    { key: 'completed', label: 'Completed', value: summary.completed },
    { key: 'inProgress', label: 'In progress', value: summary.inProgress },
    { key: 'notStarted', label: 'Not started', value: summary.notStarted },
  ];
  return (
    <Card
      titleId="assignments-title"
      title="Assignment progress"
      aside={
        <Link to="/assignments" className="card-link">
          View assignments
        </Link>
      }
    >
      {summary.assignments === 0 ? (
        <EmptyState title="No assignments yet" action={<Link to="/assignments?new=1">Assign a module</Link>}>
          When you assign learning modules to people or teams, you will see here how many have completed them, are in
          progress, have not started, or are overdue.
        </EmptyState>
      ) : (
        <>
          <p className="muted">
            {plural(summary.assignments, 'open assignment')} to {plural(summary.assignees, 'person', 'people')}
          </p>
          <ProgressBar counts={summary} />
          <dl className="legend">
            {parts.map((p) => (
              <div key={p.key} className="legend-item">
                <dt>
                  <span className={`legend-swatch progress-${p.key}`} aria-hidden="true" />
                  {p.label}
                </dt>
                <dd>{p.value}</dd>
              </div>
            ))}
            <div className="legend-item legend-item-warn">
              <dt>Overdue</dt>
              <dd>{summary.overdue}</dd>
            </div>
          </dl>
        </>
      )}
    </Card>
  );
}

function DashboardSkeleton() {
  return (
    <div className="stack" aria-busy="true" aria-label="Loading the dashboard">
      <div className="grid-2">
        {[0, 1].map((i) => (
          <div key={i} className="card card-padded card-skeleton">
            <Skeleton width="30%" height={18} />
            <div className="stats">
              <Skeleton width="60%" height={36} />
              <Skeleton width="40%" height={36} />
            </div>
            <Skeleton height={8} />
          </div>
        ))}
      </div>
      <div className="card card-padded card-skeleton card-skeleton-tall">
        <Skeleton width="35%" height={18} />
      </div>
    </div>
  );
}
