import { svg, type TemplateResult } from 'lit';

/** One box: whiskers at min and max, the box from q1 to q3, a line at the median (null where the slice is empty). */
export interface Box {
  label: string;
  min: number | null;
  q1: number | null;
  median: number | null;
  q3: number | null;
  max: number | null;
}

/** Boxes drawn at most; beyond, the table and the CSV have every slice. */
export const MAX_BOXES = 400;

/**
 * Box plots per slice as SVG. Whiskers span the slice's min and max (not p1/p99: the extremes are what a field engineer
 * looks for); the box spans the quartiles, the line is the median. Each box has a title (shown on hover and read by
 * screen readers); the table beside it holds the same numbers for keyboard and screen-reader users.
 */
export function renderBoxplot(boxes: readonly Box[], unit: string): TemplateResult {
  const shown = boxes.slice(0, MAX_BOXES);
  const values = shown.flatMap((box) => [box.min, box.max]).filter((value): value is number => value !== null);
  const low = values.length ? Math.min(...values) : 0;
  const high = values.length ? Math.max(...values) : 1;
  const span = high - low || 1;
  const width = 1000;
  const height = 240;
  const top = 10;
  const plot = height - 2 * top;
  const y = (value: number) => top + plot * (1 - (value - low) / span);
  const step = width / Math.max(1, shown.length);
  const boxWidth = Math.max(1, Math.min(40, step * 0.6));
  return svg`<svg viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" role="img" aria-label=${`Box plots of ${shown.length} slices from ${format(low)} to ${format(high)} ${unit}: whiskers at min and max, boxes from q1 to q3, a line at the median`}>
    <line x1="0" x2=${width} y1=${y(low)} y2=${y(low)} class="axis"></line>
    ${shown.map((box, index) => {
      if (box.min === null || box.max === null || box.q1 === null || box.q3 === null || box.median === null) return svg``;
      const middle = step * (index + 0.5);
      return svg`<g class="box"><title>${box.label}: min ${format(box.min)}, q1 ${format(box.q1)}, median ${format(box.median)}, q3 ${format(box.q3)}, max ${format(box.max)} ${unit}</title>
        <line x1=${middle} x2=${middle} y1=${y(box.max)} y2=${y(box.min)} class="whisker"></line>
        <rect x=${middle - boxWidth / 2} width=${boxWidth} y=${y(box.q3)} height=${Math.max(1, y(box.q1) - y(box.q3))}></rect>
        <line x1=${middle - boxWidth / 2} x2=${middle + boxWidth / 2} y1=${y(box.median)} y2=${y(box.median)} class="median"></line>
      </g>`;
    })}
  </svg>`;
}

export function format(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value);
}
