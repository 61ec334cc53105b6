// A line plot drawn on an OffscreenCanvas (works in the kernel's worker, which has no DOM): what a cell saves as a
// picture with fieldscope.saveImage. Min/max per pixel column, so a million points draw as fast as a thousand.

export interface PlotOptions {
  width?: number;
  height?: number;
  title?: string;
  /** Plot 10·log10 of the values (a power spectrum); values ≤ 0 are left out. */
  logY?: boolean;
  /** x of the first value and the step between values (e.g. a spectrum's 0 and df), for the axis labels. */
  x0?: number;
  dx?: number;
  xLabel?: string;
}

const MARGIN = { left: 64, right: 16, top: 28, bottom: 36 };

function label(value: number): string {
  return Math.abs(value) >= 1e4 || (Math.abs(value) < 1e-2 && value !== 0) ? value.toExponential(1) : String(Number(value.toPrecision(3)));
}

/** The values as a PNG line plot. */
export async function plotPng(values: ArrayLike<number>, options: PlotOptions = {}): Promise<Blob> {
  const width = Math.max(160, Math.min(Math.floor(options.width ?? 800), 4000));
  const height = Math.max(120, Math.min(Math.floor(options.height ?? 320), 4000));
  const ys = Float64Array.from(values, (value) => (options.logY ? (value > 0 ? 10 * Math.log10(value) : NaN) : value));
  let low = Infinity;
  let high = -Infinity;
  for (const y of ys) {
    if (!Number.isFinite(y)) continue;
    low = Math.min(low, y);
    high = Math.max(high, y);
  }
  if (!(high >= low)) [low, high] = [0, 1];
  if (high === low) [low, high] = [low - 1, high + 1];
  const canvas = new OffscreenCanvas(width, height);
  const context = canvas.getContext('2d');
  if (!context) throw new Error('This browser cannot draw on an OffscreenCanvas in a worker.');
  context.fillStyle = '#ffffff';
  context.fillRect(0, 0, width, height);
  const plotWidth = width - MARGIN.left - MARGIN.right;
  const plotHeight = height - MARGIN.top - MARGIN.bottom;
  const yAt = (y: number) => MARGIN.top + ((high - y) / (high - low)) * plotHeight;
  context.strokeStyle = '#9aaab0';
  context.strokeRect(MARGIN.left, MARGIN.top, plotWidth, plotHeight);
  context.fillStyle = '#14262c';
  context.font = '12px sans-serif';
  if (options.title) context.fillText(options.title, MARGIN.left, 18);
  context.fillText(label(high) + (options.logY ? ' dB' : ''), 4, MARGIN.top + 10);
  context.fillText(label(low) + (options.logY ? ' dB' : ''), 4, MARGIN.top + plotHeight);
  const x0 = options.x0 ?? 0;
  const dx = options.dx ?? 1;
  context.fillText(label(x0), MARGIN.left, height - 12);
  const last = `${label(x0 + dx * Math.max(0, ys.length - 1))}${options.xLabel ? ` ${options.xLabel}` : ''}`;
  context.fillText(last, width - MARGIN.right - context.measureText(last).width, height - 12);
  context.strokeStyle = '#0f5c6e';
  context.beginPath();
  // One vertical stroke per pixel column, from the column's min to its max.
  for (let column = 0; column < plotWidth && ys.length > 0; column += 1) {
    const from = Math.floor((column * ys.length) / plotWidth);
    const to = Math.max(from + 1, Math.floor(((column + 1) * ys.length) / plotWidth));
    let min = Infinity;
    let max = -Infinity;
    for (let index = from; index < to && index < ys.length; index += 1) {
      const y = ys[index] as number;
      if (!Number.isFinite(y)) continue;
      min = Math.min(min, y);
      max = Math.max(max, y);
    }
    if (min > max) continue;
    const x = MARGIN.left + column + 0.5;
    context.moveTo(x, yAt(max));
    context.lineTo(x, yAt(min) + 0.5);
  }
  context.stroke();
  return canvas.convertToBlob({ type: 'image/png' });
}
