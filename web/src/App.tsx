import { lazy, Suspense } from 'react';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { AppLayout } from './components/AppLayout';
import { PublicLayout } from './components/PublicLayout';
import { AdminsOnly } from './features/auth/AdminsOnly';
import { AssignmentDetail } from './features/assignments/AssignmentDetail';
import { AuditLog } from './features/audit/AuditLog';
import { Assignments } from './features/assignments/Assignments';
import { Dashboard } from './features/dashboard/Dashboard';
import { IdleSeats } from './features/idle/IdleSeats';
import { ImportPage } from './features/imports/ImportPage';
import { ForgotPassword } from './features/auth/ForgotPassword';
import { ModuleBuilder } from './features/modules/ModuleBuilder';
import { Modules } from './features/modules/Modules';
import { NotFound } from './NotFound';
import { Reports } from './features/exports/Reports';
import { ReportDownload } from './features/schedules/ReportDownload';
import { SchedulePage } from './features/schedules/SchedulePage';
import { SetPassword } from './features/auth/SetPassword';
import { SignIn } from './features/auth/SignIn';
import { Subscription } from './features/subscription/Subscription';
import { NewTeam } from './features/teams/NewTeam';
import { TeamPage } from './features/teams/TeamPage';
import { Teams } from './features/teams/Teams';
import { UserActivity } from './features/users/UserActivity';
import { Users } from './features/users/Users';
import { useSession, type SignInState } from './session';

// Only local runs have a mailbox; its page is not part of the first download.
const Mailbox = lazy(() => import('./features/mailbox/Mailbox'));

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route path="/forgot-password" element={<ForgotPassword />} />
      <Route path="/set-password" element={<SetPassword />} />
      <Route path="/report-download" element={<ReportDownload />} />
      <Route
        path="/dev/mailbox"
        element={
          <Suspense fallback={<Loading />}>
            <Mailbox />
          </Suspense>
        }
      />
      <Route element={<RequireAdmin />}>
        <Route element={<AppLayout />}>
          <Route index element={<Dashboard />} />
          <Route path="users" element={<Users />} />
          <Route path="users/import" element={<ImportPage />} />
          <Route path="users/:userId" element={<UserActivity />} />
          <Route path="teams" element={<Teams />} />
          <Route path="teams/new" element={<NewTeam />} />
          <Route path="teams/:teamId" element={<TeamPage />} />
          <Route path="modules" element={<Modules />} />
          <Route path="modules/new" element={<ModuleBuilder />} />
          <Route path="modules/:moduleId" element={<ModuleBuilder />} />
          <Route path="assignments" element={<Assignments />} />
          <Route path="assignments/:assignmentId" element={<AssignmentDetail />} />
          <Route path="idle-seats" element={<IdleSeats />} />
          <Route path="reports" element={<Reports />} />
          <Route path="reports/schedules/:scheduleId" element={<SchedulePage />} />
          <Route path="subscription" element={<Subscription />} />
          <Route path="audit" element={<AuditLog />} />
        </Route>
      </Route>
      <Route path="*" element={<NotFound />} />
    </Routes>
  );
}

/** The admin pages: sign in first; learners without admin rights see why not. */
function RequireAdmin() {
  const { state, refresh } = useSession();
  const location = useLocation();
  switch (state.status) {
    case 'loading':
      return <Loading />;
    case 'error':
      return (
        <PublicLayout>
          <h1 className="public-title">ProPortal is not answering</h1>
          <div role="alert">
            <p>{state.message}</p>
          </div>
          <button type="button" className="button button-primary button-block" onClick={() => void refresh()}>
            Try again
          </button>
        </PublicLayout>
      );
    case 'signedOut': {
      const from = location.pathname + location.search;
      const signInState: SignInState = {
        ...(from === '/' ? {} : { from }),
        ...(state.expired ? { reason: 'expired' as const } : {}),
      };
      return <Navigate to="/sign-in" replace state={signInState} />;
    }
    case 'signedIn':
      return state.me.user.admin ? <Outlet /> : <AdminsOnly />;
  }
}

function Loading() {
  return (
    <div className="loading-screen" aria-busy="true">
      <span className="brand-mark brand-mark-pulse" aria-hidden="true">
        P
      </span>
      <span className="visually-hidden">Loading ProPortal</span>
    </div>
  );
}
