// Weekly usage as a chart. This module (and recharts with it) is loaded only
// when there is usage to show: the dashboard imports it with React.lazy.

import { Bar, CartesianGrid, ComposedChart, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { UsageWeek } from '../../api';
import { formatWeek } from '../../format';

const COLORS = { viewings: '#9db8f0', activeUsers: '#1d4ed8', grid: '#e5e8ee', axis: '#5b6472' };

export default function UsageChart({ usage }: { usage: UsageWeek[] }) {
  const data = usage.map((w) => ({ ...w, label: formatWeek(w.weekStart) }));
  return (
    // The chart is drawn for sighted people; the table beside it says the same to screen readers.
    <div aria-hidden="true" className="chart">
      <ComposedChart
        responsive
        accessibilityLayer={false}
        data={data}
        margin={{ top: 8, right: 8, bottom: 0, left: 0 }}
        style={{ width: '100%', height: 280 }}
      >
        <CartesianGrid stroke={COLORS.grid} vertical={false} />
        <XAxis dataKey="label" tick={{ fill: COLORS.axis, fontSize: 12 }} tickLine={false} axisLine={{ stroke: COLORS.grid }} />
        <YAxis
          yAxisId="learners"
          allowDecimals={false}
          tick={{ fill: COLORS.axis, fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          width={40}
        />
        <YAxis
          yAxisId="viewings"
          orientation="right"
          allowDecimals={false}
          tick={{ fill: COLORS.axis, fontSize: 12 }}
          tickLine={false}
          axisLine={false}
          width={48}
        />
        <Tooltip cursor={{ fill: 'rgba(29, 78, 216, 0.06)' }} />
        <Legend iconType="circle" wrapperStyle={{ fontSize: 13, color: COLORS.axis }} />
        <Bar yAxisId="viewings" dataKey="viewings" name="Viewings" fill={COLORS.viewings} radius={[3, 3, 0, 0]} isAnimationActive={false} />
        <Line
          yAxisId="learners"
          dataKey="activeUsers"
          name="Active learners"
          stroke={COLORS.activeUsers}
          strokeWidth={2}
          dot={{ r: 3 }}
          isAnimationActive={false}
        />
      </ComposedChart>
    </div>
  );
}
