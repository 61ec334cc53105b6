import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, sleep } from '../../core';
import { navigateKey, notifyKey, pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import { saveImageDocument } from '../../../storage';
import { CSV_MAX_SAMPLES, downloadSourceCsv } from '../../shared/source-csv';
import { storageArraySource } from '../../../compute/statistics/array-source';
import { channelCount, dataBytes, getDataArray, sampleCount, type DataArrayDocument } from '../../../storage/arrays';
import { GraphGadget, type SampleRange } from '../../graph/graph-gadget';
import '../../graph/graph-gadget';
import type { SpectrogramGadget } from '../../graph/spectrogram-gadget';
import { confirmAndDelete } from '../../shared/delete-document';
import { pageStyles } from '../../shared/page-styles';
import { renderProcessSteps } from './process-steps';
import '../../shared/keep-offline';
import '../../shared/doc-link';
import { cannotOpen } from '../../shared/cannot-open';
import { whileBusy } from '../../shared/while-busy';

interface ChannelStatistics {
  min: number | null;
  max: number | null;
  mean: number | null;
  rms: number | null;
  nan: number;
  /** ±Infinity values (a dB spectrum's silent bins); absent in statistics computed before they were counted. */
  infinite?: number;
}


/**
 * A Data Array (`#/array/<id>?start=&end=`): its metadata and its graph. The visible range is kept in the link, so a
 * view can be shared or bookmarked; the PNG of the view is kept as an Image document, the range exported as CSV.
 */
export class ArrayPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    doc: { state: true },
    problem: { state: true },
    logY: { state: true },
    logX: { state: true },
    busy: { state: true },
    separate: { state: true },
    showSpectrogram: { state: true },
    showStatistics: { state: true },
  };

  declare params: Record<string, string>;
  declare doc: DataArrayDocument | undefined;
  declare problem: string | undefined;
  declare logY: boolean;
  declare logX: boolean;
  declare busy: string | undefined;
  /** One graph per channel, their x ranges linked, instead of all channels in one graph. */
  declare separate: boolean;
  /** The spectrogram (STFT) of the visible range, below the graph. */
  declare showSpectrogram: boolean;
  /** The Statistics view (gadgets/pages/statistics/statistics-view.ts), loaded when shown or asked by the link (`stats=`). */
  declare showStatistics: boolean;
  private spectrumRun: AbortController | undefined;
  /** The link this page last wrote for its view. */
  private rangeLink: string | undefined;
  /** The range the link asks the graph to show. */
  private requestedRange: SampleRange | undefined;

  constructor() {
    super();
    this.params = {};
    this.doc = undefined;
    this.problem = undefined;
    this.logY = false;
    this.logX = false;
    this.busy = undefined;
    this.separate = false;
    this.showSpectrogram = false;
    this.showStatistics = false;
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private get graph(): GraphGadget | null {
    return this.renderRoot.querySelector<GraphGadget>('fs-graph');
  }

  /** Linked graphs: a view change in one moves the others to the same range. */
  private onViewChange(event: CustomEvent<SampleRange>): void {
    for (const other of this.renderRoot.querySelectorAll<GraphGadget>('fs-graph')) {
      if (other !== event.target && (other.drawn?.start !== event.detail.start || other.drawn?.end !== event.detail.end)) other.setRange(event.detail);
    }
    void this.rememberRange(event.detail);
    this.requestUpdate();
  }

  /** The range asked by the link, if any. */
  private get linkedRange(): SampleRange | undefined {
    const start = Number(this.params['start']);
    const end = Number(this.params['end']);
    return this.params['start'] !== undefined && this.params['end'] !== undefined && Number.isFinite(start) && Number.isFinite(end) ? { start, end } : undefined;
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        return { doc: await getDataArray(storage, id, { signal }) };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => {
      this.doc = result.doc;
      this.problem = result.problem;
      if (result.doc) void this.acquire(pageTitleKey, result.doc.title || 'Data Array');
    },
  );

  /** Keeps the link in step with the view, after the user pauses (no history entry per pan step). */
  private readonly rememberRange = this.job(async (signal, range: SampleRange) => {
    const before = window.location.hash;
    // Someone else moved the link (a link followed, back/forward) and this page has not caught up yet: this view is stale.
    const query = new URLSearchParams(before.split('?')[1] ?? '');
    const caughtUp = query.get('start') === (this.params['start'] ?? null) && query.get('end') === (this.params['end'] ?? null);
    if (!caughtUp && before !== this.rangeLink) return;
    await sleep(300, signal);
    // Someone navigated meanwhile (a link, back/forward): their address wins over this view.
    if (window.location.hash !== before) return;
    const hash = formatHash('array/:id', { id: this.docId, start: String(range.start), end: String(range.end), ...this.statisticsParam });
    if (hash !== before) {
      this.rangeLink = hash;
      await this.acquireWith({ signal }, navigateKey, hash, { replace: true });
    }
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params')) {
      if (changed.get('params')?.['id'] !== this.docId) {
        this.doc = undefined;
        this.problem = undefined;
        void this.load(this.docId);
      }
      // A changed range reaches the graph through its `range` property — unless it is the link this page wrote for a
      // view already shown: the user may have moved on since, and that view must not be undone.
      if (window.location.hash !== this.rangeLink) this.requestedRange = this.linkedRange;
      if (this.params['stats'] !== undefined) void this.toggleStatistics(true);
    }
  }

  /** The statistics choice of the link, kept when the page rewrites it. */
  private get statisticsParam(): { stats?: string } {
    return this.params['stats'] !== undefined ? { stats: this.params['stats'] } : {};
  }

  private async toggleStatistics(show: boolean): Promise<void> {
    if (show) await import('../statistics/statistics-view');
    this.showStatistics = show;
  }

  /** A new statistics choice goes into the link (a history entry: back returns to the previous choice). */
  private onStatisticsChoice(event: CustomEvent<string>): void {
    const range = this.graph?.drawn;
    void this.acquire(navigateKey, formatHash('array/:id', { id: this.docId, ...(range ? { start: String(range.start), end: String(range.end) } : {}), stats: event.detail }));
  }

  /** Keeps the graph's view as an Image document. */
  private exportImage(): Promise<void> {
    const graph = this.graph;
    const range = graph?.drawn;
    return this.saveImage(() => graph!.toPng(), `${range ? `, samples ${range.start}–${range.end}` : ''}`, range);
  }

  /** Keeps the spectrogram on screen as an Image document. */
  private saveSpectrogram(): Promise<void> {
    const spectrogram = this.renderRoot.querySelector<SpectrogramGadget>('fs-spectrogram');
    const shown = spectrogram?.spectrogram;
    return this.saveImage(() => spectrogram!.toBlob(), ', spectrogram', shown ? { start: shown.start, end: shown.end } : undefined);
  }

  private async saveImage(png: () => Promise<Blob>, titleSuffix: string, range: { start: number; end: number } | undefined): Promise<void> {
    const doc = this.doc;
    if (!doc) return;
    await whileBusy(this, (label) => (this.busy = label), 'Saving the image…', 'The image could not be saved', async () => {
      const image = await png();
      const storage = await this.acquire(storageKey);
      const id = await saveImageDocument(storage, { title: `${doc.title}${titleSuffix}`, image, source: this.docId, ...(range ? { range } : {}) });
      void this.acquire(notifyKey, 'The image is saved in Images.');
      this.dispatchEvent(new CustomEvent('image-saved', { detail: { id }, bubbles: true, composed: true }));
    });
  }

  /** Shows or hides the spectrogram of the view (its code loads the first time). */
  private async toggleSpectrogram(show: boolean): Promise<void> {
    if (show) await import('../../graph/spectrogram-gadget');
    this.showSpectrogram = show;
  }

  /** Computes the spectrum of this array into a new Data Array and opens it. */
  private async spectrum(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const controller = new AbortController();
    this.spectrumRun = controller;
    this.busy = 'Computing the spectrum… 0 %';
    try {
      const [{ computeSpectrum }, storage] = await Promise.all([import('../../../compute/spectrum/array-spectrum'), this.acquire(storageKey)]);
      const id = await computeSpectrum(
        storage,
        this.docId,
        { scale: form.get('scale') as 'db' | 'psd' | 'magnitude', window: form.get('window') as 'hann' | 'hamming' | 'blackman' | 'rectangular' },
        { signal: controller.signal, onProgress: (fraction) => (this.busy = `Computing the spectrum… ${Math.round(fraction * 100)} %`) },
      );
      await this.acquire(navigateKey, formatHash('array/:id', { id }));
    } catch (error) {
      if (!controller.signal.aborted) void this.acquire(notifyKey, `The spectrum could not be computed: ${messageOf(error)}`, 'error');
    } finally {
      this.busy = undefined;
      this.spectrumRun = undefined;
    }
  }

  private async rerun(name: string): Promise<void> {
    const storage = await this.acquire(storageKey);
    const { forgetFailedStep } = await import('../../../compute/chain/operation');
    await forgetFailedStep(storage, this.docId, name);
    void this.load(this.docId);
  }

  private async exportCsv(): Promise<void> {
    const doc = this.doc;
    const range = this.graph?.drawn;
    if (!doc || !range) return;
    if (range.end - range.start > CSV_MAX_SAMPLES) {
      void this.acquire(notifyKey, `The view has ${(range.end - range.start).toLocaleString()} samples: zoom in to at most ${CSV_MAX_SAMPLES.toLocaleString()} to export CSV.`, 'error');
      return;
    }
    const graph = this.graph as GraphGadget;
    await whileBusy(this, (label) => (this.busy = label), 'Preparing the CSV…', 'The CSV could not be made', async () => {
      const storage = await this.acquire(storageKey);
      await downloadSourceCsv(storageArraySource(storage, this.docId, doc), range, (index) => graph.toX(index), doc.reference || this.docId);
    });
  }

  override render() {
    if (this.problem) {
      return cannotOpen('This array', this.problem, { href: '#/arrays', label: 'All data arrays' });
    }
    const doc = this.doc;
    if (!doc) return html`<p class="hint" role="status">Loading the array…</p>`;
    const count = sampleCount(doc);
    const drawn = this.graph?.drawn;
    const peak = peakOf(doc);
    const statistics = statisticsOf(doc);
    return html`
      <div class="toolbar" role="toolbar" aria-label="Graph">
        <button @click=${() => this.graph?.zoom(2)} aria-label="Zoom in">+</button>
        <button @click=${() => this.graph?.zoom(0.5)} aria-label="Zoom out">−</button>
        <button @click=${() => this.graph?.pan(-0.5)} aria-label="Pan left">◀</button>
        <button @click=${() => this.graph?.pan(0.5)} aria-label="Pan right">▶</button>
        <button @click=${() => this.graph?.resetView()}>Show all</button>
        <label class="check"><input type="checkbox" .checked=${this.logY} @change=${(e: Event) => (this.logY = (e.target as HTMLInputElement).checked)} /> Log y</label>
        <label class="check"><input type="checkbox" .checked=${this.logX} @change=${(e: Event) => (this.logX = (e.target as HTMLInputElement).checked)} /> Log x</label>
        ${channelCount(doc) > 1
          ? html`<label class="check"><input type="checkbox" .checked=${this.separate} @change=${(e: Event) => (this.separate = (e.target as HTMLInputElement).checked)} /> One graph per channel</label>`
          : nothing}
        ${doc['spectrum'] === undefined && count >= 2
          ? html`<label class="check"><input type="checkbox" .checked=${this.showSpectrogram} @change=${(e: Event) => void this.toggleSpectrogram((e.target as HTMLInputElement).checked)} /> Spectrogram</label>`
          : nothing}
        <button @click=${() => void this.exportImage()} ?disabled=${!!this.busy}>Save PNG</button>
        <button @click=${() => void this.exportCsv()} ?disabled=${!!this.busy}>Export CSV</button>
        ${this.busy ? html`<span role="status">${this.busy}</span>` : nothing}
        ${this.spectrumRun ? html`<button class="danger" @click=${() => this.spectrumRun?.abort()}>Cancel</button>` : nothing}
      </div>
      ${peak ? html`<p class="peak" role="status">Peak at ${format(peak.frequency)} Hz: ${format(peak.value)} ${doc.units?.y ?? ''}</p>` : nothing}
      ${graphedChannels(doc, this.separate).map(
        (channel) => html`<fs-graph
          array-id=${this.docId}
          .channel=${channel}
          .range=${this.requestedRange}
          ?log-y=${this.logY}
          ?log-x=${this.logX}
          @view-change=${(event: CustomEvent<SampleRange>) => this.onViewChange(event)}
        ></fs-graph>`,
      )}
      <p class="readout" role="status">
        ${drawn
          ? html`Samples ${drawn.start.toLocaleString('en')}–${drawn.end.toLocaleString('en')} of ${count.toLocaleString('en')}, ${drawn.points.toLocaleString('en')} points drawn${drawn.extremes
              .map((extreme, channel) => ` · ${channelCount(doc) > 1 ? `ch ${channel + 1} ` : ''}min ${format(extreme.min)} max ${format(extreme.max)}`)
              .join('')}`
          : nothing}
      </p>
      ${this.showSpectrogram
        ? html`<fs-spectrogram array-id=${this.docId} .start=${drawn?.start} .end=${drawn?.end}></fs-spectrogram>
            <p><button @click=${() => void this.saveSpectrogram()} ?disabled=${!!this.busy}>Save spectrogram</button></p>`
        : nothing}
      <table class="meta">
        <tr><th scope="row">Samples</th><td>${count.toLocaleString('en')}${channelCount(doc) > 1 ? ` × ${channelCount(doc)} channels` : ''}</td></tr>
        <tr><th scope="row">Type</th><td>${doc.dtype}</td></tr>
        <tr><th scope="row">Data</th><td><fs-keep-offline doc-id=${this.docId} expected-bytes=${dataBytes(doc)}></fs-keep-offline></td></tr>
        ${doc.sampling_rate ? renderAxisSpacing(doc.sampling_rate, count, doc.units?.x) : nothing}
        ${doc.start_time ? html`<tr><th scope="row">Start</th><td>${new Date(doc.start_time).toLocaleString()}</td></tr>` : nothing}
        ${doc.units?.y ? html`<tr><th scope="row">Unit</th><td>${doc.units.y}</td></tr>` : nothing}
        ${doc.source ? html`<tr><th scope="row">Source</th><td><fs-doc-link doc-id=${doc.source}></fs-doc-link></td></tr>` : nothing}
        ${statistics
          ? statistics.map(
              (channel, index) => html`<tr><th scope="row">Statistics${statistics.length > 1 ? ` (channel ${index + 1})` : ''}</th>
                <td>min ${format(channel.min ?? NaN)} · max ${format(channel.max ?? NaN)} · mean ${format(channel.mean ?? NaN)} · RMS ${format(channel.rms ?? NaN)}${channel.nan ? ` · ${channel.nan} NaN` : ''}${channel.infinite ? ` · ${channel.infinite} infinite` : ''}</td></tr>`,
            )
          : nothing}
      </table>
      <h2 class="section">Statistics per timeslice</h2>
      ${this.showStatistics
        ? html`<fs-statistics-view array-id=${this.docId} .doc=${doc} .choice=${this.params['stats']} @statistics-choice=${(event: CustomEvent<string>) => this.onStatisticsChoice(event)}></fs-statistics-view>`
        : html`<p><button @click=${() => void this.toggleStatistics(true)}>Statistics per hour, day…</button></p>`}
      ${renderProcessSteps(doc.process ?? [], (name) => void this.rerun(name))}
      <form class="spectrum" @submit=${(event: SubmitEvent) => void this.spectrum(event)}>
        <label>Scale <select name="scale"><option value="db">dB</option><option value="psd">PSD</option><option value="magnitude">Magnitude</option></select></label>
        <label>Window <select name="window"><option value="hann">Hann</option><option value="hamming">Hamming</option><option value="blackman">Blackman</option><option value="rectangular">Rectangular</option></select></label>
        <button type="submit" ?disabled=${!!this.busy || count < 2}>Compute spectrum</button>
      </form>
      <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the array “${doc.title}”`, '#/arrays')}>Delete array</button>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      .toolbar button {
        min-width: 44px;
        justify-content: center;
      }
      .check {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        min-height: 44px;
      }
      .readout {
        color: var(--muted, #4a5f66);
        font-variant-numeric: tabular-nums;
        min-height: 1.5em;
      }
      .spectrum {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin: 1rem 0;
      }
      .peak {
        font-weight: 600;
      }
      .meta {
        max-width: 40rem;
        margin: 1rem 0;
      }
      .meta th {
        width: 12rem;
        color: var(--muted, #4a5f66);
        font-weight: normal;
      }
    `,
  ];
}

/**
 * The x spacing row. A time axis gives a sampling rate; any other axis (a spectrum's "Frequency (Hz)") gives the step
 * between samples in its own unit — "2.048 per Frequency (Hz)" read as nonsense.
 */
function renderAxisSpacing(rate: number, count: number, axis: string | undefined) {
  if (!axis) return html`<tr><th scope="row">Sampling rate</th><td>${format(rate)} per s · ${format(count / rate)} s in all</td></tr>`;
  const unit = /\(([^)]+)\)\s*$/.exec(axis)?.[1] ?? axis;
  return html`<tr><th scope="row">Resolution</th><td>${format(1 / rate)} ${unit} per sample · ${format((count - 1) / rate)} ${unit} in all</td></tr>`;
}

/** A spectrum's peak, when the document holds one as numbers (documents may come from other clients). */
function peakOf(doc: DataArrayDocument): { frequency: number; value: number } | undefined {
  const peak = doc['peak'] as { frequency?: unknown; value?: unknown } | null | undefined;
  return typeof peak?.frequency === 'number' && typeof peak.value === 'number' ? { frequency: peak.frequency, value: peak.value } : undefined;
}

/** The statistics step's figures per channel, when its result has that shape. */
function statisticsOf(doc: DataArrayDocument): ChannelStatistics[] | undefined {
  const result = doc.process?.find((step) => step.name === 'statistics' && step.status === 'done')?.result as { channels?: unknown } | null | undefined;
  const channels = result?.channels;
  return Array.isArray(channels) && channels.every((channel) => typeof channel === 'object' && channel !== null) ? (channels as ChannelStatistics[]) : undefined;
}

function format(value: number): string {
  return Number.isFinite(value) ? Number(value.toPrecision(6)).toString() : String(value);
}

customElements.define('fs-array-page', ArrayPage);

/**
 * The channel of each graph: one per channel when `separate`, else one graph of them all. A time channel (samples
 * carrying their own times) is not drawn as a trace of its own; beside a single value channel, that one is drawn alone.
 */
function graphedChannels(doc: DataArrayDocument, separate: boolean): (number | undefined)[] {
  const values = Array.from({ length: channelCount(doc) }, (_, channel) => channel).filter((channel) => channel !== doc.time_channel);
  if (separate || (doc.time_channel !== undefined && values.length === 1)) return values;
  return [undefined];
}
