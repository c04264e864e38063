import { Alert } from '../../components/Alert';
import { plural } from '../../format';
import type { ExportState } from './useExport';
import './exports.css';

/**
 * What an export the admin asked for is doing: a progress bar while it runs,
 * a link to the file once it is done (the download starts by itself), or
 * what went wrong and what to do.
 */
export function ExportStatus({ state, label, onRetry }: { state: ExportState; label: string; onRetry: () => void }) {
  switch (state.phase) {
    case 'idle':
      return null;
    case 'starting':
    case 'running': {
      const pct = state.phase === 'running' ? Math.round(state.export.progress * 100) : 0;
      const rows = state.phase === 'running' ? state.export.rows : 0;
      return (
        <div className="export-status" role="status" aria-live="polite">
          <p className="export-status-text">
            {state.phase === 'starting' || state.export.status === 'pending'
              ? `Preparing ${label}…`
              : `Writing ${label}: ${plural(rows, 'row')} so far`}
          </p>
          <div
            className="export-meter"
            role="progressbar"
            aria-label={`${label} export`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={pct}
            aria-valuetext={`${pct}%`}
          >
            <div className="export-meter-fill" style={{ width: `${Math.max(pct, 3)}%` }} />
          </div>
        </div>
      );
    }
    case 'done':
      return (
        <div className="export-status" role="status" aria-live="polite">
          <p className="export-status-text">
            {label} is ready ({plural(state.export.rows, 'row')}); the download has started.{' '}
            {state.export.downloadUrl ? (
              <a href={state.export.downloadUrl} className="export-link" download={state.export.fileName}>
                Download {state.export.fileName} again
              </a>
            ) : null}
          </p>
        </div>
      );
    case 'failed':
      return (
        <Alert title={`${label} could not be made`}>
          <p>{state.message}</p>
          {state.fields ? (
            <ul className="plain-list">
              {Object.entries(state.fields).map(([field, problem]) => (
                <li key={field}>{problem}</li>
              ))}
            </ul>
          ) : null}
          <button type="button" className="button button-small" onClick={onRetry}>
            Try again
          </button>
        </Alert>
      );
  }
}
