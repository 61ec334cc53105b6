import { css, html, unsafeCSS, type PropertyValues } from 'lit';
import Dygraph from 'dygraphs';
import dygraphStyles from 'dygraphs/dist/dygraph.css?inline';
import { Gadget, untilAborted } from '../core';
import { storageKey } from '../shared/keys';
import { messageOf } from '../shared/error-report';
import { channelCount, getDataArray, sampleCount, type DataArrayDocument, type Envelope } from '../../storage/arrays';
import { storageArraySource, type ArraySource } from '../../compute/statistics/array-source';
import { escapeHtml } from './escape-html';
import { envelopeRows, mergeRows, visibleExtremes, type Row } from './series';

/** A visible range of samples [start, end). */
export interface SampleRange {
  start: number;
  end: number;
}

/** What the graph shows now: the range, how many points were drawn, and the drawn extremes per channel. */
export interface DrawnView extends SampleRange {
  points: number;
  extremes: { min: number; max: number }[];
}

const COLOURS = ['#0f5c6e', '#c2410c', '#6d28d9', '#15803d', '#b91c1c', '#0369a1', '#a16207', '#be185d'];
/** Columns of the whole-array overview drawn outside the visible window (and in the range selector). */
const OVERVIEW_COLUMNS = 400;
/** The smallest range one can zoom into, in samples. */
const MIN_SPAN = 8;

/** Width (px) of the range selector's zoom handles on touch screens: about 4 mm, with the height in proportion. */
const TOUCH_HANDLE_WIDTH = 24;

/**
 * The graph of a Data Array (dygraphs). Whatever the array's size, each view reads about 4 points per pixel column
 * through the storage — the pyramid's M4 envelope, so zoomed-out views still show the true extremes — as a job: a new
 * view cancels the read of the previous one. Zoom: drag, wheel, pinch, + / −; pan: shift-drag, touch drag, arrow keys;
 * reset: double-click or 0. Fires `view-change` ({start, end}) after each view is drawn.
 * Instead of `array-id`, a page may give `source`: anything read like an array (a calibrated signal, see
 * compute/signals), drawn the same way.
 */
export class GraphGadget extends Gadget {
  static override properties = {
    arrayId: { type: String, attribute: 'array-id' },
    source: { attribute: false },
    // Compared by value: a page re-rendering with an equal range must not undo the user's zoom.
    range: { attribute: false, hasChanged: (next?: SampleRange, previous?: SampleRange) => next?.start !== previous?.start || next?.end !== previous?.end },
    logX: { type: Boolean, attribute: 'log-x' },
    logY: { type: Boolean, attribute: 'log-y' },
    channel: { type: Number },
    problem: { state: true },
    drawn: { state: true },
  };

  declare arrayId: string;
  /** What to draw when it is not a stored array by id (wins over `array-id`). */
  declare source: ArraySource | undefined;
  /** The range to show; set by the page (deep links) and updated as the user zooms and pans. */
  declare range: SampleRange | undefined;
  declare logX: boolean;
  declare logY: boolean;
  /** Show only this channel (0-based); default every channel in one graph. */
  declare channel: number | undefined;
  declare problem: string | undefined;
  /** The last view drawn (read by tests and the page's readout). */
  declare drawn: DrawnView | undefined;

  private graph: Dygraph | undefined;
  private doc: DataArrayDocument | undefined;
  private reader: ArraySource | undefined;
  private overview: Row[] = [];
  /** The range whose data is on screen or being fetched: interaction callbacks compare against it. */
  private requested: SampleRange | undefined;

  constructor() {
    super();
    this.arrayId = '';
    this.source = undefined;
    this.range = undefined;
    this.logX = false;
    this.logY = false;
    this.channel = undefined;
    this.problem = undefined;
    this.drawn = undefined;
    this.service(async (signal) => {
      const resize = new ResizeObserver(() => {
        this.graph?.resize();
        if (this.requested) void this.fetchView(this.requested);
      });
      resize.observe(this);
      await untilAborted(signal);
      resize.disconnect();
    });
  }

  /** The array's document once opened. */
  get document(): DataArrayDocument | undefined {
    return this.doc;
  }

  /** Opens the array: reads its document and the whole-array overview, then shows `range` (default everything). */
  private readonly open = this.job(async (signal, given: ArraySource | string) => {
    this.problem = undefined;
    try {
      let reader = typeof given === 'string' ? undefined : given;
      if (typeof given === 'string') {
        const storage = await this.acquireWith({ signal }, storageKey);
        reader = storageArraySource(storage, given, await getDataArray(storage, given, { signal }));
      }
      const { doc } = reader!;
      const count = sampleCount(doc);
      const overview = count > 0 ? envelopeRows(this.shown(await reader!.envelope(0, count, OVERVIEW_COLUMNS, signal)), (index) => this.toX(index, doc)) : [];
      return { reader: reader!, doc, overview };
    } catch (error) {
      if (signal.aborted) throw error;
      return { problem: `The graph cannot be drawn: ${messageOf(error)}` };
    }
  }, (opened) => {
    if ('problem' in opened) {
      this.problem = opened.problem;
      return;
    }
    const { reader, doc, overview } = opened;
    this.reader = reader;
    this.doc = doc;
    this.overview = overview;
    this.graph?.destroy();
    this.graph = undefined;
    const count = sampleCount(doc);
    if (count === 0) {
      this.problem = 'This array has no samples yet.';
      return;
    }
    void this.fetchView(this.clamp(this.range ?? { start: 0, end: count }));
  });

  /** Reads and draws one view; superseded by the next call (its reads are aborted). */
  private readonly fetchView = this.job(async (signal, range: SampleRange) => {
    this.requested = range; // a burst of interaction events: each new call aborts the previous call's reads
    const { doc, reader } = this;
    if (!doc || !reader) return undefined;
    const width = Math.max(50, Math.round(this.container.clientWidth || 600));
    const envelope = await reader.envelope(range.start, range.end, width, signal);
    return { range, detail: envelopeRows(this.shown(envelope), (index) => this.toX(index, doc)) };
  }, (result) => {
    if (result) this.draw(result.range, result.detail);
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('arrayId') || changed.has('source') || changed.has('channel')) && (this.source || this.arrayId)) {
      // A new array, or other channels of it: the series change, so the graph is made afresh.
      this.drawn = undefined;
      void this.open(this.source ?? this.arrayId);
    } else if (changed.has('range') && this.range && this.doc) {
      const range = this.clamp(this.range);
      if (!this.requested || range.start !== this.requested.start || range.end !== this.requested.end) void this.fetchView(range);
    }
    if ((changed.has('logX') || changed.has('logY')) && this.graph) {
      this.graph.updateOptions({ logscale: this.logY, axes: { x: { logscale: this.logX } } });
    }
  }

  override disconnectedCallback(): void {
    this.graph?.destroy();
    this.graph = undefined;
    super.disconnectedCallback();
  }

  /** Shows samples [start, end) (clamped to the array). */
  setRange(range: SampleRange): void {
    if (!this.doc) {
      this.range = range;
      return;
    }
    void this.fetchView(this.clamp(range));
  }

  /** Shows the whole array. */
  resetView(): void {
    if (this.doc) this.setRange({ start: 0, end: sampleCount(this.doc) });
  }

  /** Zooms by `factor` (> 1 zooms in) around a sample index (default the middle). */
  zoom(factor: number, center?: number): void {
    const current = this.requested;
    if (!current) return;
    const middle = center ?? (current.start + current.end) / 2;
    const span = Math.max(MIN_SPAN, (current.end - current.start) / factor);
    const ratio = (middle - current.start) / (current.end - current.start);
    this.setRange({ start: Math.round(middle - span * ratio), end: Math.round(middle - span * ratio + span) });
  }

  /** Moves the view by a fraction of its width (negative: to the left). */
  pan(fraction: number): void {
    const current = this.requested;
    if (!current) return;
    const shift = Math.round((current.end - current.start) * fraction);
    this.setRange({ start: current.start + shift, end: current.end + shift });
  }

  /** The graph as it is drawn now, as a PNG. */
  async toPng(): Promise<Blob> {
    const area = this.container;
    const box = area.getBoundingClientRect();
    const scale = window.devicePixelRatio || 1;
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(box.width * scale);
    canvas.height = Math.round(box.height * scale);
    const context = canvas.getContext('2d');
    if (!context) throw new Error('This browser cannot draw the image (no 2D canvas).');
    context.fillStyle = '#ffffff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    for (const layer of area.querySelectorAll('canvas')) {
      const rect = layer.getBoundingClientRect();
      context.drawImage(layer, (rect.left - box.left) * scale, (rect.top - box.top) * scale, rect.width * scale, rect.height * scale);
    }
    return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The image could not be encoded.'))), 'image/png'));
  }

  /** x-axis value of a sample index: time in seconds (or the array's x unit) with a sampling rate, else the index. */
  toX(index: number, doc: DataArrayDocument | undefined = this.doc): number {
    const rate = doc?.sampling_rate;
    const origin = typeof doc?.['x_start'] === 'number' ? (doc['x_start'] as number) : 0;
    return rate ? origin + index / rate : index;
  }

  fromX(x: number): number {
    const rate = this.doc?.sampling_rate;
    const origin = typeof this.doc?.['x_start'] === 'number' ? (this.doc['x_start'] as number) : 0;
    return rate ? (x - origin) * rate : x;
  }

  private clamp({ start, end }: SampleRange): SampleRange {
    const count = this.doc ? sampleCount(this.doc) : end;
    let from = Math.floor(Math.max(0, Math.min(start, count)));
    let to = Math.ceil(Math.max(0, Math.min(end, count)));
    if (to - from < Math.min(MIN_SPAN, count)) {
      // Too narrow (or beyond the end): widen around the middle, within the array.
      const span = Math.min(MIN_SPAN, count);
      from = Math.max(0, Math.min(Math.round((from + to - span) / 2), count - span));
      to = from + span;
    }
    return { start: from, end: to };
  }

  private draw(range: SampleRange, detail: Row[]): void {
    const doc = this.doc;
    if (!doc) return;
    const x0 = this.toX(range.start);
    const x1 = this.toX(Math.max(range.start, range.end - 1));
    let rows = mergeRows(this.overview, detail, x0, x1);
    if (this.logX) rows = rows.filter((row) => (row[0] as number) > 0);
    const window: [number, number] = x1 > x0 ? [x0, x1] : [x0 - 0.5, x0 + 0.5];
    const channels = this.channelLabels(doc).length;
    if (!this.graph) {
      this.graph = new Dygraph(this.container, rows, {
        // dygraphs escapes series labels in its legend but writes xlabel/ylabel with innerHTML: document text is escaped.
        labels: [this.xLabel(doc), ...this.channelLabels(doc)],
        xlabel: escapeHtml(this.xLabel(doc)),
        ylabel: escapeHtml(doc.units?.y ?? ''),
        colors: COLOURS,
        legend: 'always',
        labelsSeparateLines: false,
        showRangeSelector: true,
        rangeSelectorHeight: 36,
        dateWindow: window,
        logscale: this.logY,
        axes: { x: { logscale: this.logX } },
        connectSeparatedPoints: false,
        animatedZooms: false,
        // The range selector would make a drag pan; keep drag = zoom, shift-drag = pan, touch pan and pinch.
        interactionModel: Dygraph.defaultInteractionModel,
        strokeWidth: 1,
        xRangePad: 0,
        drawCallback: (graph, isInitial) => {
          if (!isInitial) this.followGraph(graph);
        },
      });
      // dygraphs draws the range selector's zoom handles as <img> without alt: mark them decorative (the plot is one
      // labelled image and is zoomed by keys), else screen readers read out their data: URLs. It makes them 9×16 px,
      // doubled only on devices whose user agent says "mobile": on any touch screen, make them big enough for a finger
      // (dygraphs positions them by their width, so they stay centred).
      const coarse = matchMedia('(pointer: coarse)').matches;
      for (const handle of this.container.querySelectorAll('img')) {
        handle.alt = '';
        if (coarse && handle.width < TOUCH_HANDLE_WIDTH) [handle.width, handle.height] = [TOUCH_HANDLE_WIDTH, (TOUCH_HANDLE_WIDTH * 16) / 9];
      }
    } else {
      this.graph.updateOptions({ file: rows, dateWindow: window });
    }
    this.drawn = { ...range, points: detail.length, extremes: visibleExtremes(detail, x0, x1, channels) };
    this.dispatchEvent(new CustomEvent<SampleRange>('view-change', { detail: { start: range.start, end: range.end }, bubbles: true, composed: true }));
  }

  /** After the user zoomed or panned inside dygraphs: fetch the data of the new window. */
  private followGraph(graph: Dygraph): void {
    const [x0, x1] = graph.xAxisRange();
    const range = this.clamp({ start: Math.floor(this.fromX(x0)), end: Math.ceil(this.fromX(x1)) + 1 });
    const current = this.requested;
    if (current && Math.abs(range.start - current.start) <= 1 && Math.abs(range.end - current.end) <= 1) return;
    void this.fetchView(range);
  }

  private xLabel(doc: DataArrayDocument): string {
    if (doc.units?.x) return doc.units.x;
    return doc.sampling_rate ? 'Time (s)' : 'Sample';
  }

  private channelLabels(doc: DataArrayDocument): string[] {
    const label = (channel: number) => doc.channel_labels?.[channel] ?? (channelCount(doc) === 1 ? doc.title || 'value' : `channel ${channel + 1}`);
    if (this.channel !== undefined) return [label(this.channel)];
    return Array.from({ length: channelCount(doc) }, (_, channel) => label(channel));
  }

  /** The envelope of the channels this graph shows. */
  private shown(envelope: Envelope): Envelope {
    return this.channel === undefined ? envelope : { ...envelope, channels: envelope.channels.slice(this.channel, this.channel + 1) };
  }

  private get container(): HTMLElement {
    return this.renderRoot.querySelector<HTMLElement>('.plot') as HTMLElement;
  }

  private onKey(event: KeyboardEvent): void {
    const actions: Record<string, () => void> = {
      ArrowLeft: () => this.pan(-0.2),
      ArrowRight: () => this.pan(0.2),
      '+': () => this.zoom(2),
      '=': () => this.zoom(2),
      '-': () => this.zoom(0.5),
      '0': () => this.resetView(),
      Home: () => this.resetView(),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private onWheel(event: WheelEvent): void {
    if (!this.graph || !this.requested) return;
    event.preventDefault();
    const box = this.container.getBoundingClientRect();
    const center = this.fromX(this.graph.toDataXCoord(event.clientX - box.left));
    this.zoom(event.deltaY < 0 ? 1.25 : 0.8, center);
  }

  override render() {
    const title = this.doc?.title ?? 'graph';
    return html`
      ${this.problem ? html`<p class="problem" role="status">${this.problem}</p>` : ''}
      <div
        class="plot"
        tabindex="0"
        role="img"
        aria-label=${`Graph of ${title}. Arrow keys pan, + and − zoom, 0 shows everything.`}
        @keydown=${this.onKey}
        @wheel=${this.onWheel}
        @dblclick=${() => this.resetView()}
      ></div>
    `;
  }

  static override styles = [
    unsafeCSS(dygraphStyles),
    css`
      :host {
        display: block;
      }
      .plot {
        position: relative;
        width: 100%;
        height: var(--graph-height, 360px);
        touch-action: none;
        outline-offset: 3px;
      }
      .plot:focus-visible {
        outline: 2px solid var(--accent, #0f5c6e);
      }
      .problem {
        color: var(--muted, #4a5f66);
      }
      .dygraph-legend {
        background: color-mix(in srgb, var(--surface, #fff) 85%, transparent);
        font-size: 0.85rem;
      }
    `,
  ];
}

customElements.define('fs-graph', GraphGadget);
