import { useId } from 'react';
import { api, type TeamActivity as TeamActivityData, type UsageWeek } from '../../api';
import { LoadError } from '../../components/LoadError';
import { Skeleton } from '../../components/Skeleton';
import { WeeklyChart } from '../../components/WeeklyChart';
import { formatHours, formatWeek } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import './teams.css';

/**
 * The team's activity over the last 12 weeks (GET /api/teams/{id}/activity):
 * totals, and active learners and viewings per week. What members did while
 * they were in the team.
 */
export function TeamActivity({ teamId, teamName }: { teamId: string; teamName: string }) {
  const headingId = useId();
  const load = useLoad((signal) => api.teamActivity(teamId, signal), [teamId]);
  return (
    <section className="card card-padded team-activity" aria-labelledby={headingId}>
      <div className="card-header">
        <h2 id={headingId} className="card-title">
          Activity, last 12 weeks
        </h2>
      </div>
      {load.status === 'error' ? <LoadError what="activity" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <Skeleton height={120} /> : null}
      {load.status === 'done' ? <TeamActivityBody data={load.data} teamName={teamName} /> : null}
    </section>
  );
}

function TeamActivityBody({ data, teamName }: { data: TeamActivityData; teamName: string }) {
  const t = data.totals;
  const thisWeek = data.weeks[data.weeks.length - 1];
  if (t.viewings === 0 && t.labsStarted === 0 && t.activeLearners === 0) {
    return (
      <p className="muted empty-line">
        No activity from {teamName} in the last 12 weeks. When its members watch episodes or do labs, the weekly figures
        will appear here.
      </p>
    );
  }
  const busiest = data.weeks.reduce<UsageWeek | undefined>((a, w) => (!a || w.activeLearners > a.activeLearners ? w : a), undefined);
  const stats = [
    {
      label: 'Active learners',
      value: String(thisWeek?.activeLearners ?? 0),
      note: busiest ? `this week; most ${t.activeLearners} (week of ${formatWeek(busiest.weekStart)})` : 'this week',
    },
    { label: 'Viewings', value: t.viewings.toLocaleString('en-GB'), note: 'episodes watched, in part or whole' },
    { label: 'Hours watched', value: formatHours(t.seconds), note: 'in all' },
    { label: 'Episodes completed', value: t.completed.toLocaleString('en-GB'), note: 'watched to the end' },
    { label: 'Labs completed', value: t.labsCompleted.toLocaleString('en-GB'), note: `of ${t.labsStarted} started` },
  ];
  return (
    <>
      <dl className="stats team-activity-stats">
        {stats.map((x) => (
          <div key={x.label} className="stat">
            <dt>{x.label}</dt>
            <dd className="stat-value stat-value-small">{x.value}</dd>
            <dd className="muted stat-note">{x.note}</dd>
          </div>
        ))}
      </dl>
      <WeeklyChart
        title={`${teamName}: viewings and active learners per week`}
        weeks={data.weeks}
        height={200}
        bars={{ label: 'Viewings', value: (w) => w.viewings }}
        line={{ label: 'Active learners', value: (w) => w.activeLearners }}
        extra={[
          { label: 'Hours watched', value: (w) => w.seconds, format: formatHours },
          { label: 'Episodes completed', value: (w) => w.completed },
          { label: 'Labs completed', value: (w) => w.labsCompleted },
        ]}
      />
    </>
  );
}
