import { plural } from '../../format';
import './assignments.css';

/** Counts of people by where they stand in an assignment (or several). */
export interface ProgressCounts {
  completed: number;
  inProgress: number;
  notStarted: number;
}

const PARTS = [
  { key: 'completed', label: 'Completed' },
  { key: 'inProgress', label: 'In progress' },
  { key: 'notStarted', label: 'Not started' },
] as const;

/**
 * The completion bar: completed, in progress and not started side by side.
 * Screen readers get the sentence in its label.
 */
export function ProgressBar({ counts, compact = false }: { counts: ProgressCounts; compact?: boolean }) {
  const total = counts.completed + counts.inProgress + counts.notStarted;
  const share = total === 0 ? 0 : Math.round((counts.completed / total) * 100);
  const label = `${share}% completed: ${counts.completed} of ${plural(total, 'person', 'people')}, ${counts.inProgress} in progress, ${counts.notStarted} not started`;
  return (
    <div className={`progress-bar${compact ? ' progress-bar-compact' : ''}`} role="img" aria-label={label} title={label}>
      {PARTS.map((p) =>
        counts[p.key] > 0 ? (
          <div key={p.key} className={`progress-part progress-${p.key}`} style={{ width: `${(counts[p.key] / Math.max(1, total)) * 100}%` }} />
        ) : null,
      )}
    </div>
  );
}

/** The share completed, as the lists print it. */
export function completedShare(counts: ProgressCounts): number {
  const total = counts.completed + counts.inProgress + counts.notStarted;
  return total === 0 ? 0 : Math.round((counts.completed / total) * 100);
}

export const PROGRESS_PARTS = PARTS;
