import { useRef, type KeyboardEvent } from 'react';
import type { StatusFilter as Status, UserCounts } from '../../api';
import './users.css';

export const STATUS_OPTIONS: { value: Status; label: string }[] = [
  { value: 'active', label: 'Active' },
  { value: 'invited', label: 'Invited' },
  { value: 'inactive', label: 'Inactive' },
  { value: 'admins', label: 'Admins' },
  { value: 'all', label: 'All' },
];

export function isStatusFilter(v: string | null): v is Status {
  return STATUS_OPTIONS.some((o) => o.value === v);
}

/**
 * The status tabs of the users list, as a radio group: one is chosen, arrow
 * keys move the choice. Each shows the organization's count; with a team or
 * a search on (wholeOrganization), each says that it counts the whole
 * organization, not what the list shows (docs/decisions.md, "Status counts").
 */
export function StatusFilter({
  value,
  counts,
  onChange,
  labelId,
  wholeOrganization = false,
}: {
  wholeOrganization?: boolean;
  value: Status;
  counts?: UserCounts;
  onChange: (v: Status) => void;
  labelId: string;
}) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);

  function onKeyDown(e: KeyboardEvent<HTMLButtonElement>, index: number) {
    const n = STATUS_OPTIONS.length;
    let next = -1;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') next = (index + 1) % n;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') next = (index - 1 + n) % n;
    else if (e.key === 'Home') next = 0;
    else if (e.key === 'End') next = n - 1;
    if (next < 0) return;
    e.preventDefault();
    onChange(STATUS_OPTIONS[next]!.value);
    refs.current[next]?.focus();
  }

  return (
    <div role="radiogroup" aria-labelledby={labelId} className="segmented">
      {STATUS_OPTIONS.map((o, i) => {
        const checked = o.value === value;
        const count = counts?.[o.value];
        return (
          <button
            key={o.value}
            ref={(el) => {
              refs.current[i] = el;
            }}
            type="button"
            role="radio"
            aria-checked={checked}
            aria-label={o.label}
            aria-describedby={`status-count-${o.value}`}
            tabIndex={checked ? 0 : -1}
            className="segment"
            onClick={() => onChange(o.value)}
            onKeyDown={(e) => onKeyDown(e, i)}
          >
            <span>{o.label}</span>
            <span id={`status-count-${o.value}`} className="segment-count">
              {count === undefined ? (
                <span className="segment-count-loading" aria-hidden="true" />
              ) : (
                <>
                  <span aria-hidden="true">{count}</span>
                  <span className="visually-hidden">{`${count} ${count === 1 ? 'user' : 'users'}${wholeOrganization ? ' in the whole organization' : ''}`}</span>
                </>
              )}
            </span>
          </button>
        );
      })}
    </div>
  );
}
