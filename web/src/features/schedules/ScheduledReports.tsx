import { useRef, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { api, type Schedule } from '../../api';
import { ActionsMenu } from '../../components/ActionsMenu';
import { Alert } from '../../components/Alert';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { EmptyState } from '../../components/EmptyState';
import { LoadError } from '../../components/LoadError';
import { plural } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import { ScheduleDialog } from './ScheduleDialog';
import { togglePaused } from './scheduleActions';
import { cadence, DELIVERY_STATUS, formatInZone, kindName } from './schedules';
import './schedules.css';

type Open = { dialog: 'new' } | { dialog: 'edit'; schedule: Schedule } | { dialog: 'delete'; schedule: Schedule } | null;

/**
 * The Reports page's "Scheduled reports": the organization's schedules, each
 * with its cadence, recipients, next run and last delivery, and the ways to
 * make, change, pause and delete them.
 */
export function ScheduledReports() {
  const list = useLoad((signal) => api.reportSchedules(signal), []);
  const org = useLoad((signal) => api.organization(signal), []);
  const teams = useLoad((signal) => api.teams(signal), []);
  const [open, setOpen] = useState<Open>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const newButton = useRef<HTMLButtonElement>(null);
  const navigate = useNavigate();

  async function act(s: Schedule, action: string) {
    setProblem(null);
    setNotice(null);
    if (action === 'edit') return setOpen({ dialog: 'edit', schedule: s });
    if (action === 'delete') return setOpen({ dialog: 'delete', schedule: s });
    if (action === 'pause') {
      setBusyId(s.id);
      try {
        const saved = await togglePaused(s);
        setNotice(saved.paused ? `${saved.name} is paused: nothing is sent until you resume it.` : `${saved.name} runs again.`);
        list.reload();
      } catch (err) {
        setProblem(`${s.name} could not be ${s.paused ? 'resumed' : 'paused'}: ${err instanceof Error ? err.message : 'try again.'}`);
      } finally {
        setBusyId(null);
      }
    }
  }

  async function remove(s: Schedule) {
    setOpen(null);
    setBusyId(s.id);
    try {
      await api.deleteReportSchedule(s.id);
      setNotice(`${s.name} was deleted. Reports already mailed stay in people’s inboxes.`);
      list.reload();
    } catch (err) {
      setProblem(`${s.name} could not be deleted: ${err instanceof Error ? err.message : 'try again.'}`);
    } finally {
      setBusyId(null);
      newButton.current?.focus();
    }
  }

  const teamName = (teamId: string) => teams.data?.find((t) => t.id === teamId)?.name;
  return (
    <Card
      titleId="scheduled-reports"
      title="Scheduled reports"
      aside={
        <button ref={newButton} type="button" className="button button-primary" onClick={() => setOpen({ dialog: 'new' })}>
          New schedule
        </button>
      }
    >
      <p className="muted schedules-intro">Reports emailed every week or month, to anyone, without anyone clicking.</p>
      {problem ? <Alert onDismiss={() => setProblem(null)}>{problem}</Alert> : null}
      <div role="status" aria-live="polite" className={notice ? 'notice notice-success' : 'status-inline'}>
        {notice}
      </div>
      {list.status === 'error' ? <LoadError what="scheduled reports" message={list.error.message} onRetry={list.reload} /> : null}
      {list.status === 'loading' ? (
        <p className="muted" aria-busy="true">
          Loading the scheduled reports…
        </p>
      ) : null}
      {list.status === 'done' && list.data.length === 0 ? (
        <EmptyState title="No scheduled reports yet">Choose New schedule to have a report mailed every week or month.</EmptyState>
      ) : null}
      {list.status === 'done' && list.data.length > 0 ? (
        <table className="table data-table schedules-table">
          <caption className="visually-hidden">Scheduled reports</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Report</th>
              <th scope="col">When</th>
              <th scope="col">Recipients</th>
              <th scope="col">Next run</th>
              <th scope="col">Last delivery</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.data.map((s) => (
              <ScheduleRow key={s.id} s={s} teamName={teamName(s.teamId)} busy={busyId === s.id} onSelect={(a) => void act(s, a)} />
            ))}
          </tbody>
        </table>
      ) : null}
      {open?.dialog === 'new' || open?.dialog === 'edit' ? (
        <ScheduleDialog
          schedule={open.dialog === 'edit' ? open.schedule : undefined}
          orgTimeZone={org.data?.timeZone ?? ''}
          teams={teams.status === 'done' ? teams.data : teams.status === 'error' ? [] : null}
          onClose={() => setOpen(null)}
          onSaved={(s) => {
            const created = open.dialog === 'new';
            setOpen(null);
            if (created) {
              void navigate(`/reports/schedules/${encodeURIComponent(s.id)}`, { state: { created: true } });
              return;
            }
            setNotice(`${s.name} was saved.`);
            list.reload();
          }}
        />
      ) : null}
      {open?.dialog === 'delete' ? (
        <ConfirmDialog
          title={`Delete ${open.schedule.name}?`}
          body="No more reports are sent, and its list of deliveries goes with it. Reports already mailed stay in people’s inboxes."
          confirmLabel="Delete schedule"
          onConfirm={() => void remove(open.schedule)}
          onCancel={() => setOpen(null)}
        />
      ) : null}
    </Card>
  );
}

function ScheduleRow({ s, teamName, busy, onSelect }: { s: Schedule; teamName: string | undefined; busy: boolean; onSelect: (action: string) => void }) {
  const last = s.lastDelivery;
  return (
    <tr className={busy ? 'row-busy' : undefined}>
      <td data-label="Name">
        <Link to={`/reports/schedules/${encodeURIComponent(s.id)}`}>{s.name}</Link>
        {s.paused ? (
          <>
            {' '}
            <Badge tone="grey">Paused</Badge>
          </>
        ) : null}
      </td>
      <td data-label="Report">{kindName(s.kind, teamName)}</td>
      <td data-label="When">{cadence(s)}</td>
      <td data-label="Recipients">
        {plural(s.recipients.length, 'recipient')}
        {s.bounced.length > 0 ? (
          <>
            {' '}
            <Badge tone="red">{plural(s.bounced.length, 'bounce')}</Badge>
          </>
        ) : null}
      </td>
      <td data-label="Next run">{s.paused ? 'Paused' : formatInZone(s.nextRunAt, s.timeZone)}</td>
      <td data-label="Last delivery">
        {last ? (
          <span className="last-delivery">
            <Badge tone={DELIVERY_STATUS[last.status]?.tone ?? 'grey'}>{DELIVERY_STATUS[last.status]?.label ?? last.status}</Badge>
            <time dateTime={last.createdAt}>{formatInZone(last.createdAt, s.timeZone)}</time>
          </span>
        ) : (
          <span className="muted">None yet</span>
        )}
      </td>
      <td data-label="" className="col-actions">
        <ActionsMenu
          label={`Actions for ${s.name}`}
          disabled={busy}
          items={[
            { id: 'open', label: 'Deliveries and send now', to: `/reports/schedules/${encodeURIComponent(s.id)}` },
            { id: 'edit', label: 'Edit' },
            { id: 'pause', label: s.paused ? 'Resume' : 'Pause' },
            { id: 'delete', label: 'Delete', danger: true },
          ]}
          onSelect={onSelect}
        />
      </td>
    </tr>
  );
}
