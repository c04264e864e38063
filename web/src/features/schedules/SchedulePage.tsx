import { useEffect, useRef, useState } from 'react';
import { Link, useLocation, useNavigate, useParams } from 'react-router';
import { api, ApiError, type Delivery, type Schedule, type Team } from '../../api';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { formatDate, plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { ScheduleDialog } from './ScheduleDialog';
import { togglePaused } from './scheduleActions';
import { cadence, DELIVERY_STATUS, formatBytes, formatInZone, inFlight, kindName, periodText, polling, RECIPIENT_STATUS, underWay } from './schedules';
import './schedules.css';

/** A schedule's page: its settings, its deliveries, and "Send now". */
export function SchedulePage() {
  const { scheduleId = '' } = useParams();
  const load = useLoad((signal) => api.reportSchedule(scheduleId, signal), [scheduleId]);
  const teams = useLoad((signal) => api.teams(signal), []);
  const notFound = load.status === 'error' && load.error instanceof ApiError && load.error.status === 404;
  usePageTitle(load.status === 'done' ? `${load.data.name} · Reports` : 'Reports');
  return (
    <>
      <p className="back-link">
        <Link to="/reports">
          <span aria-hidden="true">← </span>Reports
        </Link>
      </p>
      {load.status === 'loading' ? <PageHeader title={<Skeleton width="14rem" height="1.1em" />} /> : null}
      {load.status === 'done' ? <ScheduleBody s={load.data} teams={teams.data ?? null} reload={load.reload} /> : null}
      {notFound ? (
        <>
          <PageHeader title="Schedule not found" />
          <div className="card card-padded">
            <p>There is no such scheduled report in your organization; it may have been deleted.</p>
            <p>
              <Link to="/reports">Go to the Reports page</Link>
            </p>
          </div>
        </>
      ) : load.status === 'error' ? (
        <>
          <PageHeader title="Scheduled report" />
          <LoadError what="scheduled report" message={load.error.message} onRetry={load.reload} />
        </>
      ) : null}
    </>
  );
}

type Dialog = 'edit' | 'delete' | null;

function ScheduleBody({ s, teams, reload }: { s: Schedule; teams: Team[] | null; reload: () => void }) {
  const location = useLocation();
  const navigate = useNavigate();
  const created = (location.state as { created?: boolean } | null)?.created === true;
  const [dialog, setDialog] = useState<Dialog>(null);
  const [notice, setNotice] = useState(created ? `${s.name} was created. Choose Send now to mail its report now rather than wait.` : '');
  const [failure, setFailure] = useState('');
  const [busy, setBusy] = useState(false);
  const deliveries = useDeliveries(s.id);
  // "Created" is said once: a reload or coming back later does not say it again.
  useEffect(() => {
    if (created) void navigate(location.pathname, { replace: true, state: null });
  }, [created, navigate, location.pathname]);
  const teamName = teams?.find((t) => t.id === s.teamId)?.name;

  // Once the delivery "Send now" made is done, say how it went and show the schedule's new state.
  const sent = deliveries.sentId ? deliveries.list?.find((d) => d.id === deliveries.sentId) : undefined;
  useEffect(() => {
    if (!sent || inFlight(sent)) return;
    deliveries.finishSending();
    setNotice(outcome(sent));
    reload();
  }, [sent, deliveries.finishSending, reload]);

  async function pause() {
    setFailure('');
    setBusy(true);
    try {
      const saved = await togglePaused(s);
      setNotice(saved.paused ? 'Paused: nothing is sent on the schedule until you resume it. Send now still works.' : 'Resumed: the next report goes out as scheduled.');
      reload();
    } catch (err) {
      setFailure(err instanceof Error ? err.message : 'Something went wrong. Try again.');
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setDialog(null);
    setFailure('');
    try {
      await api.deleteReportSchedule(s.id);
      void navigate('/reports', { replace: true });
    } catch (err) {
      setFailure(`The schedule could not be deleted: ${err instanceof Error ? err.message : 'try again.'}`);
    }
  }

  const sending = deliveries.sending;
  return (
    <>
      <PageHeader
        title={s.name}
        subtitle={
          <>
            {kindName(s.kind, teamName)} · {cadence(s)}
            {s.paused ? (
              <>
                {' '}
                <Badge tone="grey">Paused</Badge>
              </>
            ) : null}
          </>
        }
        actions={
          <>
            <button
              type="button"
              className="button button-primary"
              onClick={() => void deliveries.sendNow().then((err) => err && setFailure(err))}
              disabled={sending}
              aria-busy={sending}
            >
              {sending ? 'Sending…' : 'Send now'}
            </button>
            <button type="button" className="button" onClick={() => setDialog('edit')}>
              Edit
            </button>
            <button type="button" className="button" onClick={() => void pause()} disabled={busy}>
              {s.paused ? 'Resume' : 'Pause'}
            </button>
            <button type="button" className="button button-danger" onClick={() => setDialog('delete')}>
              Delete
            </button>
          </>
        }
      />
      <div className="stack">
        {failure ? <Alert onDismiss={() => setFailure('')}>{failure}</Alert> : null}
        <div role="status" aria-live="polite" className={sending ? 'notice notice-info' : notice ? 'notice notice-success' : 'status-inline'}>
          {sending ? 'Making the report and mailing it…' : notice}
        </div>
        <Card titleId="schedule-settings" title="Settings">
          <dl className="schedule-settings">
            <div>
              <dt>Report</dt>
              <dd>{kindName(s.kind, teamName)}</dd>
            </div>
            <div>
              <dt>When</dt>
              <dd>{cadence(s)}</dd>
            </div>
            <div>
              <dt>Covers</dt>
              <dd>{periodText(s.period)}</dd>
            </div>
            <div>
              <dt>Next run</dt>
              <dd>{s.paused ? 'Paused' : formatInZone(s.nextRunAt, s.timeZone)}</dd>
            </div>
          </dl>
          <h3 className="schedule-subtitle">Recipients</h3>
          <ul className="schedule-recipients">
            {s.recipients.map((r) => (
              <li key={r}>
                <span className="recipient-address">{r}</span>
                {s.bounced.includes(r) ? (
                  <>
                    {' '}
                    <Badge tone="red">Bounced</Badge> <span className="muted">Skipped until you save the schedule with this address again.</span>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </Card>
        <Card titleId="schedule-deliveries" title="Deliveries">
          {deliveries.error && !deliveries.list ? <LoadError what="deliveries" message={deliveries.error} onRetry={deliveries.reload} /> : null}
          {!deliveries.list && !deliveries.error ? (
            <p className="muted" aria-busy="true">
              Loading the deliveries…
            </p>
          ) : null}
          {deliveries.list?.length === 0 ? (
            <EmptyState title="Nothing sent yet">
              {s.paused ? 'The schedule is paused.' : `The first report goes out ${formatInZone(s.nextRunAt, s.timeZone)}.`} Choose Send now to mail one now.
            </EmptyState>
          ) : null}
          {deliveries.list && deliveries.list.length > 0 ? <DeliveryTable list={deliveries.list} timeZone={s.timeZone} /> : null}
        </Card>
      </div>
      {dialog === 'edit' ? (
        <ScheduleDialog
          schedule={s}
          orgTimeZone={s.timeZone}
          teams={teams}
          onClose={() => setDialog(null)}
          onSaved={() => {
            setDialog(null);
            setNotice('Saved.');
            reload();
          }}
        />
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${s.name}?`}
          body="No more reports are sent, and its list of deliveries goes with it. Reports already mailed stay in people’s inboxes."
          confirmLabel="Delete schedule"
          onConfirm={() => void remove()}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </>
  );
}

/** What became of a finished delivery, in a sentence. */
export function outcome(d: Delivery): string {
  const period = `${formatDate(d.from)} – ${formatDate(d.to)}`;
  const sent = d.recipients.filter((r) => r.status === 'sent').length;
  switch (d.status) {
    case 'delivered':
      return `The report for ${period} was mailed to ${plural(sent, 'recipient')}.`;
    case 'partial':
      return `The report for ${period} reached ${sent} of ${plural(d.recipients.length, 'recipient')}; the deliveries list says why not the others.`;
    default:
      return `The report for ${period} could not be sent: ${d.error || 'try again later.'}`;
  }
}

/**
 * A schedule's deliveries, asked for again every polling.ms while one is
 * being made or mailed; sendNow() asks for one and keeps sending true until
 * it is delivered or failed (one click, one delivery; the API refuses another
 * while one is pending or running).
 */
function useDeliveries(scheduleId: string) {
  const [list, setList] = useState<Delivery[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState(0);
  const [tick, setTick] = useState(0);
  const [sentId, setSentId] = useState<string | null>(null);
  const [starting, setStarting] = useState(false);

  useEffect(() => {
    const ctrl = new AbortController();
    api.reportDeliveries(scheduleId, ctrl.signal).then(
      (d) => {
        setList(d);
        setError(null);
        setAnswers((n) => n + 1);
      },
      (err: unknown) => {
        if (ctrl.signal.aborted) return;
        setError(err instanceof Error ? err.message : String(err));
        setAnswers((n) => n + 1);
      },
    );
    return () => ctrl.abort();
  }, [scheduleId, tick]);

  const following = sentId !== null || (list?.some((d) => underWay(d)) ?? false);
  useEffect(() => {
    if (!following) return;
    const t = window.setTimeout(() => setTick((n) => n + 1), polling.ms);
    return () => window.clearTimeout(t);
  }, [following, answers]);

  const self = useRef({
    sendNow: async (): Promise<string | null> => null,
    finishSending: () => {},
    reload: () => {},
  });
  self.current.sendNow = async () => {
    setStarting(true);
    try {
      const d = await api.sendReportNow(scheduleId);
      setList((l) => [d, ...(l ?? []).filter((x) => x.id !== d.id)]);
      setSentId(d.id);
      return null;
    } catch (err) {
      // A refused send may still be listed (failed, with the reason): show the list as it is now.
      setTick((n) => n + 1);
      if (err instanceof ApiError && err.status === 409) return 'A report of this schedule is being sent right now. Wait until it is done.';
      return `The report could not be sent: ${err instanceof Error ? err.message : 'try again.'}`;
    } finally {
      setStarting(false);
    }
  };
  self.current.finishSending = () => setSentId(null);
  self.current.reload = () => setTick((n) => n + 1);
  const [stable] = useState(() => ({
    sendNow: () => self.current.sendNow(),
    finishSending: () => self.current.finishSending(),
    reload: () => self.current.reload(),
  }));
  // One delivery at a time: "Send now" waits for any under way, the dispatcher's too.
  const sending = starting || sentId !== null || (list?.some((d) => underWay(d)) ?? false);
  return { list, error, sentId, sending, ...stable };
}

function DeliveryTable({ list, timeZone }: { list: Delivery[]; timeZone: string }) {
  return (
    <table className="table data-table deliveries-table">
      <caption className="visually-hidden">Deliveries</caption>
      <thead>
        <tr>
          <th scope="col">When</th>
          <th scope="col">Period</th>
          <th scope="col">Rows</th>
          <th scope="col">Workbook</th>
          <th scope="col">Status</th>
          <th scope="col">Recipients</th>
        </tr>
      </thead>
      <tbody>
        {list.map((d) => {
          const status = DELIVERY_STATUS[d.status] ?? { label: d.status, tone: 'grey' as const };
          return (
            <tr key={d.id}>
              <td data-label="When">
                <time dateTime={d.createdAt}>{formatInZone(d.createdAt, timeZone)}</time>
                <span className="muted delivery-trigger">{d.trigger === 'manual' ? 'Sent now' : 'On schedule'}</span>
              </td>
              <td data-label="Period">
                {formatDate(d.from)} – {formatDate(d.to)}
              </td>
              <td data-label="Rows">{inFlight(d) ? '—' : d.rows.toLocaleString('en-GB')}</td>
              <td data-label="Workbook">{d.bytes > 0 ? `${d.attached ? 'Attached' : 'Linked'} (${formatBytes(d.bytes)})` : '—'}</td>
              <td data-label="Status">
                <Badge tone={status.tone}>{status.label}</Badge>
                {d.error ? <span className="delivery-error">{d.error}</span> : null}
              </td>
              <td data-label="Recipients">
                <ul className="delivery-recipients">
                  {d.recipients.map((r) => (
                    <li key={r.address}>
                      <span className="recipient-address">{r.address}</span>: {RECIPIENT_STATUS[r.status] ?? r.status}
                      {r.reason ? ` (${r.reason})` : ''}
                    </li>
                  ))}
                </ul>
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
