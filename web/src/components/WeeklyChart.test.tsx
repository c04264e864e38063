import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { UsageWeek } from '../api';
import { niceMax, WeeklyChart } from './WeeklyChart';

const weeks: UsageWeek[] = Array.from({ length: 12 }, (_, i) => ({
  weekStart: new Date(Date.UTC(2026, 8, 7 + 7 * i)).toISOString().slice(0, 10),
  activeLearners: i,
  viewings: i * 3,
  seconds: i * 600,
  completed: 0,
  labsStarted: 0,
  labsCompleted: 0,
  logins: 0,
}));

describe('WeeklyChart', () => {
  it('rounds the scale up to a nice number', () => {
    expect(niceMax(0)).toBe(4);
    expect(niceMax(7)).toBe(8);
    expect(niceMax(33)).toBe(40);
    expect(niceMax(978)).toBe(1000);
    expect(niceMax(0.7)).toBeCloseTo(0.8);
  });

  it('draws a bar and a dot a week, says what it shows, and sets no inline style (the CSP forbids them)', async () => {
    const { container } = render(
      <WeeklyChart
        title="Viewings per week"
        weeks={weeks}
        bars={{ label: 'Viewings', value: (w) => w.viewings }}
        line={{ label: 'Active learners', value: (w) => w.activeLearners }}
        extra={[{ label: 'Minutes', value: (w) => w.seconds / 60 }]}
      />,
    );
    const chart = screen.getByRole('img');
    expect(chart).toHaveAccessibleName(expect.stringContaining('Viewings per week'));
    expect(chart).toHaveAccessibleName(expect.stringContaining('198 in all, the most (33) in the week of 23 Nov'));
    expect(chart.querySelectorAll('rect.chart-bar')).toHaveLength(12);
    expect(chart.querySelectorAll('circle.chart-dot')).toHaveLength(12);
    expect(container.querySelectorAll('[style]')).toHaveLength(0);

    await userEvent.click(screen.getByText('Show the figures'));
    const table = screen.getByRole('table', { name: 'Viewings per week' });
    expect(within(table).getAllByRole('row')).toHaveLength(13);
    expect(within(table).getByRole('rowheader', { name: '23 Nov' }).closest('tr')).toHaveTextContent('23 Nov3311110');
  });
});
