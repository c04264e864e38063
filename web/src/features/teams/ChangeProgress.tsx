import { useEffect, useRef, useState } from 'react';
import { api, type TeamChange } from '../../api';
import { Alert } from '../../components/Alert';

/** How often a running change is asked for its progress. */
export const POLL_MS = 1000;

/**
 * Follows a team change while it runs (polling its progress) and says how it
 * ended: done, or exactly who was not changed and why. onEnd runs once, when
 * a change that was running ends.
 */
export function ChangeProgress({
  change: first,
  onEnd,
  onRetry,
}: {
  change: TeamChange;
  onEnd: (c: TeamChange) => void;
  /** Tries the people who were not changed again; absent when it cannot. */
  onRetry?: (c: TeamChange) => void;
}) {
  const [change, setChange] = useState(first);
  const onEndRef = useRef(onEnd);
  onEndRef.current = onEnd;
  useEffect(() => setChange(first), [first]);

  useEffect(() => {
    if (change.status !== 'running') return;
    const ctrl = new AbortController();
    const timer = window.setTimeout(() => {
      api.teamChange(change.teamId, change.id, ctrl.signal).then(
        (next) => {
          setChange(next);
          if (next.status !== 'running') onEndRef.current(next);
        },
        () => {
          // Try again at the next tick: a lost poll is no failure of the change.
          if (!ctrl.signal.aborted) setChange((c) => ({ ...c }));
        },
      );
    }, POLL_MS);
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [change]);

  const what = change.kind === 'delete' ? 'Taking everyone out of the team' : 'Adding people to the team';
  if (change.status === 'running') {
    const pct = change.total > 0 ? Math.round((100 * (change.done + change.failed.length)) / change.total) : 0;
    return (
      <div className="card card-padded change-progress" role="status" aria-live="polite">
        <p className="change-title">
          {what}: {change.done} of {change.total} done
        </p>
        <div
          className="change-meter"
          role="progressbar"
          aria-label={what}
          aria-valuemin={0}
          aria-valuemax={change.total}
          aria-valuenow={change.done + change.failed.length}
        >
          <div className="change-meter-fill" style={{ width: `${pct}%` }} />
        </div>
        <p className="muted">This goes on in the background; you can leave this page and come back.</p>
      </div>
    );
  }
  if (change.status === 'failed') {
    return (
      <Alert title={`${change.failed.length} of ${change.total} ${change.total === 1 ? 'person was' : 'people were'} not ${change.kind === 'delete' ? 'taken out' : 'added'}`}>
        <ul className="plain-list">
          {change.failed.map((f) => (
            <li key={f.userId}>{f.message}</li>
          ))}
        </ul>
        {onRetry ? (
          <button type="button" className="button" onClick={() => onRetry(change)}>
            {change.kind === 'delete' ? 'Delete the team again' : 'Try them again'}
          </button>
        ) : null}
      </Alert>
    );
  }
  return null;
}
