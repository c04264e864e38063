// Seats used per day over the subscription's term, from the audit log, with
// the seats total as a line: an inline SVG sized to its box, coloured by
// classes (the CSP allows no inline styles). The figures are in a table of
// the days the count changed, under "Show the figures".

import { useEffect, useId, useRef, useState } from 'react';
import { api, type SeatDay } from '../../api';
import { Card } from '../../components/Card';
import { LoadError } from '../../components/LoadError';
import { niceMax } from '../../components/WeeklyChart';
import { formatDate } from '../../format';
import { useLoad } from '../../hooks/useLoad';
import '../../components/weeklyChart.css';

export function SeatHistoryCard() {
  const load = useLoad((signal) => api.seatHistory(signal), []);
  return (
    <Card titleId="seat-history-title" title="Seats used per day">
      {load.status === 'error' ? <LoadError what="seat history" message={load.error.message} onRetry={load.reload} /> : null}
      {load.status === 'loading' ? <p className="muted" aria-busy="true">Loading the seat history…</p> : null}
      {load.status === 'done' ? (
        load.data.days.length === 0 ? (
          <p className="muted">The subscription’s term has not begun: there is no history yet.</p>
        ) : (
          <SeatChart days={load.data.days} total={load.data.seatsTotal} />
        )
      ) : null}
    </Card>
  );
}

function SeatChart({ days, total }: { days: SeatDay[]; total: number }) {
  const id = useId();
  const boxRef = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(640);
  useEffect(() => {
    const el = boxRef.current;
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

  const height = 200;
  const margin = { top: 12, right: 16, bottom: 28, left: 40 };
  const plotW = Math.max(60, width - margin.left - margin.right);
  const plotH = height - margin.top - margin.bottom;
  const max = niceMax(Math.max(total, ...days.map((d) => d.used)));
  const x = (i: number) => margin.left + (days.length <= 1 ? plotW : (i / (days.length - 1)) * plotW);
  const y = (v: number) => margin.top + plotH - (v / max) * plotH;
  // A step line: the count holds until the day it changes.
  const points = days.flatMap((d, i) => (i === 0 ? [`${x(0)},${y(d.used)}`] : [`${x(i)},${y(days[i - 1]!.used)}`, `${x(i)},${y(d.used)}`])).join(' ');
  const changes = days.filter((d, i) => i === 0 || d.used !== days[i - 1]!.used);
  const first = days[0]!;
  const last = days[days.length - 1]!;
  const peak = days.reduce((a, d) => (d.used > a.used ? d : a), first);
  const summary =
    `Seats used per day from ${formatDate(first.date)} to ${formatDate(last.date)}: ${last.used} of ${total} now, ` +
    `at most ${peak.used} (on ${formatDate(peak.date)}).`;
  const labels = [first, days[Math.floor((days.length - 1) / 2)]!, last].filter((d, i, a) => a.indexOf(d) === i);
  return (
    <figure className="weekly-chart">
      <div ref={boxRef} className="weekly-chart-box">
        <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} className="weekly-chart-svg">
          <title id={`${id}-title`}>Seats used per day</title>
          <desc id={`${id}-desc`}>{summary}</desc>
          {[0, 0.25, 0.5, 0.75, 1].map((k) => (
            <g key={k}>
              <line className="chart-grid" x1={margin.left} x2={margin.left + plotW} y1={y(max * k)} y2={y(max * k)} />
              <text className="chart-axis" x={margin.left - 6} y={y(max * k)} dy="0.32em" textAnchor="end">
                {Math.round(max * k)}
              </text>
            </g>
          ))}
          <line className="chart-limit" x1={margin.left} x2={margin.left + plotW} y1={y(total)} y2={y(total)} />
          <polyline className="chart-line" points={points} />
          {labels.map((d) => {
            const i = days.indexOf(d);
            const anchor = i === 0 ? 'start' : i === days.length - 1 ? 'end' : 'middle';
            return (
              <text key={d.date} className="chart-axis" x={x(i)} y={height - 8} textAnchor={anchor}>
                {formatDate(d.date)}
              </text>
            );
          })}
        </svg>
      </div>
      <figcaption className="weekly-chart-legend">
        <span className="legend-entry">
          <span className="legend-swatch chart-swatch-line" aria-hidden="true" />
          Seats used
        </span>
        <span className="legend-entry">
          <span className="legend-swatch chart-swatch-limit" aria-hidden="true" />
          Seats total ({total})
        </span>
      </figcaption>
      <details className="weekly-chart-figures">
        <summary>Show the figures</summary>
        <div className="weekly-chart-table-wrap" role="region" aria-label="Seats used per day: figures" tabIndex={0}>
          <table className="table weekly-chart-table">
            <caption className="visually-hidden">Seats used, on each day the count changed</caption>
            <thead>
              <tr>
                <th scope="col">From</th>
                <th scope="col">Seats used</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((d) => (
                <tr key={d.date}>
                  <th scope="row">{formatDate(d.date)}</th>
                  <td>{d.used}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
