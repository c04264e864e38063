import { useId, useState } from 'react';
import { api } from '../../api';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { Skeleton } from '../../components/Skeleton';
import { useLoad } from '../../hooks/useLoad';

/**
 * The organization's due-date reminders: on, assignees are mailed 3 days
 * before an assignment is due, on the day, and once when it is overdue, and
 * admins get a weekly digest of what is overdue; off, neither.
 */
export function RemindersCard() {
  const id = useId();
  const load = useLoad((signal) => api.organization(signal), []);
  const [on, setOn] = useState<boolean | null>(null);
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const value = on ?? load.data?.reminders ?? true;

  async function flip() {
    const next = !value;
    setBusy(true);
    setStatus(null);
    setOn(next);
    try {
      const org = await api.setReminders(next);
      const saved = org.reminders;
      setOn(saved);
      setStatus({ tone: 'ok', text: saved ? 'Reminders are on.' : 'Reminders are off: nobody is mailed about due dates.' });
    } catch (err) {
      setOn(!next);
      setStatus({ tone: 'error', text: `The change was not saved: ${err instanceof Error ? err.message : 'try again.'}` });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card titleId={`${id}-title`} title="Due-date reminders">
      {load.status === 'error' ? <LoadError what="reminder setting" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <Skeleton width="60%" height={36} /> : null}
      {load.status === 'done' ? (
        <div className="form-stack">
          <div className="switch-row">
            <button
              type="button"
              role="switch"
              id={`${id}-switch`}
              className="switch"
              aria-checked={value}
              aria-describedby={`${id}-hint`}
              onClick={() => void flip()}
              disabled={busy}
            >
              <span className="switch-track" aria-hidden="true">
                <span className="switch-thumb" />
              </span>
              <span className="switch-label">Email reminders about due dates</span>
            </button>
          </div>
          <p id={`${id}-hint`} className="field-hint">
            People with an open assignment get an email 3 days before it is due, on the due day, and once the day after if it is
            overdue, with what is left and a link to it. Admins get a digest of overdue assignments by team every Monday. Mail
            goes out at 08:00 in the organization’s time zone.
          </p>
          <div role="status" aria-live="polite" className={status?.tone === 'ok' ? 'muted' : 'status-inline'}>
            {status?.tone === 'ok' ? status.text : null}
          </div>
          {status?.tone === 'error' ? (
            <p role="alert" className="field-error">
              {status.text}
            </p>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
