import { useState } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { api, type AssignmentStatus } from '../../api';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { AssignmentList } from './AssignmentList';
import { NewAssignmentDialog } from './NewAssignmentDialog';
import '../users/users.css';
import './assignments.css';

/** Every open assignment with its progress; cancelled ones on a tab of their own. */
export function Assignments() {
  usePageTitle('Assignments');
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status: AssignmentStatus = params.get('status') === 'cancelled' ? 'cancelled' : 'open';
  const [creating, setCreating] = useState(params.get('new') === '1');
  const list = useLoad((signal) => api.assignments(status, undefined, signal), [status]);
  const teams = useLoad((signal) => api.teams(signal), []);

  return (
    <>
      <PageHeader
        title="Assignments"
        subtitle="Learning modules given to people and teams, with due dates and progress."
        actions={
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New assignment
          </button>
        }
      />
      <div className="card">
        <div className="toolbar" role="group" aria-label="Which assignments">
          <div className="segmented">
            {(['open', 'cancelled'] as const).map((s) => (
              <button
                key={s}
                type="button"
                className="segment"
                aria-pressed={status === s}
                onClick={() => setParams(s === 'open' ? {} : { status: s })}
              >
                {s === 'open' ? 'Open' : 'Cancelled'}
              </button>
            ))}
          </div>
          {list.status === 'done' ? <span className="muted">Today is {list.data.today} in your organization’s time zone.</span> : null}
        </div>
        {list.status === 'error' ? <LoadError what="assignments" message={list.error.message} onRetry={list.reload} /> : null}
        {list.status === 'loading' ? (
          <div className="card-padded" aria-busy="true" aria-label="Loading assignments">
            <Skeleton height={56} />
          </div>
        ) : null}
        {list.status === 'done' ? (
          <AssignmentList
            assignments={list.data.items}
            empty={status === 'cancelled' ? 'No assignment has been cancelled.' : undefined}
          />
        ) : null}
      </div>
      {creating ? (
        <NewAssignmentDialog
          teams={teams.data ?? []}
          today={list.data?.today}
          onClose={() => setCreating(false)}
          onCreated={(a) => {
            setCreating(false);
            void navigate(`/assignments/${encodeURIComponent(a.id)}`);
          }}
        />
      ) : null}
    </>
  );
}
