import { useId, useState, type FormEvent, type ReactNode } from 'react';
import { Link, useParams } from 'react-router';
import {
  api,
  ApiError,
  type CourseProgress,
  type EpisodeProgress,
  type LabProgress,
  type UsageWeek,
  type User,
  type UserActivity as ActivityData,
} from '../../api';
import { AccessBadges, Badge, StatusBadge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { WeeklyChart } from '../../components/WeeklyChart';
import { formatDate, formatDateTime, formatDuration, fullName, plural, possessive } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { UserAssignmentList } from '../assignments/UserAssignmentList';
import { UserHistory } from '../audit/UserHistory';
import { ExportButton } from '../exports/ExportButton';
import './users.css';

export function UserActivity() {
  const { userId = '' } = useParams();
  const load = useLoad((signal) => api.activity(userId, signal), [userId]);
  const notFound = load.status === 'error' && load.error instanceof ApiError && load.error.status === 404;
  const name = load.status === 'done' ? fullName(load.data.user) : notFound ? 'User not found' : load.status === 'error' ? 'Activity' : '';
  usePageTitle(name ? `${name} · Users` : 'Users');

  // One heading element throughout, so the focus put on it after navigation stays.
  const title =
    load.status === 'loading' ? (
      <>
        <Skeleton width="14rem" height="1.1em" />
        <span className="visually-hidden">Loading</span>
      </>
    ) : (
      name
    );
  const subtitle =
    load.status === 'done' ? (
      <span className="person-meta">
        <span>{load.data.user.email}</span>
        <StatusBadge status={load.data.user.status} />
        <AccessBadges seat={load.data.user.seat} admin={load.data.user.admin} />
      </span>
    ) : load.status === 'loading' ? (
      <Skeleton width="20rem" height="1em" />
    ) : undefined;

  return (
    <>
      <p className="back-link">
        <Link to="/users">
          <span aria-hidden="true">← </span>All users
        </Link>
      </p>
      <PageHeader
        title={title}
        subtitle={subtitle}
        actions={load.status === 'done' ? <ActivityActions user={load.data.user} /> : undefined}
      />
      {load.status === 'done' ? <ActivityBody data={load.data} onTeamsChanged={load.reload} /> : null}
      {load.status === 'loading' ? (
        <div className="grid-2" aria-busy="true" aria-label="Loading activity">
          <div className="card card-padded card-skeleton" />
          <div className="card card-padded card-skeleton" />
        </div>
      ) : null}
      {notFound ? (
        <div className="card card-padded">
          <p>There is no such user in your organization. They may have been removed, or the link may be mistyped.</p>
          <p>
            <Link to="/users">Go to all users</Link>
          </p>
        </div>
      ) : load.status === 'error' ? (
        <LoadError what="activity" message={load.error.message} onRetry={load.reload} />
      ) : null}
    </>
  );
}

/**
 * The page's actions, in its header: the place for what acts on the whole
 * page (the exports add "Download Activity" here).
 */
function ActivityActions({ user }: { user: User }) {
  return (
    <div className="page-actions-row" data-user-id={user.id}>
      <ExportButton label="Download Activity" what={`${possessive(fullName(user))} activity`} request={{ kind: 'user-activity', userId: user.id }} />
    </div>
  );
}

function ActivityBody({ data, onTeamsChanged }: { data: ActivityData; onTeamsChanged: () => void }) {
  const { user } = data;
  return (
    <div className="stack">
      <ActivitySummary data={data} />
      <WeeklyViewing weeks={data.weeks} />
      <Section title="Assignments" count={data.assignments.items.length}>
        <UserAssignmentList items={data.assignments.items} />
      </Section>
      <Section title="Courses" count={data.viewedCompletely.courses.length + data.inProgress.courses.length}>
        <CourseTable
          caption="Courses viewed completely"
          courses={data.viewedCompletely.courses}
          done
          empty="No course watched to the end yet. A course appears here once every one of its episodes has been watched completely."
        />
        <CourseTable
          caption="Courses in progress"
          courses={data.inProgress.courses}
          done={false}
          empty="No course in progress. Courses they start watching appear here with how many episodes they have completed."
        />
      </Section>
      <Section title="Episodes" count={data.viewedCompletely.episodes.length + data.inProgress.episodes.length}>
        <EpisodeTable
          caption="Episodes viewed completely"
          episodes={data.viewedCompletely.episodes}
          done
          empty="No episode watched to the end yet."
        />
        <EpisodeTable
          caption="Episodes in progress"
          episodes={data.inProgress.episodes}
          done={false}
          empty="Nothing in progress. Episodes they start and have not finished appear here."
        />
      </Section>
      <Section title="Labs" count={data.labs.length}>
        <LabTable labs={data.labs} />
      </Section>
      <div className="grid-2">
        <Section title="Sign-ins" count={data.summary.logins}>
          {data.logins.length === 0 ? (
            <p className="muted empty-line">
              {user.status === 'invited'
                ? 'No sign-ins yet: they have not created a password.'
                : 'No sign-ins yet. Each sign-in to the learning platform or this portal will be listed here.'}
            </p>
          ) : (
            <>
              <p className="muted">
                {data.summary.logins > data.logins.length
                  ? `${plural(data.summary.logins, 'sign-in')} in all; the last ${data.logins.length}:`
                  : `${plural(data.summary.logins, 'sign-in')}, newest first:`}
              </p>
              <ol className="plain-list sign-in-list">
                {data.logins.map((l, i) => (
                  <li key={`${l.at}-${i}`}>
                    <time dateTime={l.at}>{formatDateTime(l.at)}</time>
                  </li>
                ))}
              </ol>
            </>
          )}
        </Section>
        <Section title="Teams" count={data.teams.length}>
          {data.teams.length === 0 ? (
            <p className="muted empty-line">Not in a team.</p>
          ) : (
            <ul className="plain-list">
              {data.teams.map((t) => (
                <li key={t.id}>
                  <Link to={`/teams/${encodeURIComponent(t.id)}`}>{t.name}</Link>
                </li>
              ))}
            </ul>
          )}
          <AddToTeam data={data} onAdded={onTeamsChanged} />
        </Section>
      </div>
      <UserHistory userId={user.id} name={fullName(user)} />
    </div>
  );
}

/** The person's totals: sign-ins, time watched, courses, episodes and labs. */
function ActivitySummary({ data }: { data: ActivityData }) {
  const s = data.summary;
  const labsDone = data.labs.filter((l) => l.completed).length;
  const stats = [
    { label: 'Sign-ins', value: s.logins.toLocaleString('en-GB'), note: s.lastLoginAt ? `Last ${formatDateTime(s.lastLoginAt)}` : 'Never signed in' },
    { label: 'Time watched', value: formatDuration(s.seconds), note: plural(s.viewings, 'viewing') },
    {
      label: 'Courses completed',
      value: data.viewedCompletely.courses.length.toLocaleString('en-GB'),
      note: `${data.inProgress.courses.length} in progress`,
    },
    {
      label: 'Episodes completed',
      value: data.viewedCompletely.episodes.length.toLocaleString('en-GB'),
      note: `${data.inProgress.episodes.length} in progress`,
    },
    { label: 'Labs completed', value: labsDone.toLocaleString('en-GB'), note: `of ${plural(data.labs.length, 'lab')} started` },
  ];
  return (
    <Card
      titleId="activity-summary"
      title="Summary"
      aside={s.lastActiveAt ? <span className="muted">Last active {formatDate(s.lastActiveAt)}</span> : null}
    >
      <dl className="stats activity-stats">
        {stats.map((x) => (
          <div key={x.label} className="stat">
            <dt>{x.label}</dt>
            <dd className="stat-value stat-value-small">{x.value}</dd>
            <dd className="muted stat-note">{x.note}</dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}

/** The person's viewing per week, the last 12 weeks. */
function WeeklyViewing({ weeks }: { weeks: UsageWeek[] }) {
  const any = weeks.some((w) => w.viewings > 0 || w.labsStarted > 0);
  return (
    <Card titleId="weekly-viewing" title="Weekly viewing">
      {any ? (
        <WeeklyChart
          title="Minutes watched per week, the last 12 weeks"
          weeks={weeks}
          height={180}
          bars={{ label: 'Minutes watched', value: (w) => Math.round(w.seconds / 60) }}
          extra={[
            { label: 'Viewings', value: (w) => w.viewings },
            { label: 'Episodes completed', value: (w) => w.completed },
            { label: 'Labs completed', value: (w) => w.labsCompleted },
          ]}
        />
      ) : (
        <p className="muted empty-line">
          Nothing watched in the last 12 weeks. Each week&rsquo;s viewing time will appear here as a chart.
        </p>
      )}
    </Card>
  );
}

/** How many rows a long list shows before "Show all". */
const FIRST_ROWS = 10;

/** The first rows of a list, and a button that shows the rest. */
function useFirstRows<T>(rows: T[]): { shown: T[]; more: ReactNode } {
  const [all, setAll] = useState(false);
  const shown = all ? rows : rows.slice(0, FIRST_ROWS);
  const more =
    rows.length > FIRST_ROWS ? (
      <button type="button" className="link-button table-more" aria-expanded={all} onClick={() => setAll(!all)}>
        {all ? 'Show fewer' : `Show all ${rows.length}`}
      </button>
    ) : null;
  return { shown, more };
}

function TableTitle({ caption, count }: { caption: string; count: number }) {
  return (
    <h3 className="activity-table-title">
      {caption} <span className="muted">({count})</span>
    </h3>
  );
}

function CourseTable({ caption, courses, done, empty }: { caption: string; courses: CourseProgress[]; done: boolean; empty: string }) {
  const { shown, more } = useFirstRows(courses);
  const when = done ? 'Completed' : 'Last viewed';
  return (
    <div className="activity-table-block">
      <TableTitle caption={caption} count={courses.length} />
      {courses.length === 0 ? (
        <p className="muted empty-line">{empty}</p>
      ) : (
        <table className="table data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Course</th>
              <th scope="col">Episodes completed</th>
              <th scope="col">Time watched</th>
              <th scope="col">{when}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => {
              const at = (done ? c.completedAt : null) ?? c.lastViewedAt;
              return (
                <tr key={c.id}>
                  <td data-label="Course">{c.title}</td>
                  <td data-label="Episodes completed">
                    {c.episodesCompleted} of {c.episodes > 0 ? c.episodes : '?'}
                  </td>
                  <td data-label="Time watched">{formatDuration(c.seconds)}</td>
                  <td data-label={when}>
                    <time dateTime={at}>{formatDate(at)}</time>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {more}
    </div>
  );
}

function EpisodeTable({ caption, episodes, done, empty }: { caption: string; episodes: EpisodeProgress[]; done: boolean; empty: string }) {
  const { shown, more } = useFirstRows(episodes);
  const when = done ? 'Completed' : 'Last viewed';
  return (
    <div className="activity-table-block">
      <TableTitle caption={caption} count={episodes.length} />
      {episodes.length === 0 ? (
        <p className="muted empty-line">{empty}</p>
      ) : (
        <table className="table data-table">
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">Episode</th>
              <th scope="col">Course</th>
              <th scope="col">Time watched</th>
              <th scope="col">{when}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((e) => {
              const at = (done ? e.completedAt : null) ?? e.lastViewedAt;
              return (
                <tr key={e.id}>
                  <td data-label="Episode">{e.title}</td>
                  <td data-label="Course">{e.courseTitle}</td>
                  <td data-label="Time watched">{formatDuration(e.seconds)}</td>
                  <td data-label={when}>
                    <time dateTime={at}>{formatDate(at)}</time>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {more}
    </div>
  );
}

function LabTable({ labs }: { labs: LabProgress[] }) {
  const { shown, more } = useFirstRows(labs);
  if (labs.length === 0) {
    return <p className="muted empty-line">No labs yet. Labs they start appear here with their attempts and best score.</p>;
  }
  return (
    <>
      <table className="table data-table">
        <caption className="visually-hidden">Labs</caption>
        <thead>
          <tr>
            <th scope="col">Lab</th>
            <th scope="col">Attempts</th>
            <th scope="col">Result</th>
            <th scope="col">Best score</th>
            <th scope="col">Last attempt</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((l) => (
            <tr key={l.id}>
              <td data-label="Lab">{l.title}</td>
              <td data-label="Attempts">{l.attempts}</td>
              <td data-label="Result">{l.completed ? <Badge tone="green">Completed</Badge> : <Badge tone="blue">Started</Badge>}</td>
              <td data-label="Best score">{l.bestScore === null ? '—' : `${l.bestScore}%`}</td>
              <td data-label="Last attempt">
                <time dateTime={l.lastAt}>{formatDate(l.lastAt)}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {more}
    </>
  );
}

/** Puts the person in one more team: a choice of the teams they are not in. */
function AddToTeam({ data, onAdded }: { data: ActivityData; onAdded: () => void }) {
  const selectId = useId();
  const teams = useLoad((signal) => api.teams(signal), []);
  const [teamId, setTeamId] = useState('');
  const [message, setMessage] = useState('');
  const [busy, setBusy] = useState(false);
  if (data.user.status !== 'active') {
    return <p className="muted add-to-team-note">Only active people can join a team.</p>;
  }
  const choices = teams.status === 'done' ? teams.data.filter((t) => !t.deleting && !data.teams.some((m) => m.id === t.id)) : [];
  if (teams.status === 'done' && choices.length === 0) return null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!teamId) return;
    setBusy(true);
    setMessage('');
    try {
      await api.addMembers(teamId, [data.user.id]);
      setTeamId('');
      onAdded();
    } catch (err) {
      setMessage(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="add-to-team" onSubmit={(e) => void submit(e)}>
      <label htmlFor={selectId} className="field-label">
        Add to a team
      </label>
      <div className="add-to-team-row">
        <select id={selectId} className="input select" value={teamId} onChange={(e) => setTeamId(e.target.value)}>
          <option value="">Choose a team</option>
          {choices.map((t) => (
            <option key={t.id} value={t.id}>
              {t.name}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={!teamId || busy} aria-busy={busy}>
          Add
        </button>
      </div>
      {message ? (
        <p role="alert" className="field-error">
          {message}
        </p>
      ) : null}
    </form>
  );
}

function Section({ title, count, children }: { title: string; count: number; children: ReactNode }) {
  const id = `section-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return (
    <Card titleId={id} title={title} className="section" aside={count > 0 ? <span className="count-pill">{count}</span> : null}>
      {children}
    </Card>
  );
}
