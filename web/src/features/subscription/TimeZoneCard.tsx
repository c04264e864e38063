import { useId, useState, type FormEvent } from 'react';
import { api, ApiError } from '../../api';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { Skeleton } from '../../components/Skeleton';
import { useLoad } from '../../hooks/useLoad';

/** Every IANA zone the browser knows, UTC first (and current, should the browser not know it). */
export function zones(current: string): string[] {
  const known = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...known.filter((z) => z !== 'UTC'), ...(current && current !== 'UTC' && !known.includes(current) ? [current] : [])];
}

/** The organization's time zone: due dates are days there, and overdue is judged there. */
export function TimeZoneCard() {
  const id = useId();
  const load = useLoad((signal) => api.organization(signal), []);
  const [choice, setChoice] = useState<string | null>(null);
  const [status, setStatus] = useState<{ tone: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const current = load.data?.timeZone ?? 'UTC';
  const value = choice ?? current;

  async function save(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setStatus(null);
    try {
      const org = await api.setTimeZone(value);
      setChoice(null);
      load.reload();
      setStatus({ tone: 'ok', text: `Saved: due dates are now days in ${org.timeZone}.` });
    } catch (err) {
      setStatus({ tone: 'error', text: err instanceof ApiError ? (err.fields.timeZone ? `The time zone ${err.fields.timeZone}.` : err.message) : 'Something went wrong.' });
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card titleId={`${id}-title`} title="Time zone">
      {load.status === 'error' ? <LoadError what="time zone" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <Skeleton width="60%" height={36} /> : null}
      {load.status === 'done' ? (
        <form className="form-stack" onSubmit={(e) => void save(e)}>
          <div className="field">
            <label htmlFor={`${id}-zone`} className="field-label">
              Organization time zone
            </label>
            <div id={`${id}-hint`} className="field-hint">
              Assignment due dates are calendar days in this zone; an assignment is overdue once its day has passed here.
            </div>
            <select id={`${id}-zone`} className="input select" aria-describedby={`${id}-hint`} value={value} onChange={(e) => setChoice(e.target.value)}>
              {zones(current).map((z) => (
                <option key={z} value={z}>
                  {z.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </div>
          <div>
            <button type="submit" className="button button-primary" disabled={busy || value === current}>
              Save time zone
            </button>
          </div>
          {status ? (
            <p role={status.tone === 'error' ? 'alert' : 'status'} className={status.tone === 'error' ? 'field-error' : 'muted'}>
              {status.text}
            </p>
          ) : null}
        </form>
      ) : null}
    </Card>
  );
}
