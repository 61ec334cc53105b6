import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget, sleep } from '../../core';
import { navigateKey, notifyKey, pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import { updateDocument } from '../../../storage/update-document';
import { sampleCount } from '../../../storage/arrays';
import { describeCalibration } from '../../../compute/signals/calibration';
import { checkSignal, editBinding, isCurrent, type SignalBinding, type SignalDocument } from '../../../compute/signals/signal-document';
import { bindingHolds, type ExperimentRef } from '../../../compute/signals/resolve-binding';
import { arrayRefs } from '../../../compute/signals/resolve-signal';
import { openSignal, type OpenSignal } from '../../../compute/signals/open-signal';
import { windowSource } from '../../../compute/signals/window-source';
import type { SignalPlan } from '../../../compute/signals/signal-plan';
import { listExperiments, experimentLabel } from './experiment-list';
import { GraphGadget, type SampleRange } from '../../graph/graph-gadget';
import '../../graph/graph-gadget';
import type { BindingChoice, BindingSubmit } from './binding-form';
import './binding-form';
import '../../shared/doc-link';
import { confirmAndDelete } from '../../shared/delete-document';
import { CSV_MAX_SAMPLES, downloadSourceCsv } from '../../shared/source-csv';
import { pageStyles } from '../../shared/page-styles';
import { formatNumber } from '../../shared/format-number';
import { cannotOpen } from '../../shared/cannot-open';
import { whileBusy } from '../../shared/while-busy';

/** What "Statistics of the view" computes. */
const VIEW_STATISTICS = ['count', 'mean', 'rms', 'std', 'median', 'min', 'max'];

interface Loaded {
  signal: SignalDocument;
  experiments: ExperimentRef[];
  arrays: BindingChoice[];
  references: string[];
}

/**
 * A named signal (`#/signal/<id>?experiment=<id>&start=&end=`): its bindings with their history (a recalibration or rewiring ends
 * the binding it replaces, kept with the times it held), and, for the experiment chosen, the graph of the calibrated
 * signal in its units with the binding that applied. Adding or editing a binding is a document edit (Storage.update),
 * so it syncs like any other.
 */
export class SignalPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    loaded: { state: true },
    problem: { state: true },
    opened: { state: true },
    openProblem: { state: true },
    editing: { state: true },
    busy: { state: true },
    viewStatistics: { state: true },
    showSpectrogram: { state: true },
  };
  declare params: Record<string, string>;
  declare loaded: Loaded | undefined;
  declare problem: string | undefined;
  declare opened: OpenSignal | undefined;
  declare openProblem: string | undefined;
  /** The binding being edited, 'new' for a new one. */
  declare editing: SignalBinding | 'new' | undefined;
  declare busy: string | undefined;
  /** Statistics of the samples in view (calibrated), once asked. */
  /** The spectrogram (STFT) of the view, below the graph. */
  declare showSpectrogram: boolean;
  declare viewStatistics: { range: SampleRange; values: Record<string, number | null> } | { problem: string } | undefined;

  constructor() {
    super();
    this.params = {};
    this.loaded = undefined;
    this.problem = undefined;
    this.opened = undefined;
    this.openProblem = undefined;
    this.editing = undefined;
    this.busy = undefined;
    this.viewStatistics = undefined;
    this.showSpectrogram = false;
  }

  /** Shows or hides the spectrogram of the view (its code loads the first time). */
  private async toggleSpectrogram(show: boolean): Promise<void> {
    if (show) await import('../../graph/spectrogram-gadget');
    this.showSpectrogram = show;
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private get experimentId(): string {
    return this.params['experiment'] ?? '';
  }

  /** The range asked by the link (`start`, `end`), if any. */
  private get linkedRange(): SampleRange | undefined {
    const start = Number(this.params['start']);
    const end = Number(this.params['end']);
    return this.params['start'] !== undefined && this.params['end'] !== undefined && Number.isFinite(start) && Number.isFinite(end) ? { start, end } : undefined;
  }

  /** Keeps the view in the link once the user pauses (replacing the entry: no history step per pan). */
  private readonly rememberRange = this.job(async (signal, range: SampleRange) => {
    const before = window.location.hash;
    await sleep(300, signal);
    if (window.location.hash !== before || !this.experimentId) return; // someone navigated meanwhile: theirs wins
    const hash = formatHash('signal/:id', { id: this.docId, experiment: this.experimentId, start: String(range.start), end: String(range.end) });
    if (hash !== before) await this.acquireWith({ signal }, navigateKey, hash, { replace: true });
  });

  private get graph(): GraphGadget | null {
    return this.renderRoot.querySelector<GraphGadget>('fs-graph');
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const [doc, experiments, arrays] = await Promise.all([storage.get(id, { signal }), listExperiments(storage, signal), arrayRefs(storage, { signal })]);
        return {
          loaded: {
            signal: checkSignal(doc, id),
            experiments,
            arrays: arrays.map((array) => ({ id: array.id, label: `${array.title || array.id} (${array.reference})` })),
            references: [...new Set(arrays.map((array) => array.reference).filter((reference) => reference !== ''))].sort(),
          },
        };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => {
      this.loaded = result.loaded;
      this.problem = result.problem;
      if (result.loaded) void this.acquire(pageTitleKey, `Signal ${result.loaded.signal.name}`);
    },
  );

  private readonly open = this.job(
    async (signal, id: string, experimentId: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        return { opened: await openSignal(storage, id, experimentId, { signal }) };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => {
      this.opened = result.opened;
      this.openProblem = result.problem;
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (!changed.has('params')) return;
    const before = changed.get('params');
    if (before?.['id'] !== this.docId) {
      this.loaded = undefined;
      this.problem = undefined;
      this.editing = undefined;
      void this.load(this.docId);
    }
    if (before?.['id'] !== this.docId || before?.['experiment'] !== this.experimentId) this.reopen();
  }

  private reopen(): void {
    this.opened = undefined;
    this.viewStatistics = undefined;
    this.openProblem = undefined;
    if (this.experimentId) void this.open(this.docId, this.experimentId);
  }

  private chooseExperiment(id: string): void {
    void this.acquire(navigateKey, formatHash('signal/:id', { id: this.docId, ...(id ? { experiment: id } : {}) }));
  }

  /** Stores an edit of the signal and shows it (and the graph it changes). */
  private async change(edit: (signal: SignalDocument) => SignalDocument, done: string): Promise<void> {
    try {
      const storage = await this.acquire(storageKey);
      await updateDocument(storage, this.docId, (current) => edit(checkSignal(current, this.docId)));
      this.editing = undefined;
      void this.acquire(notifyKey, done);
      void this.load(this.docId);
      this.reopen();
    } catch (error) {
      void this.acquire(notifyKey, `The signal could not be changed: ${messageOf(error)}`, 'error');
    }
  }

  private onBinding(event: CustomEvent<BindingSubmit>): void {
    const { body, replaces } = event.detail;
    void this.change((signal) => editBinding(signal, body, replaces), replaces ? `Binding ${replaces} is replaced; the earlier one stays in the history.` : 'The binding is added.');
  }

  private saveDetails(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const name = String(form.get('name') ?? '').trim();
    if (!name) {
      void this.acquire(notifyKey, 'A signal needs a name: it is what notebooks and pages ask for.', 'error');
      return;
    }
    const units = String(form.get('units') ?? '').trim();
    const description = String(form.get('description') ?? '').trim();
    const formula = String(form.get('formula') ?? '').trim();
    void this.change((signal) => {
      const { formula: _formula, ...rest } = signal;
      return { ...rest, name, title: name, reference: `signal-${name}`, units, description, ...(formula ? { formula } : {}), modification_date: new Date().toISOString() };
    }, 'The signal is saved.');
  }

  private async exportCsv(): Promise<void> {
    const range = this.graph?.drawn;
    const opened = this.opened;
    if (!range || !opened) return;
    if (range.end - range.start > CSV_MAX_SAMPLES) {
      void this.acquire(notifyKey, `The view has ${(range.end - range.start).toLocaleString()} samples: zoom in to at most ${CSV_MAX_SAMPLES.toLocaleString()} to export CSV.`, 'error');
      return;
    }
    try {
      const graph = this.graph as GraphGadget;
      await downloadSourceCsv(opened.source, range, (index) => graph.toX(index), `${opened.plan.name}_${opened.plan.experimentName}`, { withUnits: true });
    } catch (error) {
      void this.acquire(notifyKey, `The CSV could not be made: ${messageOf(error)}`, 'error');
    }
  }

  /** Statistics of the samples in view, read out of core from the calibrated signal (statistics per timeslice, one slice). */
  private readonly statistics = this.job(
    async (signal, range: SampleRange) => {
      const opened = this.opened;
      if (!opened) return undefined;
      try {
        const { timesliceStatistics } = await import('../../../compute/statistics/timeslice-statistics');
        const result = await timesliceStatistics(windowSource(opened.source, { first: range.start, last: range.end }), { statistics: VIEW_STATISTICS, time_zone: 'UTC' }, { signal });
        return { range, values: result.slices[0]?.channels[0]?.values ?? {} };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => (this.viewStatistics = result),
  );

  private async spectrum(): Promise<void> {
    const opened = this.opened;
    if (!opened) return;
    await whileBusy(this, (label) => (this.busy = label), 'Computing the spectrum…', 'The spectrum could not be computed', async () => {
      const [{ computeSourceSpectrum }, storage] = await Promise.all([import('../../../compute/spectrum/array-spectrum'), this.acquire(storageKey)]);
      const id = await computeSourceSpectrum(storage, opened.source, this.docId, { scale: 'magnitude' }, { onProgress: (fraction) => (this.busy = `Computing the spectrum… ${Math.round(fraction * 100)} %`) });
      await this.acquire(navigateKey, formatHash('array/:id', { id }));
    });
  }

  override render() {
    if (this.problem) {
      return cannotOpen('This signal', this.problem, { href: '#/signals', label: 'All signals' });
    }
    const loaded = this.loaded;
    if (!loaded) return html`<p class="hint" role="status">Loading the signal…</p>`;
    const { signal, experiments } = loaded;
    return html`
      <form class="details" @submit=${(event: SubmitEvent) => this.saveDetails(event)} aria-label="Signal">
        <label>Name<input name="name" .value=${signal.name} required /></label>
        <label>Unit<input name="units" .value=${signal.units} /></label>
        <label class="wide">Description<input name="description" .value=${signal.description ?? ''} /></label>
        <label class="wide">Formula (derived from other signals; empty: read from its bindings)<input name="formula" .value=${signal.formula ?? ''} placeholder="Langmuir_I / Langmuir_V" /></label>
        <button type="submit">Save</button>
      </form>
      <h2 class="section">For an experiment</h2>
      <label class="field">Experiment
        <select @change=${(event: Event) => this.chooseExperiment((event.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!this.experimentId}>Choose an experiment…</option>
          ${experiments.map((experiment) => html`<option value=${experiment.id} ?selected=${experiment.id === this.experimentId}>${experimentLabel(experiment.doc)}</option>`)}
        </select>
      </label>
      ${this.renderOpened()}
      <h2 class="section">Bindings and their history</h2>
      ${this.renderBindings(signal, experiments)}
      ${this.editing
        ? html`<fs-binding-form
            .binding=${this.editing === 'new' ? undefined : this.editing}
            .experiments=${experiments.map((experiment) => ({ id: experiment.id, label: experimentLabel(experiment.doc) }))}
            .arrays=${loaded.arrays}
            .references=${loaded.references}
            units=${signal.units}
            @binding-submit=${(event: CustomEvent<BindingSubmit>) => this.onBinding(event)}
            @binding-cancel=${() => (this.editing = undefined)}
          ></fs-binding-form>`
        : html`<p><button @click=${() => (this.editing = 'new')}>Add binding</button></p>`}
      <button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the signal “${signal.name}”`, '#/signals')}>Delete signal</button>
    `;
  }

  private renderOpened() {
    if (!this.experimentId) return html`<p class="hint">Choose an experiment to see the signal as it was calibrated then.</p>`;
    if (this.openProblem) return html`<p class="error" role="alert">${this.openProblem}</p>`;
    const opened = this.opened;
    if (!opened) return html`<p class="hint" role="status">Resolving the signal…</p>`;
    const { plan, source } = opened;
    const units = source.doc.units?.y ?? '';
    const drawn = this.graph?.drawn;
    return html`
      ${plan.kind === 'bound'
        ? html`<p class="binding" role="status">${describePlan(plan)}</p>`
        : html`<div class="binding" role="status">Derived: ${plan.formula}, resampled to ${formatNumber(source.doc.sampling_rate ?? 1)} Hz, from<ul>${Object.values(plan.inputs).map((input) => html`<li>${input.name}: ${describePlan(input)}</li>`)}</ul></div>`}
      <div class="toolbar" role="toolbar" aria-label="Graph">
        <button @click=${() => this.graph?.zoom(2)} aria-label="Zoom in">+</button>
        <button @click=${() => this.graph?.zoom(0.5)} aria-label="Zoom out">−</button>
        <button @click=${() => this.graph?.resetView()}>Show all</button>
        <button @click=${() => void this.exportCsv()}>Export CSV</button>
        <button @click=${() => void this.spectrum()} ?disabled=${!!this.busy}>Spectrum</button>
        <label class="check"><input type="checkbox" .checked=${this.showSpectrogram} @change=${(event: Event) => void this.toggleSpectrogram((event.target as HTMLInputElement).checked)} /> Spectrogram</label>
        <button @click=${() => drawn && void this.statistics({ start: drawn.start, end: drawn.end }).catch(() => undefined)} ?disabled=${!drawn}>Statistics of the view</button>
        ${this.busy ? html`<span role="status">${this.busy}</span>` : nothing}
      </div>
      <fs-graph
        .source=${source}
        .range=${this.linkedRange}
        @view-change=${(event: CustomEvent<SampleRange>) => {
          this.requestUpdate();
          void this.rememberRange(event.detail).catch(() => undefined);
        }}
      ></fs-graph>
      <p class="readout" role="status" aria-label="Graph readout">
        ${drawn
          ? `Samples ${drawn.start.toLocaleString('en')}–${drawn.end.toLocaleString('en')} of ${sampleCount(source.doc).toLocaleString('en')} · min ${formatNumber(drawn.extremes[0]?.min ?? NaN)} ${units} · max ${formatNumber(drawn.extremes[0]?.max ?? NaN)} ${units}`
          : nothing}
      </p>
      ${this.showSpectrogram ? html`<fs-spectrogram .source=${source} .start=${drawn?.start} .end=${drawn?.end}></fs-spectrogram>` : nothing}
      ${this.renderViewStatistics(units)}
    `;
  }

  private renderViewStatistics(units: string) {
    const shown = this.viewStatistics;
    if (!shown) return nothing;
    if ('problem' in shown) return html`<p class="error" role="alert">The statistics could not be computed: ${shown.problem}</p>`;
    return html`<table class="statistics" aria-label="Statistics of the view">
      <caption>Samples ${shown.range.start.toLocaleString('en')}–${shown.range.end.toLocaleString('en')}${units ? `, in ${units}` : ''}</caption>
      <thead><tr>${VIEW_STATISTICS.map((name) => html`<th scope="col">${name}</th>`)}</tr></thead>
      <tbody><tr>${VIEW_STATISTICS.map((name) => html`<td>${formatNumber(shown.values[name] ?? NaN)}</td>`)}</tr></tbody>
    </table>`;
  }

  private renderBindings(signal: SignalDocument, experiments: ExperimentRef[]) {
    const derived = signal.formula ? html`<p class="hint">This signal is derived (${signal.formula}): it is computed from the signals its formula names, and its bindings are not used.</p>` : nothing;
    return html`${derived}${this.renderBindingTable(signal, experiments)}`;
  }

  private renderBindingTable(signal: SignalDocument, experiments: ExperimentRef[]) {
    if (signal.bindings.length === 0) return html`<p class="hint">No bindings yet: add one to say which array and channel carry this signal, and its calibration.</p>`;
    const names = new Map(experiments.map((experiment) => [experiment.id, experimentLabel(experiment.doc)]));
    const chosen = experiments.find((experiment) => experiment.id === this.experimentId);
    const plan = this.opened?.plan;
    const resolved = plan?.kind === 'bound' ? plan.binding.id : undefined;
    return html`<table class="bindings">
      <thead><tr><th scope="col">Binding</th><th scope="col">Holds for</th><th scope="col">Array, channel</th><th scope="col">Calibration</th><th scope="col">In force</th><th scope="col"><span class="hidden">Actions</span></th></tr></thead>
      <tbody>
        ${signal.bindings.map(
          (binding) => html`<tr class=${binding.id === resolved ? 'applies' : isCurrent(binding) ? '' : 'replaced'}>
            <th scope="row">${binding.id}${binding.id === resolved ? html`<br /><small>applies here</small>` : chosen && !isCurrent(binding) && bindingHolds(binding, chosen) ? html`<br /><small>applied here before</small>` : nothing}</th>
            <td>${'experiments' in binding.valid ? binding.valid.experiments.map((id) => names.get(id) ?? id).join(', ') : `${new Date(binding.valid.from).toLocaleString()} – ${binding.valid.to ? new Date(binding.valid.to).toLocaleString() : 'on'}`}</td>
            <td>${'id' in binding.array ? html`<fs-doc-link doc-id=${binding.array.id}></fs-doc-link>` : html`reference “${binding.array.reference}”`}, channel ${binding.channel + 1}</td>
            <td>${describeCalibration(binding.calibration)}<br /><small>${binding.units.raw || 'raw'} → ${binding.units.calibrated || signal.units || 'calibrated'}</small>${binding.note ? html`<br /><small>${binding.note}</small>` : nothing}</td>
            <td>from ${new Date(binding.since).toLocaleString()}${binding.until ? html`<br />until ${new Date(binding.until).toLocaleString()}${binding.replaced_by ? `, replaced by ${binding.replaced_by}` : ''}` : html`<br />now`}</td>
            <td>${isCurrent(binding) ? html`<button @click=${() => (this.editing = binding)} aria-label=${`Edit binding ${binding.id}`}>Edit</button>` : nothing}</td>
          </tr>`,
        )}
      </tbody>
    </table>`;
  }

  static override styles = [
    pageStyles,
    css`
      .details,
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      .details .wide {
        flex: 1 1 18rem;
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
      tr.applies {
        background: color-mix(in srgb, var(--accent, #0f5c6e) 10%, transparent);
      }
      tr.replaced {
        color: var(--muted, #4a5f66);
      }
      .hidden {
        position: absolute;
        clip: rect(0 0 0 0);
        width: 1px;
        height: 1px;
        overflow: hidden;
      }
      table.statistics {
        max-width: 48rem;
        font-variant-numeric: tabular-nums;
      }
      table.statistics caption {
        text-align: left;
        color: var(--muted, #4a5f66);
      }
      fs-binding-form {
        display: block;
        margin: 1rem 0;
      }
    `,
  ];
}

/** "Binding b2: channel 1 of <array>, 2 · raw + 0 (V → mA)"; a derived input says its formula. */
function describePlan(plan: SignalPlan) {
  if (plan.kind === 'derived') return html`derived: ${plan.formula}`;
  const { binding, arrayId, units } = plan;
  return html`Binding ${binding.id}: channel ${binding.channel + 1} of <fs-doc-link doc-id=${arrayId}></fs-doc-link>, ${describeCalibration(binding.calibration)} (${binding.units.raw || 'raw'} → ${units || 'calibrated'})`;
}

customElements.define('fs-signal-page', SignalPage);
