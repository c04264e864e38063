import { Link } from 'react-router';
import { api, type Subscription as SubscriptionData } from '../../api';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { PageHeader } from '../../components/PageHeader';
import { Skeleton } from '../../components/Skeleton';
import { useLoad } from '../../hooks/useLoad';
import { usePageTitle } from '../../hooks/usePageTitle';
import { useMe } from '../../session';
import { featureLabel, seatShare } from './subscription';
import { AccessCard } from './AccessCard';
import { AccessWarningAlert } from './AccessWarningAlert';
import { SeatMeter } from './SeatMeter';
import { SeatHistoryCard } from './SeatHistoryCard';
import { RemindersCard } from './RemindersCard';
import { TimeZoneCard } from './TimeZoneCard';
import './subscription.css';

export function Subscription() {
  usePageTitle('Subscription');
  const me = useMe();
  const load = useLoad((signal) => api.subscription(signal), []);
  return (
    <>
      <PageHeader title="Subscription" subtitle={`${me.organization.name}’s contract: seats, access dates and what is included.`} />
      {load.status === 'error' ? (
        <LoadError what="subscription" message={load.error.message} onRetry={load.reload} />
      ) : null}
      {load.status === 'done' ? <SubscriptionBody sub={load.data} /> : null}
      {load.status === 'loading' ? (
        <div className="grid-2" aria-busy="true" aria-label="Loading the subscription">
          {[0, 1, 2].map((i) => (
            <div key={i} className="card card-padded card-skeleton">
              <Skeleton width="30%" height={18} />
              <Skeleton width="70%" height={36} />
            </div>
          ))}
        </div>
      ) : null}
    </>
  );
}

function SubscriptionBody({ sub }: { sub: SubscriptionData }) {
  const share = seatShare(sub.seats);
  return (
    <div className="stack">
      <AccessWarningAlert period={sub} />
      <div className="grid-2">
        <Card titleId="sub-seats-title" title="Seats">
          <dl className="stats stats-3">
            <div className="stat">
              <dt>Total seats</dt>
              <dd className="stat-value">{sub.seats.total}</dd>
            </div>
            <div className="stat">
              <dt>In use</dt>
              <dd className="stat-value">{sub.seats.used}</dd>
            </div>
            <div className="stat">
              <dt>Available</dt>
              <dd className="stat-value">{sub.seats.available}</dd>
            </div>
          </dl>
          <SeatMeter share={share} />
          <p className="card-footnote">
            Each learner with a seat uses one. Admin rights use no seat. To add seats, contact your account manager.
          </p>
        </Card>
        <AccessCard period={sub} title="Access dates" />
      </div>
      <SeatHistoryCard />
      <TimeZoneCard />
      <RemindersCard />
      <Card titleId="features-title" title="Included features">
        {sub.features.length === 0 ? (
          <p className="muted">No features are listed for this subscription. Contact your account manager.</p>
        ) : (
          <ul className="feature-list">
            {sub.features.map((f) => (
              <li key={f} className="feature">
                <svg aria-hidden="true" focusable="false" width="18" height="18" viewBox="0 0 20 20">
                  <path d="M4 10.5l4 4 8-9" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
                {f === 'assignments' ? <Link to="/assignments">{featureLabel(f)}</Link> : featureLabel(f)}
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}
