import type { NewExport } from '../../api';
import { ExportStatus } from './ExportStatus';
import { useExport } from './useExport';
import './exports.css';

/**
 * A button that exports something as an Excel workbook ("Download Activity"
 * on a user, "Team Activity" on a team, "Assignment Activity" on an
 * assignment), with the export's progress under it. Place it among a page's
 * actions.
 */
export function ExportButton({ label, request, what }: { label: string; request: NewExport; what: string }) {
  const { state, start } = useExport();
  const busy = state.phase === 'starting' || state.phase === 'running';
  return (
    <div className="export-action">
      <button type="button" className="button" onClick={() => start(request)} disabled={busy} aria-busy={busy}>
        <svg aria-hidden="true" focusable="false" width="16" height="16" viewBox="0 0 20 20">
          <path d="M10 3v10M6 9l4 4 4-4M4 16h12" stroke="currentColor" strokeWidth="1.8" fill="none" strokeLinecap="round" />
        </svg>
        {busy ? 'Exporting…' : label}
      </button>
      <ExportStatus state={state} label={what} onRetry={() => start(request)} />
    </div>
  );
}
