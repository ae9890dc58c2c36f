// The statistics charts: plain SVG drawn here (no chart library, nothing fetched), each a figure with
// a title and a description for screen readers and the same numbers as a table. Right to left, the
// charts are mirrored so they read from the right.
import type { ComponentChildren } from 'preact';

export const COLORS = { opened: '#0b5394', claimed: '#2e7d32', abandoned: '#8a4b00', bar: '#0b5394', mark: '#a4161a', ink: '#1b1f23', line: '#c9d1d9' } as const;

const W = 720;

export interface ChartText {
  readonly rtl: boolean;
  readonly fmt: (n: number) => string;
  readonly showTable: string;
}

/** Maps x of a left-to-right drawing to the reading direction. */
const mirror = (rtl: boolean) => (x: number, width = 0) => (rtl ? W - x - width : x);
const anchor = (rtl: boolean, a: 'start' | 'end'): 'start' | 'end' => (rtl ? (a === 'start' ? 'end' : 'start') : a);

function Figure(props: { id: string; title: string; desc: string; height: number; text: ChartText; table: ComponentChildren; children: ComponentChildren }) {
  return (
    <figure class="chart" data-chart={props.id}>
      <figcaption id={`${props.id}-caption`}>
        <h3>{props.title}</h3>
        <p class="hint">{props.desc}</p>
      </figcaption>
      <svg role="img" aria-labelledby={`${props.id}-title ${props.id}-desc`} viewBox={`0 0 ${W} ${props.height}`} width="100%" direction="ltr">
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>{props.desc}</desc>
        {props.children}
      </svg>
      <details>
        <summary>{props.text.showTable}</summary>
        {props.table}
      </details>
    </figure>
  );
}

export interface Series {
  readonly key: 'opened' | 'claimed' | 'abandoned';
  readonly label: string;
}

/** The table version of a chart with one count per row. */
function CountTable(props: { nameLabel: string; countLabel: string; fmt: (n: number) => string; rows: ReadonlyArray<{ key: string; label: string; value: number }> }) {
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">{props.nameLabel}</th>
          <th scope="col">{props.countLabel}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={r.key}>
            <th scope="row">{r.label}</th>
            <td>{props.fmt(r.value)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Grouped bars per day (opened, claimed, abandoned). */
export function FlowChart(props: {
  id: string;
  title: string;
  desc: string;
  dayLabel: string;
  series: readonly Series[];
  days: ReadonlyArray<{ day: string; opened: number; claimed: number; abandoned: number }>;
  text: ChartText;
}) {
  const { rtl, fmt } = props.text;
  const x = mirror(rtl);
  const H = 260;
  const top = 16;
  const bottom = 40;
  const left = 48;
  const plotW = W - left - 12;
  const plotH = H - top - bottom;
  const max = Math.max(1, ...props.days.flatMap((d) => props.series.map((s) => d[s.key])));
  const slot = plotW / Math.max(1, props.days.length);
  const barW = Math.max(1, (slot * 0.8) / props.series.length);
  const y = (v: number) => top + plotH - (v / max) * plotH;
  const labelEvery = Math.max(1, Math.ceil(props.days.length / 8));
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      height={H}
      text={props.text}
      table={
        <table>
          <thead>
            <tr>
              <th scope="col">{props.dayLabel}</th>
              {props.series.map((s) => (
                <th scope="col" key={s.key}>
                  {s.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {props.days.map((d) => (
              <tr key={d.day}>
                <th scope="row">{d.day}</th>
                {props.series.map((s) => (
                  <td key={s.key}>{fmt(d[s.key])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      <line x1={x(left)} x2={x(left + plotW)} y1={top + plotH} y2={top + plotH} stroke={COLORS.ink} />
      <line x1={x(left)} x2={x(left + plotW)} y1={top} y2={top} stroke={COLORS.line} stroke-dasharray="4 4" />
      <text x={x(left - 6)} y={top + 4} text-anchor={anchor(rtl, 'end')} font-size="12" fill={COLORS.ink}>
        {fmt(max)}
      </text>
      <text x={x(left - 6)} y={top + plotH} text-anchor={anchor(rtl, 'end')} font-size="12" fill={COLORS.ink}>
        {fmt(0)}
      </text>
      {props.days.map((d, i) => (
        <g key={d.day}>
          {props.series.map((s, j) => {
            const v = d[s.key];
            const bx = left + i * slot + slot * 0.1 + j * barW;
            return v > 0 ? <rect key={s.key} data-series={s.key} x={x(bx, barW)} y={y(v)} width={barW} height={top + plotH - y(v)} fill={COLORS[s.key]} /> : null;
          })}
          {i % labelEvery === 0 && (
            <text x={x(left + i * slot + slot / 2)} y={H - 20} text-anchor="middle" font-size="11" fill={COLORS.ink}>
              {d.day.slice(5)}
            </text>
          )}
        </g>
      ))}
      {props.series.map((s, j) => (
        <g key={s.key}>
          <rect x={x(left + j * 190, 12)} y={H - 12} width={12} height={10} fill={COLORS[s.key]} />
          <text x={x(left + j * 190 + 16)} y={H - 3} text-anchor={anchor(rtl, 'start')} font-size="12" fill={COLORS.ink}>
            {s.label}
          </text>
        </g>
      ))}
    </Figure>
  );
}

/** Vertical bars per bucket; `marks` name buckets (e.g. p50, p90). */
export function Histogram(props: {
  id: string;
  title: string;
  desc: string;
  bucketLabel: string;
  countLabel: string;
  /** `label` for the table, `tick` (short) under the bar. */
  buckets: ReadonlyArray<{ label: string; tick: string; count: number; marks?: readonly string[] }>;
  text: ChartText;
}) {
  const { rtl, fmt } = props.text;
  const x = mirror(rtl);
  const H = 252;
  const top = 36;
  const bottom = 44;
  const left = 40;
  const plotW = W - left - 12;
  const plotH = H - top - bottom;
  const max = Math.max(1, ...props.buckets.map((b) => b.count));
  const slot = plotW / Math.max(1, props.buckets.length);
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      height={H}
      text={props.text}
      table={
        <CountTable
          fmt={fmt}
          nameLabel={props.bucketLabel}
          countLabel={props.countLabel}
          rows={props.buckets.map((b) => ({ key: b.label, label: b.marks !== undefined && b.marks.length > 0 ? `${b.label} (${b.marks.join(', ')})` : b.label, value: b.count }))}
        />
      }
    >
      <line x1={x(left)} x2={x(left + plotW)} y1={top + plotH} y2={top + plotH} stroke={COLORS.ink} />
      {props.buckets.map((b, i) => {
        const h = (b.count / max) * plotH;
        const bx = left + i * slot + slot * 0.15;
        const bw = slot * 0.7;
        const marked = b.marks !== undefined && b.marks.length > 0;
        return (
          <g key={b.label}>
            {b.count > 0 && <rect data-bucket={b.label} x={x(bx, bw)} y={top + plotH - h} width={bw} height={h} fill={COLORS.bar} />}
            {b.count > 0 && (
              <text x={x(bx + bw / 2)} y={top + plotH - h - 4} text-anchor="middle" font-size="12" fill={COLORS.ink}>
                {fmt(b.count)}
              </text>
            )}
            {marked && (
              <line x1={x(bx + bw / 2)} x2={x(bx + bw / 2)} y1={18} y2={Math.max(18, top + plotH - h - 16)} stroke={COLORS.mark} stroke-dasharray="3 3" />
            )}
            {marked && (
              <text x={x(bx + bw / 2)} y={14} text-anchor="middle" font-size="12" font-weight="bold" fill={COLORS.mark}>
                {b.marks?.join(' ')}
              </text>
            )}
            <text x={x(left + i * slot + slot / 2)} y={H - 26} text-anchor="middle" font-size="11" fill={COLORS.ink}>
              {b.tick}
            </text>
          </g>
        );
      })}
    </Figure>
  );
}

/** Horizontal bars, one per row, largest first. */
export function BarList(props: {
  id: string;
  title: string;
  desc: string;
  nameLabel: string;
  countLabel: string;
  rows: ReadonlyArray<{ key: string; label: string; value: number }>;
  text: ChartText;
}) {
  const { rtl, fmt } = props.text;
  const x = mirror(rtl);
  const rowH = 26;
  const H = Math.max(1, props.rows.length) * rowH + 8;
  const labelW = 220;
  const plotW = W - labelW - 60;
  const max = Math.max(1, ...props.rows.map((r) => r.value));
  return (
    <Figure
      id={props.id}
      title={props.title}
      desc={props.desc}
      height={H}
      text={props.text}
      table={<CountTable fmt={fmt} nameLabel={props.nameLabel} countLabel={props.countLabel} rows={props.rows} />}
    >
      {props.rows.map((r, i) => {
        const w = (r.value / max) * plotW;
        const y = 4 + i * rowH;
        return (
          <g key={r.key}>
            <text x={x(labelW - 8)} y={y + 16} text-anchor={anchor(rtl, 'end')} font-size="12" fill={COLORS.ink}>
              {r.label}
            </text>
            <rect data-row={r.key} x={x(labelW, w)} y={y + 3} width={Math.max(w, r.value > 0 ? 2 : 0)} height={rowH - 8} fill={COLORS.bar} />
            <text x={x(labelW + w + 6)} y={y + 16} text-anchor={anchor(rtl, 'start')} font-size="12" fill={COLORS.ink}>
              {fmt(r.value)}
            </text>
          </g>
        );
      })}
    </Figure>
  );
}
