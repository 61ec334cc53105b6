import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, isAbortError, type Remote } from '../../core';
import { storageKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import { MemoryStorage, UuidStorage, type Storage } from '../../../storage';
import { appendSamples, channelCount, createDataArray, type DataArrayDocument } from '../../../storage/arrays';
import { NAMED_STATISTICS, SKETCH_RELATIVE_ACCURACY, TIMESLICES, deviceTimeZone, type StatisticsParameters } from '../../../compute/statistics';
import { statisticsOf, type StatisticsDocument } from '../../../compute/statistics/statistics-document';
import { declareStatisticsWorker, provideStatisticsReads } from '../../../compute/statistics/statistics-host';
import type { StatisticsWorker } from '../../../compute/statistics/statistics-worker';
import '../../graph/graph-gadget';
import { downloadFile, fileNameOf } from '../../shared/download-file';
import { format, renderBoxplot, MAX_BOXES } from './boxplot';
import { pageStyles } from '../../shared/page-styles';
import { decodeStatisticsChoice, encodeStatisticsChoice } from './statistics-link';

/** What the box plots need, computed whatever else is asked. */
const BOX = ['min', 'q1', 'median', 'q3', 'max'];
const DEFAULT_CHOICE: StatisticsParameters = { statistics: ['count', 'mean', 'rms', 'median', 'p99'], timeslice: 'hour', timeslice_is_static: true };
/** Table rows shown; the CSV has every slice. */
const MAX_ROWS = 1000;

/**
 * The Statistics view of a Data Array with a time axis: pick statistics, a timeslice (calendar or fixed lengths),
 * a range and a time zone; see the chosen statistic per slice in a graph, box plots per slice and a table, and export
 * CSV. The choice is kept in the page's link (`stats=…`): the view fires `statistics-choice` with it, and computes
 * what `choice` says. The work runs in a worker (progress, Cancel) and its result is kept as a Statistics document,
 * reused until the array changes.
 */
export class StatisticsView extends Gadget {
  static override properties = {
    arrayId: { type: String, attribute: 'array-id' },
    doc: { attribute: false },
    choice: { attribute: false },
    progress: { state: true },
    result: { state: true },
    reused: { state: true },
    problem: { state: true },
    graphed: { state: true },
    channel: { state: true },
    seriesId: { state: true },
  };

  declare arrayId: string;
  declare doc: DataArrayDocument | undefined;
  /** The `stats` value of the link; undefined: the default choice, computed when asked. */
  declare choice: string | undefined;
  declare progress: number | undefined;
  declare result: StatisticsDocument | undefined;
  declare reused: boolean;
  declare problem: string | undefined;
  /** The statistic drawn in the graph. */
  declare graphed: string;
  declare channel: number;
  declare seriesId: string | undefined;

  private worker: Promise<Remote<StatisticsWorker, 'compute'>> | undefined;
  private running: AbortController | undefined;
  /** The graph below reads the series of the graphed statistic from here (provided as its storage). */
  private series: Storage = new UuidStorage(new MemoryStorage());

  constructor() {
    super();
    this.arrayId = '';
    this.doc = undefined;
    this.choice = undefined;
    this.progress = undefined;
    this.result = undefined;
    this.reused = false;
    this.problem = undefined;
    this.graphed = '';
    this.channel = 0;
    this.seriesId = undefined;
    this.provide(storageKey, () => this.series);
    provideStatisticsReads(this, () => this.acquire(storageKey), (done, total) => (this.progress = total > 0 ? done / total : 1));
  }

  private get parameters(): StatisticsParameters {
    return this.choice ? decodeStatisticsChoice(this.choice) : { ...DEFAULT_CHOICE, time_zone: deviceTimeZone() };
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if ((changed.has('choice') || changed.has('doc')) && this.doc && this.choice !== undefined) void this.compute(this.parameters).catch(() => {});
    if (changed.has('result') || changed.has('graphed') || changed.has('channel')) void this.drawSeries();
  }

  private readonly compute = this.job(
    async (signal, parameters: StatisticsParameters) => {
      const doc = this.doc!;
      const id = this.arrayId;
      const asked = typeof parameters.statistics === 'string' ? parameters.statistics.split(',') : [...parameters.statistics];
      const request = { ...parameters, statistics: [...new Set([...asked, ...BOX])] };
      this.running?.abort();
      const controller = new AbortController();
      this.running = controller;
      signal.addEventListener('abort', () => controller.abort(), { once: true });
      this.progress = 0;
      this.problem = undefined;
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const worker = await (this.worker ??= declareStatisticsWorker(this));
        const outcome = await statisticsOf(storage, id, doc, request, () => worker.compute(id, doc, request, { signal: controller.signal }), { signal: controller.signal });
        return { outcome, asked };
      } catch (error) {
        if (controller.signal.aborted || isAbortError(error)) return { problem: 'Cancelled.' };
        return { problem: messageOf(error) };
      } finally {
        if (this.running === controller) this.running = undefined;
        this.progress = undefined;
      }
    },
    (done) => {
      if ('problem' in done) {
        this.problem = done.problem;
        return;
      }
      this.result = done.outcome.document;
      this.reused = done.outcome.reused;
      if (!done.asked.includes(this.graphed)) this.graphed = done.asked.find((name) => name !== 'count') ?? done.asked[0] ?? 'median';
    },
  );

  /** Writes the graphed statistic per slice as a small Data Array the graph reads (null → NaN, a gap). */
  private async drawSeries(): Promise<void> {
    const result = this.result;
    if (!result || !this.graphed) return;
    const values = Float64Array.from(result.result.slices, (slice) => slice.channels[this.shownChannel]?.values[this.graphed] ?? NaN);
    const series = new UuidStorage(new MemoryStorage());
    const { timeslice } = result.parameters;
    const id = await createDataArray(series, {
      title: `${this.graphed} per ${timeslice ?? 'range'}`,
      dtype: 'float64',
      units: { x: `${timeslice ?? 'range'} slices from ${result.result.slices[0]?.label ?? ''}`, y: `${this.graphed}${this.doc?.units?.y ? ` (${this.doc.units.y})` : ''}` },
    });
    await appendSamples(series, id, values);
    this.series = series;
    this.seriesId = id;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const statistics = [...form.getAll('statistic').map(String), ...String(form.get('quantiles') ?? '').split(',').map((name) => name.trim()).filter(Boolean)];
    const timeslice = String(form.get('timeslice') ?? '');
    const parameters: StatisticsParameters = {
      statistics,
      ...(timeslice ? { timeslice, timeslice_is_static: form.get('kind') === 'static' } : {}),
      ...(form.get('start') ? { start_date: String(form.get('start')) } : {}),
      ...(form.get('end') ? { end_date: String(form.get('end')) } : {}),
      time_zone: String(form.get('zone') || deviceTimeZone()),
    };
    const choice = encodeStatisticsChoice(parameters);
    if (choice === this.choice) void this.compute(parameters).catch(() => {});
    else this.dispatchEvent(new CustomEvent('statistics-choice', { detail: choice, bubbles: true, composed: true }));
  }

  private exportCsv(): void {
    const result = this.result;
    if (!result) return;
    const names = result.parameters.statistics;
    const lines = [['slice', 'start', 'end', 'channel', 'first_sample', 'end_sample', ...names, 'nan', 'infinite', 'exact'].join(',')];
    for (const slice of result.result.slices) {
      slice.channels.forEach((channel, index) =>
        lines.push([slice.label, slice.start, slice.end, index + 1, slice.first, slice.last, ...names.map((name) => channel.values[name] ?? ''), channel.nan ?? '', channel.infinite ?? '', channel.exact].join(',')),
      );
    }
    downloadFile([`${lines.join('\n')}\n`], 'text/csv', `${fileNameOf(this.doc?.reference || this.arrayId)}_statistics.csv`);
  }

  override render() {
    const doc = this.doc;
    if (!doc) return nothing;
    if ((!doc.start_time || !doc.sampling_rate) && doc.time_channel === undefined) {
      return html`<p class="hint">Statistics per timeslice need a time axis: this array has no start time and sampling rate, nor a time channel.</p>`;
    }
    const parameters = this.parameters;
    const chosen = new Set(typeof parameters.statistics === 'string' ? parameters.statistics.split(',') : parameters.statistics);
    const others = [...chosen].filter((name) => !(NAMED_STATISTICS as readonly string[]).includes(name));
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC', deviceTimeZone()];
    return html`
      <form @submit=${(event: SubmitEvent) => this.submit(event)}>
        <fieldset class="names">
          <legend>Statistics</legend>
          ${NAMED_STATISTICS.map((name) => html`<label class="check"><input type="checkbox" name="statistic" value=${name} .checked=${chosen.has(name)} /> ${name}</label>`)}
          <label>Other quantiles <input name="quantiles" .value=${others.join(', ')} placeholder="p99.9, p5" size="12" /></label>
        </fieldset>
        <label>Timeslice
          <select name="timeslice">
            <option value="" ?selected=${!parameters.timeslice}>none (the whole range)</option>
            ${TIMESLICES.map((slice) => html`<option value=${slice} ?selected=${parameters.timeslice === slice}>${slice}</option>`)}
          </select>
        </label>
        <fieldset>
          <legend>Slices</legend>
          <label class="check"><input type="radio" name="kind" value="static" .checked=${parameters.timeslice_is_static !== false} /> Calendar (static)</label>
          <label class="check"><input type="radio" name="kind" value="dynamic" .checked=${parameters.timeslice_is_static === false} /> Fixed length from the start (dynamic)</label>
        </fieldset>
        <label>Start date <input type="datetime-local" step="1" name="start" .value=${parameters.start_date ?? ''} /></label>
        <label>End date <input type="datetime-local" step="1" name="end" .value=${parameters.end_date ?? ''} /></label>
        <label>Time zone <input name="zone" list="zones" .value=${parameters.time_zone ?? deviceTimeZone()} size="16" /></label>
        <datalist id="zones">${zones.map((zone) => html`<option value=${zone}></option>`)}</datalist>
        <button type="submit" ?disabled=${this.progress !== undefined}>Compute statistics</button>
        ${this.progress !== undefined
          ? html`<progress max="1" .value=${this.progress} aria-label="Computing statistics"></progress>
              <button type="button" class="danger" @click=${() => this.running?.abort()}>Cancel</button>`
          : nothing}
      </form>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.result ? this.renderResult(this.result) : nothing}
    `;
  }

  /** The channel chosen, never the time channel (the first other one instead). */
  private get shownChannel(): number {
    const time = this.doc?.time_channel;
    return this.channel !== time ? this.channel : time === 0 ? 1 : 0;
  }

  private renderResult(document: StatisticsDocument) {
    const { result, parameters } = document;
    const names = parameters.statistics;
    const channels = channelCount(this.doc!);
    const unit = this.doc?.units?.y ?? '';
    const boxes = result.slices.map((slice) => {
      const values = slice.channels[this.shownChannel]?.values ?? {};
      return { label: slice.label, min: values['min'] ?? null, q1: values['q1'] ?? null, median: values['median'] ?? null, q3: values['q3'] ?? null, max: values['max'] ?? null };
    });
    return html`
      <p class="hint" role="status">
        ${result.slices.length.toLocaleString('en')} slices${this.reused ? ' (kept from an earlier run: the array has not changed)' : ''}.
        ${result.exact ? 'Quantiles are exact.' : `Some slices hold more than ${result.exact_limit.toLocaleString('en')} values: their quantiles come from a sketch, within ${SKETCH_RELATIVE_ACCURACY * 100} % of the true value (marked ≈).`}
      </p>
      <div class="controls">
        <label>Graph of <select @change=${(event: Event) => (this.graphed = (event.target as HTMLSelectElement).value)}>
          ${names.map((name) => html`<option value=${name} ?selected=${name === this.graphed}>${name}</option>`)}
        </select></label>
        ${channels - (this.doc?.time_channel === undefined ? 0 : 1) > 1
          ? html`<label>Channel <select @change=${(event: Event) => (this.channel = Number((event.target as HTMLSelectElement).value))}>
              ${Array.from({ length: channels }, (_, index) => index)
                .filter((index) => index !== this.doc?.time_channel) // its slices have no statistics
                .map((index) => html`<option value=${index} ?selected=${index === this.shownChannel}>${this.doc?.channel_labels?.[index] ?? index + 1}</option>`)}
            </select></label>`
          : nothing}
        <button @click=${() => this.exportCsv()}>Export statistics CSV</button>
      </div>
      ${this.seriesId ? html`<fs-graph array-id=${this.seriesId}></fs-graph>` : nothing}
      <h3>Box plots per slice</h3>
      <p class="hint">Whiskers at the slice's min and max, the box from q1 to q3, a line at the median.${result.slices.length > MAX_BOXES ? ` The first ${MAX_BOXES} slices are drawn; the table and the CSV have all.` : ''}</p>
      <div class="boxplot">${renderBoxplot(boxes, unit)}</div>
      <div class="table" tabindex="0" role="region" aria-label="Statistics per slice">
        <table>
          <thead><tr><th scope="col">Slice</th><th scope="col">Samples</th>${names.map((name) => html`<th scope="col">${name}</th>`)}<th scope="col">NaN</th><th scope="col">±Inf</th></tr></thead>
          <tbody>
            ${result.slices.slice(0, MAX_ROWS).map((slice) => {
              const channel = slice.channels[this.shownChannel];
              const mark = channel && !channel.exact ? '≈' : '';
              return html`<tr><th scope="row">${slice.label}</th><td>${(slice.last - slice.first).toLocaleString('en')}</td>
                ${names.map((name) => html`<td>${/^(median|q1|q3|p)/.test(name) ? mark : ''}${format(channel?.values[name])}</td>`)}
                <td>${channel?.nan ?? '—'}</td><td>${channel?.infinite ?? '—'}</td></tr>`;
            })}
          </tbody>
        </table>
      </div>
      ${result.slices.length > MAX_ROWS ? html`<p class="hint">The first ${MAX_ROWS} slices are shown; the CSV has all ${result.slices.length.toLocaleString('en')}.</p>` : nothing}
    `;
  }

  static override styles = [
    pageStyles,
    css`
      form,
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin: 0.75rem 0;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 1rem;
        border: 1px solid var(--line, #c9d6da);
        border-radius: 6px;
      }
      .check {
        display: inline-flex;
        align-items: center;
        gap: 0.35rem;
        min-height: 44px;
      }
      input,
      select,
      button {
        min-height: 44px;
      }
      .boxplot svg {
        width: 100%;
        height: 240px;
        display: block;
      }
      .boxplot rect {
        fill: #cfe7ec;
        stroke: #0f5c6e;
        vector-effect: non-scaling-stroke;
      }
      .boxplot line {
        stroke: #0f5c6e;
        vector-effect: non-scaling-stroke;
      }
      .boxplot .median {
        stroke: #c2410c;
        stroke-width: 2;
      }
      .boxplot .axis {
        stroke: #8aa;
      }
      .table {
        overflow: auto;
        max-height: 28rem;
      }
      td {
        font-variant-numeric: tabular-nums;
        text-align: right;
      }
    `,
  ];
}

customElements.define('fs-statistics-view', StatisticsView);
