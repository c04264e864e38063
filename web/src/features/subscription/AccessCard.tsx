import type { AccessPeriod } from '../../api';
import { Badge } from '../../components/Badge';
import { Card } from '../../components/Card';
import { formatDate, plural } from '../../format';
import { daysLeft, subscriptionStatusLabel } from './subscription';

/** When access starts and ends, and how many days are left. */
export function AccessCard({ period, title = 'Access' }: { period: AccessPeriod; title?: string }) {
  const left = daysLeft(period);
  const tone = period.status === 'active' ? 'green' : period.status === 'upcoming' ? 'blue' : 'red';
  return (
    <Card titleId="access-title" title={title} aside={<Badge tone={tone}>{subscriptionStatusLabel(period.status)}</Badge>}>
      <dl className="stats">
        <div className="stat">
          <dt>Access starts</dt>
          <dd className="stat-value stat-value-small">{formatDate(period.startsAt)}</dd>
        </div>
        <div className="stat">
          <dt>Access ends</dt>
          <dd className="stat-value stat-value-small">{formatDate(period.endsAt)}</dd>
        </div>
      </dl>
      <p className="card-footnote">
        {period.status === 'active'
          ? `${plural(left, 'day')} of access left, including today.`
          : period.status === 'upcoming'
            ? `Access begins on ${formatDate(period.startsAt)}.`
            : `Access ended on ${formatDate(period.endsAt)}.`}
      </p>
    </Card>
  );
}
