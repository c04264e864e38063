// Weeks of activity as a chart: bars for one figure, optionally a line for a
// second on its own scale. Inline SVG, sized to its box (a ResizeObserver
// measures it), coloured by classes in weeklyChart.css: no chart library and
// no inline styles (the CSP allows none). The SVG says what it shows in its
// title and description; the figures are in a table under "Show the figures".

import { useEffect, useId, useRef, useState, type RefObject } from 'react';
import type { UsageWeek } from '../api';
import { formatWeek } from '../format';
import './weeklyChart.css';

/** One figure of the weeks: how to read it, name it and print it. */
export interface WeeklySeries {
  label: string;
  value: (w: UsageWeek) => number;
  /** How a value is printed (axis, table); plain numbers by default. */
  format?: (n: number) => string;
}

const plain = (n: number) => n.toLocaleString('en-GB');

/** The smallest "nice" number (1, 2, 2.5 or 5 × 10ⁿ) at least as large as max / ticks, times ticks. */
export function niceMax(max: number, ticks = 4): number {
  if (max <= 0) return ticks;
  const raw = max / ticks;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  return step * ticks;
}

/** The width of an element, followed as it changes. */
function useWidth<T extends HTMLElement>(fallback: number): [RefObject<T | null>, number] {
  const ref = useRef<T>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => {
      const w = Math.floor(el.getBoundingClientRect().width);
      if (w > 0) setWidth(w);
    };
    measure();
    if (typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, width];
}

export function WeeklyChart({
  title,
  weeks,
  bars,
  line,
  extra = [],
  height = 220,
}: {
  /** What the chart shows, e.g. "Usage over the last 12 weeks": the SVG's title and the table's caption. */
  title: string;
  weeks: UsageWeek[];
  bars: WeeklySeries;
  line?: WeeklySeries;
  /** More columns for the table of figures. */
  extra?: WeeklySeries[];
  height?: number;
}) {
  const id = useId();
  const [boxRef, width] = useWidth<HTMLDivElement>(640);
  const fmtBars = bars.format ?? plain;
  const fmtLine = line?.format ?? plain;

  // Room on the right for the line's axis, or for half of the last week's label.
  const margin = { top: 12, right: line ? 40 : 24, bottom: 28, left: 44 };
  const plotW = Math.max(60, width - margin.left - margin.right);
  const plotH = height - margin.top - margin.bottom;
  const band = plotW / Math.max(1, weeks.length);
  const barW = Math.max(4, Math.min(40, band * 0.6));
  const barValues = weeks.map(bars.value);
  const lineValues = line ? weeks.map(line.value) : [];
  const barMax = niceMax(Math.max(0, ...barValues));
  const lineMax = niceMax(Math.max(0, ...lineValues));
  const yBar = (v: number) => margin.top + plotH - (v / barMax) * plotH;
  const yLine = (v: number) => margin.top + plotH - (v / lineMax) * plotH;
  const xCentre = (i: number) => margin.left + band * i + band / 2;
  const ticks = [0, 1, 2, 3, 4].map((k) => k / 4);
  // Every week's label when there is room, else every other one, ending with this week's.
  const labelEvery = band >= 48 ? 1 : band >= 26 ? 2 : 3;

  const describe = (w: UsageWeek) =>
    `Week of ${formatWeek(w.weekStart)}: ${fmtBars(bars.value(w))} ${bars.label.toLowerCase()}` +
    (line ? `, ${fmtLine(line.value(w))} ${line.label.toLowerCase()}` : '');
  const total = barValues.reduce((a, b) => a + b, 0);
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  const busiest = weeks.reduce<{ week?: UsageWeek; value: number }>(
    (best, w, i) => ((barValues[i] ?? 0) > best.value || !best.week ? { week: w, value: barValues[i] ?? 0 } : best),
    { value: 0 },
  );
  const summary =
    !first || !last || !busiest.week
      ? 'No weeks to show.'
      : `${bars.label} per week from ${formatWeek(first.weekStart)} to ${formatWeek(last.weekStart)}: ` +
        `${fmtBars(total)} in all, the most (${fmtBars(busiest.value)}) in the week of ${formatWeek(busiest.week.weekStart)}.` +
        (line ? ` ${line.label}: up to ${fmtLine(Math.max(0, ...lineValues))} a week.` : '');
  const points = lineValues.map((v, i) => `${xCentre(i).toFixed(1)},${yLine(v).toFixed(1)}`).join(' ');

  return (
    <figure className="weekly-chart">
      <div ref={boxRef} className="weekly-chart-box">
        <svg
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
          role="img"
          aria-labelledby={`${id}-title ${id}-desc`}
          className="weekly-chart-svg"
        >
          <title id={`${id}-title`}>{title}</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {ticks.map((k) => (
            <g key={k}>
              <line className="chart-grid" x1={margin.left} x2={margin.left + plotW} y1={yBar(barMax * k)} y2={yBar(barMax * k)} />
              <text className="chart-axis" x={margin.left - 6} y={yBar(barMax * k)} dy="0.32em" textAnchor="end">
                {fmtBars(barMax * k)}
              </text>
              {line ? (
                <text className="chart-axis chart-axis-line" x={margin.left + plotW + 6} y={yLine(lineMax * k)} dy="0.32em">
                  {fmtLine(lineMax * k)}
                </text>
              ) : null}
            </g>
          ))}
          {weeks.map((w, i) => {
            const v = barValues[i] ?? 0;
            const y = yBar(v);
            return (
              <g key={w.weekStart}>
                <title>{describe(w)}</title>
                <rect className="chart-band" x={margin.left + band * i} y={margin.top} width={band} height={plotH} />
                <rect className="chart-bar" x={xCentre(i) - barW / 2} y={y} width={barW} height={Math.max(0, margin.top + plotH - y)} rx={2} />
                {(weeks.length - 1 - i) % labelEvery === 0 ? (
                  <text className="chart-axis" x={xCentre(i)} y={height - 8} textAnchor="middle">
                    {formatWeek(w.weekStart)}
                  </text>
                ) : null}
              </g>
            );
          })}
          {line ? (
            <g className="chart-line-group">
              <polyline className="chart-line" points={points} />
              {weeks.map((w, i) => (
                <circle key={w.weekStart} className="chart-dot" cx={xCentre(i)} cy={yLine(lineValues[i] ?? 0)} r={3} />
              ))}
            </g>
          ) : null}
        </svg>
      </div>
      <figcaption className="weekly-chart-legend">
        <span className="legend-entry">
          <span className="legend-swatch chart-swatch-bar" aria-hidden="true" />
          {bars.label}
          <span className="muted"> (left)</span>
        </span>
        {line ? (
          <span className="legend-entry">
            <span className="legend-swatch chart-swatch-line" aria-hidden="true" />
            {line.label}
            <span className="muted"> (right)</span>
          </span>
        ) : null}
      </figcaption>
      <details className="weekly-chart-figures">
        <summary>Show the figures</summary>
        {/* Focusable, so that a keyboard can scroll it where it is wider than the window. */}
        <div className="weekly-chart-table-wrap" role="region" aria-label={`${title}: figures`} tabIndex={0}>
          <table className="table weekly-chart-table">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">Week of</th>
                {[bars, ...(line ? [line] : []), ...extra].map((s) => (
                  <th key={s.label} scope="col">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {weeks.map((w) => (
                <tr key={w.weekStart}>
                  <th scope="row">{formatWeek(w.weekStart)}</th>
                  {[bars, ...(line ? [line] : []), ...extra].map((s) => (
                    <td key={s.label}>{(s.format ?? plain)(s.value(w))}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
