import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, untilAborted } from '../core';
import { storageKey } from '../shared/keys';
import { messageOf } from '../shared/error-report';
import { pageStyles } from '../shared/page-styles';
import { channelCount, getDataArray, type DataArrayDocument } from '../../storage/arrays';
import { computeSourceSpectrogram, type Spectrogram } from '../../compute/spectrum/stft';
import { storageArraySource, type ArraySource } from '../../compute/statistics/array-source';

/** A rectangle: where the image is inside the canvas (device pixels; `plotBox`), or, while drawing, in CSS pixels. */
export interface PlotBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Request {
  id: string;
  source: ArraySource | undefined;
  channel: number;
  start: number | undefined;
  end: number | undefined;
  segment: number;
  columns: number;
  averages: number;
}

type Outcome = { doc: DataArrayDocument; spectrogram: Spectrogram } | { problem: string };

/** Room around the image for the axes and the colour legend (CSS pixels). */
const MARGIN = { left: 64, right: 84, top: 10, bottom: 40 };
/**
 * Segments read per picture at most: a storage call costs ≈ 5–7 ms in IndexedDB here, so a picture of a huge array
 * takes seconds, not minutes. Wide pictures average fewer segments per column.
 */
const SEGMENT_BUDGET = 2048;
/** The colour scale covers the top this many dB: below it, everything is the darkest colour. */
const DEFAULT_DYNAMIC_RANGE = 100;

/**
 * Viridis-like control points (position 0 … 1, sRGB): dark blue-violet to yellow, lightness rising steadily so
 * louder always reads as brighter, also in greyscale and for the common colour-vision deficiencies.
 */
const COLOUR_STOPS: [number, [number, number, number]][] = [
  [0, [68, 1, 84]],
  [0.125, [71, 44, 122]],
  [0.25, [59, 81, 139]],
  [0.375, [44, 113, 142]],
  [0.5, [33, 144, 141]],
  [0.625, [39, 173, 129]],
  [0.75, [92, 200, 99]],
  [0.875, [170, 220, 50]],
  [1, [253, 231, 37]],
];

/** The colour at t ∈ [0, 1], interpolated linearly between the control points. */
export function colourAt(t: number): [number, number, number] {
  const x = Math.min(1, Math.max(0, t));
  const upper = Math.max(1, COLOUR_STOPS.findIndex(([position]) => position >= x));
  const [p0, c0] = COLOUR_STOPS[upper - 1]!;
  const [p1, c1] = COLOUR_STOPS[upper]!;
  const f = (x - p0) / (p1 - p0);
  return [0, 1, 2].map((i) => Math.round(c0[i]! + (c1[i]! - c0[i]!) * f)) as [number, number, number];
}

/** 256 precomputed colours (RGB triplets): painting a pixel is a table look-up. */
const PALETTE = Uint8ClampedArray.from({ length: 256 * 3 }, (_, i) => colourAt(Math.floor(i / 3) / 255)[i % 3]!);

/**
 * The spectrogram (STFT) of one channel of a Data Array as an image: time to the right, frequency upwards, power as
 * colour (dB, legend at the right). Computed with bounded memory and reads whatever the array's length (see
 * computeSpectrogram), as a job: a new array, channel or range cancels the computation in progress. Redraws when its
 * box resizes (CSS height: `--spectrogram-height`). Fires `spectrogram-drawn` (detail: the Spectrogram) after each
 * drawing; `toBlob()` gives the picture, axes included, as a PNG.
 */
export class SpectrogramGadget extends Gadget {
  static override properties = {
    arrayId: { type: String, attribute: 'array-id' },
    source: { attribute: false },
    channel: { type: Number },
    start: { type: Number },
    end: { type: Number },
    segment: { type: Number },
    dynamicRange: { type: Number, attribute: 'dynamic-range' },
    result: { state: true },
    doc: { state: true },
    progress: { state: true },
    problem: { state: true },
  };

  declare arrayId: string;
  /** What to analyse when it is not a stored array by id (a calibrated signal; wins over `array-id`). */
  declare source: ArraySource | undefined;
  /** 0-based channel. Default 0. */
  declare channel: number;
  /** Sample range [start, end) to analyse; default the whole array. */
  declare start: number | undefined;
  declare end: number | undefined;
  /** FFT length (power of two): frequency resolution = sampling rate / segment. Default 1024. */
  declare segment: number;
  /** dB covered by the colour scale, down from the loudest value. Default 100. */
  declare dynamicRange: number;
  declare private result: Spectrogram | undefined;
  declare private doc: DataArrayDocument | undefined;
  /** 0 … 1 while computing, undefined when idle. */
  declare private progress: number | undefined;
  declare private problem: string | undefined;

  private plot: PlotBox | undefined;
  /** Columns asked for in the last request: a wider box asks for more. */
  private requestedColumns = 0;

  constructor() {
    super();
    this.arrayId = '';
    this.source = undefined;
    this.channel = 0;
    this.start = undefined;
    this.end = undefined;
    this.segment = 1024;
    this.dynamicRange = DEFAULT_DYNAMIC_RANGE;
    this.result = undefined;
    this.doc = undefined;
    this.progress = undefined;
    this.problem = undefined;
    this.service(async (signal) => {
      await this.updateComplete;
      if (signal.aborted) return;
      const resize = new ResizeObserver(() => {
        this.draw();
        // Wider than the columns computed: compute more (narrower boxes just scale the image down). Only when the
        // column limit, not the range's length, set the column count.
        const limited = this.result?.columns === this.requestedColumns;
        if (limited && this.progress === undefined && this.columnsForWidth() > this.requestedColumns) this.recompute();
      });
      resize.observe(this.frame!);
      await untilAborted(signal);
      resize.disconnect();
    });
  }

  /** The spectrogram on screen (undefined before the first one is drawn). */
  get spectrogram(): Spectrogram | undefined {
    return this.result;
  }

  /** Where the image is drawn inside the canvas, in canvas pixels. */
  get plotBox(): PlotBox | undefined {
    return this.plot;
  }

  /** The canvas as a PNG (axes and legend included), e.g. to keep as an Image document. */
  toBlob(): Promise<Blob> {
    const canvas = this.canvas;
    if (!canvas || !this.result || !this.plot) return Promise.reject(new Error('The spectrogram is not drawn yet.'));
    return new Promise((resolve, reject) =>
      canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The image could not be encoded.'))), 'image/png'),
    );
  }

  private readonly compute = this.job(
    async (signal, request: Request): Promise<Outcome> => {
      this.problem = undefined;
      this.progress = 0;
      try {
        let source = request.source;
        if (!source) {
          const storage = await this.acquireWith({ signal }, storageKey);
          source = storageArraySource(storage, request.id, await getDataArray(storage, request.id, { signal }));
        }
        const { doc } = source;
        const spectrogram = await computeSourceSpectrogram(
          source,
          { channel: request.channel, segment: request.segment, columns: request.columns, averages: request.averages, start: request.start, end: request.end },
          {
            signal,
            // Whole percents only: one re-render per percent, not per column.
            onProgress: (fraction) => {
              if (!signal.aborted && Math.floor(fraction * 100) !== Math.floor((this.progress ?? 0) * 100)) this.progress = fraction;
            },
          },
        );
        return { doc, spectrogram };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: `The spectrogram cannot be computed: ${messageOf(error)}` };
      }
    },
    (outcome) => {
      this.progress = undefined;
      if ('problem' in outcome) {
        this.problem = outcome.problem;
        this.result = undefined;
        return;
      }
      this.doc = outcome.doc;
      this.result = outcome.spectrogram;
    },
  );

  private recompute(): void {
    if (!this.arrayId && !this.source) return;
    const columns = this.columnsForWidth();
    this.requestedColumns = columns;
    const averages = Math.max(1, Math.min(4, Math.floor(SEGMENT_BUDGET / columns)));
    void this.compute({ id: this.arrayId, source: this.source, channel: this.channel, start: this.start, end: this.end, segment: this.segment, columns, averages });
  }

  /** About one column per CSS pixel of the image, in steps of 64 (so small resizes do not recompute), 64 … 1024. */
  private columnsForWidth(): number {
    const width = (this.frame?.clientWidth ?? this.clientWidth) - MARGIN.left - MARGIN.right;
    if (!(width > 0)) return 512;
    return Math.min(1024, Math.max(64, Math.ceil(width / 64) * 64));
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const inputs = ['arrayId', 'source', 'channel', 'start', 'end', 'segment'] as const;
    if (inputs.some((name) => changed.has(name))) {
      if (changed.has('arrayId') || changed.has('source')) this.result = undefined; // another array: never show the previous one's picture
      this.recompute();
    }
  }

  protected override updated(changed: PropertyValues): void {
    if (changed.has('result') || changed.has('dynamicRange')) this.draw();
  }

  override connectedCallback(): void {
    super.connectedCallback();
    // A computation cut short by detaching is not restarted by the runtime: start it again.
    if (this.progress !== undefined) this.recompute();
  }

  private get frame(): HTMLElement | null {
    return this.renderRoot.querySelector<HTMLElement>('.frame');
  }

  private get canvas(): HTMLCanvasElement | null {
    return this.renderRoot.querySelector('canvas');
  }

  /** Paints the image, axes and legend at the canvas's current size (device pixels). */
  private draw(): void {
    const canvas = this.canvas;
    const frame = this.frame;
    const context = canvas?.getContext('2d');
    if (!canvas || !frame || !context) return;
    const scale = window.devicePixelRatio || 1;
    const width = frame.clientWidth;
    const height = frame.clientHeight;
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    const style = getComputedStyle(this);
    context.setTransform(1, 0, 0, 1, 0, 0);
    context.fillStyle = style.getPropertyValue('--surface').trim() || '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    this.plot = undefined;
    const result = this.result;
    const inner = { x: MARGIN.left, y: MARGIN.top, width: width - MARGIN.left - MARGIN.right, height: height - MARGIN.top - MARGIN.bottom };
    if (!result || inner.width < 16 || inner.height < 16) return;

    const top = result.maxDb;
    const bottom = Math.max(result.minDb, top - this.dynamicRange);
    const plot: PlotBox = {
      x: Math.round(inner.x * scale),
      y: Math.round(inner.y * scale),
      width: Math.round(inner.width * scale),
      height: Math.round(inner.height * scale),
    };
    const image = context.createImageData(plot.width, plot.height);
    paint(result, image, bottom, top > bottom ? top : bottom + 1);
    context.putImageData(image, plot.x, plot.y);
    this.plot = plot;

    context.setTransform(scale, 0, 0, scale, 0, 0);
    context.font = `12px ${style.fontFamily || 'sans-serif'}`;
    context.fillStyle = context.strokeStyle = style.color || '#14262c';
    context.lineWidth = 1;
    drawAxes(context, result, inner);
    drawLegend(context, inner, bottom, top);
    this.dispatchEvent(new CustomEvent<Spectrogram>('spectrogram-drawn', { detail: result, bubbles: true, composed: true }));
  }

  /** "Spectrogram of hum, channel 2, 0–4000 Hz over 12.5 s; colours from −100 dB (dark) to 0 dB (bright)". */
  private describe(): string {
    const { doc, result } = this;
    if (!doc || !result) return 'Spectrogram (not computed yet)';
    const channel = channelCount(doc) > 1 ? `, ${doc.channel_labels?.[this.channel] ?? `channel ${this.channel + 1}`}` : '';
    const nyquist = (result.bins - 1) * result.frequencyStep;
    const duration = result.columns * result.timeStep;
    const durationText = result.timeUnit === 's' ? `${round3(duration)} s` : `${Math.round(duration)} samples`;
    const top = result.maxDb;
    const bottom = Math.max(result.minDb, top - this.dynamicRange);
    return (
      `Spectrogram of ${doc.title || 'the array'}${channel}, 0–${round3(nyquist)} ${result.frequencyUnit} over ${durationText}; ` +
      `colours from ${formatDb(bottom)} (dark) to ${formatDb(top)} (bright)`
    );
  }

  override render() {
    const computing = this.progress !== undefined;
    return html`
      <p class="status" role="status">${computing ? 'Computing the spectrogram…' : ''}</p>
      ${computing ? html`<progress max="100" .value=${Math.round((this.progress ?? 0) * 100)} aria-label="Spectrogram computed"></progress>` : nothing}
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <div class="frame" tabindex="0" role="img" aria-label=${this.describe()} aria-busy=${computing ? 'true' : 'false'}>
        <canvas></canvas>
      </div>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      :host {
        max-width: none;
      }
      .frame {
        position: relative;
        width: 100%;
        height: var(--spectrogram-height, 320px);
        outline-offset: 3px;
      }
      .frame:focus-visible {
        outline: 2px solid var(--accent, #0f5c6e);
      }
      canvas {
        display: block;
        width: 100%;
        height: 100%;
      }
      .status:empty {
        display: none;
      }
      .status {
        margin: 0 0 0.25rem;
        color: var(--muted, #4a5f66);
      }
      progress {
        width: 100%;
        max-width: 20rem;
      }
    `,
  ];
}

/** Fills `image` with the spectrogram: each pixel takes the loudest value of the columns and bins it covers. */
function paint(result: Spectrogram, image: ImageData, bottom: number, top: number): void {
  const { width, height, data } = image;
  const { columns, bins, db } = result;
  const span = top - bottom;
  // The bins of each pixel row (row 0 at the top: high frequencies) and the columns of each pixel column.
  const rowBins = Array.from({ length: height }, (_, y) => spanOf(height - 1 - y, height, bins));
  for (let x = 0; x < width; x += 1) {
    const [c0, c1] = spanOf(x, width, columns);
    for (let y = 0; y < height; y += 1) {
      const [k0, k1] = rowBins[y]!;
      let loudest = -Infinity;
      for (let c = c0; c < c1; c += 1) for (let k = k0; k < k1; k += 1) loudest = Math.max(loudest, db[c * bins + k]!);
      const level = Math.round(Math.min(1, Math.max(0, (loudest - bottom) / span)) * 255) * 3;
      const pixel = (y * width + x) * 4;
      data[pixel] = PALETTE[level]!;
      data[pixel + 1] = PALETTE[level + 1]!;
      data[pixel + 2] = PALETTE[level + 2]!;
      data[pixel + 3] = 255;
    }
  }
}

/** The items [first, last) of `count` that pixel `index` of `pixels` covers (at least one). */
function spanOf(index: number, pixels: number, count: number): [number, number] {
  const first = Math.min(count - 1, Math.floor((index * count) / pixels));
  return [first, Math.max(first + 1, Math.floor(((index + 1) * count) / pixels))];
}

/**
 * Frequency axis at the left (bin k fills [k, k + 1) of the height, so frequency f sits at f/df + ½ bins), time axis
 * below (column c fills [c, c + 1) of the width).
 */
function drawAxes(context: CanvasRenderingContext2D, result: Spectrogram, box: PlotBox): void {
  const nyquist = (result.bins - 1) * result.frequencyStep;
  const kilo = result.frequencyUnit === 'Hz' && nyquist >= 10_000;
  const frequencyY = (f: number) => box.y + box.height - ((f / result.frequencyStep + 0.5) / result.bins) * box.height;
  const frequencyTicks = niceTicks(0, nyquist, Math.max(2, Math.floor(box.height / 40)));
  context.textAlign = 'right';
  context.textBaseline = 'middle';
  for (const f of frequencyTicks.values) {
    const y = Math.round(frequencyY(f)) + 0.5;
    line(context, box.x - 5, y, box.x, y);
    context.fillText(formatTick(kilo ? f / 1000 : f, kilo ? frequencyTicks.step / 1000 : frequencyTicks.step), box.x - 8, y);
  }
  context.save();
  context.translate(14, box.y + box.height / 2);
  context.rotate(-Math.PI / 2);
  context.textAlign = 'center';
  context.fillText(kilo ? 'Frequency (kHz)' : `Frequency (${result.frequencyUnit})`, 0, 0);
  context.restore();

  const left = result.timeStart - result.timeStep / 2;
  const duration = result.columns * result.timeStep;
  const timeTicks = niceTicks(left, left + duration, Math.max(2, Math.floor(box.width / 90)));
  context.textAlign = 'center';
  context.textBaseline = 'top';
  for (const t of timeTicks.values) {
    const x = Math.round(box.x + ((t - left) / duration) * box.width) + 0.5;
    line(context, x, box.y + box.height, x, box.y + box.height + 5);
    context.fillText(formatTick(t, timeTicks.step), x, box.y + box.height + 7);
  }
  context.fillText(result.timeUnit === 's' ? 'Time (s)' : 'Sample', box.x + box.width / 2, box.y + box.height + 24);
  context.strokeRect(box.x - 0.5, box.y - 0.5, box.width + 1, box.height + 1);
}

/** The colour bar at the right of the image, loud at the top, with dB ticks. */
function drawLegend(context: CanvasRenderingContext2D, box: PlotBox, bottom: number, top: number): void {
  const x = box.x + box.width + 12;
  const barWidth = 12;
  const gradient = context.createLinearGradient(0, box.y + box.height, 0, box.y);
  for (const [position, [r, g, b]] of COLOUR_STOPS) gradient.addColorStop(position, `rgb(${r} ${g} ${b})`);
  const text = context.fillStyle;
  context.fillStyle = gradient;
  context.fillRect(x, box.y, barWidth, box.height);
  context.fillStyle = text;
  context.strokeRect(x - 0.5, box.y - 0.5, barWidth + 1, box.height + 1);
  const span = top > bottom ? top - bottom : 1;
  const ticks = niceTicks(bottom, bottom + span, Math.max(2, Math.floor(box.height / 36)));
  context.textAlign = 'left';
  context.textBaseline = 'middle';
  for (const value of ticks.values) {
    const y = Math.round(box.y + box.height - ((value - bottom) / span) * box.height) + 0.5;
    line(context, x + barWidth, y, x + barWidth + 4, y);
    context.fillText(`${formatTick(value, ticks.step)} dB`, x + barWidth + 6, y);
  }
}

function line(context: CanvasRenderingContext2D, x0: number, y0: number, x1: number, y1: number): void {
  context.beginPath();
  context.moveTo(x0, y0);
  context.lineTo(x1, y1);
  context.stroke();
}

/** Round tick values (1, 2 or 5 × 10^n apart) within [low, high], about `count` of them. */
function niceTicks(low: number, high: number, count: number): { values: number[]; step: number } {
  if (!(high > low)) return { values: [low], step: 1 };
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].find((m) => m * power >= raw)! * power;
  const values: number[] = [];
  for (let i = Math.ceil(low / step - 1e-9); i * step <= high + step * 1e-9; i += 1) values.push(i * step);
  return { values, step };
}

/** As many decimals as the tick step needs; a true minus sign. */
function formatTick(value: number, step: number): string {
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return value.toFixed(decimals).replace(/^-(?=.*[1-9])/, '−').replace(/^-/, '');
}

function formatDb(value: number): string {
  return `${Math.round(value) || 0} dB`.replace('-', '−');
}

function round3(value: number): number {
  return Number(value.toPrecision(3));
}

customElements.define('fs-spectrogram', SpectrogramGadget);
