import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget } from '../../core';
import { notifyKey, pageTitleKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import { updateDocument } from '../../../storage/update-document';
import { isStorageError } from '../../../storage/storage-error';
import { checkExperiment, CONDITION_TYPES, type ExperimentDocument } from '../../../compute/signals/experiment-document';
import { checkSignal, type SignalDocument } from '../../../compute/signals/signal-document';
import { experimentArrays, resolveBinding, type ArrayRef, type Resolution } from '../../../compute/signals/resolve-binding';
import { arrayRefs } from '../../../compute/signals/resolve-signal';
import { describeCalibration } from '../../../compute/signals/calibration';
import { fromLocalTime, toLocalTime } from './binding-fields';
import { confirmAndDelete } from '../../shared/delete-document';
import { pageStyles } from '../../shared/page-styles';
import '../../shared/doc-link';
import { cannotOpen } from '../../shared/cannot-open';

interface Loaded {
  experiment: ExperimentDocument;
  arrays: ArrayRef[];
  signals: Array<{ id: string; name: string; resolution: Resolution | { problem: string } | { formula: string } }>;
}

const CONDITION_LABELS: Record<string, string> = { operator: 'Operator', gas: 'Gas', pressure_pa: 'Pressure (Pa)', temperature_k: 'Temperature (K)', magnetic_field_t: 'Magnetic field (T)' };

/**
 * An experiment (`#/experiment/<id>`): its name, shot, time range, notes and conditions (edited in place), the arrays
 * that belong to it (linked by hand, or recorded in its time range) and every signal as it resolves for it.
 */
export class ExperimentPage extends Gadget {
  static override properties = { params: { attribute: false }, loaded: { state: true }, problem: { state: true }, formProblem: { state: true } };
  declare params: Record<string, string>;
  declare loaded: Loaded | undefined;
  declare problem: string | undefined;
  declare formProblem: string | undefined;
  private allArrays: ArrayRef[] = [];

  constructor() {
    super();
    this.params = {};
    this.loaded = undefined;
    this.problem = undefined;
    this.formProblem = undefined;
  }

  private get docId(): string {
    return this.params['id'] ?? '';
  }

  private readonly load = this.job(
    async (signal, id: string) => {
      try {
        const storage = await this.acquireWith({ signal }, storageKey);
        const [doc, arrays, signalRows] = await Promise.all([storage.get(id, { signal }), arrayRefs(storage, { signal }), storage.allDocs({ query: 'portal_type:="Signal"', include_docs: true, signal })]);
        const experiment = checkExperiment(doc, id);
        const ref = { id, doc: experiment };
        const signals = signalRows.rows.flatMap((row): Loaded['signals'] => {
          let checked: SignalDocument;
          try {
            checked = checkSignal(row.doc ?? {}, row.id);
          } catch (error) {
            // An unusable signal is listed with what is wrong, not hidden.
            if (isStorageError(error, 400)) return [{ id: row.id, name: String(row.doc?.['title'] ?? row.id), resolution: { problem: error.message } }];
            throw error;
          }
          if (checked.formula !== undefined) return [{ id: row.id, name: checked.name, resolution: { formula: checked.formula } }];
          let resolution: Resolution | { problem: string };
          try {
            resolution = resolveBinding(checked, ref, arrays);
          } catch (error) {
            resolution = { problem: messageOf(error) };
          }
          return [{ id: row.id, name: checked.name, resolution }];
        });
        return { loaded: { experiment, arrays: experimentArrays(ref, arrays), signals }, all: arrays };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    (result) => {
      this.loaded = result.loaded;
      this.problem = result.problem;
      this.allArrays = result.all ?? [];
      if (result.loaded) void this.acquire(pageTitleKey, `Experiment ${result.loaded.experiment.name}`);
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && changed.get('params')?.['id'] !== this.docId) {
      this.loaded = undefined;
      this.problem = undefined;
      void this.load(this.docId);
    }
  }

  /** Stores an edit (checked as an Experiment first: a wrong field is said, nothing written). */
  private async change(edit: (experiment: ExperimentDocument) => ExperimentDocument, done: string): Promise<void> {
    try {
      const storage = await this.acquire(storageKey);
      await updateDocument(storage, this.docId, (current) => checkExperiment({ ...edit(checkExperiment(current, this.docId)), modification_date: new Date().toISOString() }, this.docId));
      this.formProblem = undefined;
      void this.acquire(notifyKey, done);
      void this.load(this.docId);
    } catch (error) {
      this.formProblem = messageOf(error);
    }
  }

  private save(event: SubmitEvent): void {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const text = (name: string) => String(form.get(name) ?? '').trim();
    let others: Record<string, unknown>;
    try {
      const parsed: unknown = text('other') ? JSON.parse(text('other')) : {};
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      others = parsed as Record<string, unknown>;
    } catch {
      this.formProblem = 'Other conditions must be a JSON object, e.g. {"coil": "B", "runs": 3}.';
      return;
    }
    const conditions: Record<string, unknown> = { ...others };
    for (const [key, type] of Object.entries(CONDITION_TYPES)) {
      const value = text(`condition-${key}`);
      if (value === '') delete conditions[key];
      else conditions[key] = type === 'number' ? Number(value) : value;
    }
    const start = text('start') ? fromLocalTime(text('start')) ?? text('start') : undefined;
    const end = text('end') ? fromLocalTime(text('end')) ?? text('end') : undefined;
    const shot = text('shot') === '' ? undefined : Number(text('shot'));
    void this.change((experiment) => {
      const { start: _start, end: _end, shot: _shot, ...rest } = experiment;
      const name = text('name') || experiment.name;
      return { ...rest, name, title: name, notes: text('notes'), conditions, ...(start !== undefined ? { start } : {}), ...(end !== undefined ? { end } : {}), ...(shot !== undefined ? { shot } : {}) };
    }, 'The experiment is saved.');
  }

  private link(arrayId: string, linked: boolean): void {
    if (!arrayId) return;
    void this.change((experiment) => ({ ...experiment, arrays: linked ? [...experiment.arrays.filter((id) => id !== arrayId), arrayId] : experiment.arrays.filter((id) => id !== arrayId) }), linked ? 'The array is linked.' : 'The array is unlinked.');
  }

  override render() {
    if (this.problem) {
      return cannotOpen('This experiment', this.problem, { href: '#/experiments', label: 'All experiments' });
    }
    const loaded = this.loaded;
    if (!loaded) return html`<p class="hint" role="status">Loading the experiment…</p>`;
    const { experiment, arrays, signals } = loaded;
    const typed = new Set(Object.keys(CONDITION_TYPES));
    const others = Object.fromEntries(Object.entries(experiment.conditions).filter(([key]) => !typed.has(key)));
    const linkable = this.allArrays.filter((array) => !experiment.arrays.includes(array.id));
    return html`
      <form class="details" @submit=${(event: SubmitEvent) => this.save(event)} aria-label="Experiment">
        <label>Name<input name="name" .value=${experiment.name} required /></label>
        <label>Shot<input name="shot" type="number" min="0" step="1" .value=${experiment.shot === undefined ? '' : String(experiment.shot)} /></label>
        <label>Start<input name="start" type="datetime-local" step="1" .value=${experiment.start ? toLocalTime(experiment.start) : ''} /></label>
        <label>End<input name="end" type="datetime-local" step="1" .value=${experiment.end ? toLocalTime(experiment.end) : ''} /></label>
        ${Object.entries(CONDITION_TYPES).map(
          ([key, type]) => html`<label>${CONDITION_LABELS[key] ?? key}<input name=${`condition-${key}`} type=${type === 'number' ? 'number' : 'text'} step="any" .value=${experiment.conditions[key] === undefined ? '' : String(experiment.conditions[key])} /></label>`,
        )}
        <label class="wide">Other conditions (JSON)<textarea name="other" rows="3" .value=${Object.keys(others).length ? JSON.stringify(others, null, 1) : ''}></textarea></label>
        <label class="wide">Notes<textarea name="notes" rows="3" .value=${experiment.notes ?? ''}></textarea></label>
        <button type="submit">Save</button>
      </form>
      ${this.formProblem ? html`<p class="error" role="alert">${this.formProblem}</p>` : nothing}
      <h2 class="section">Arrays</h2>
      ${arrays.length === 0
        ? html`<p class="hint">No arrays: none is linked, and ${experiment.start ? 'none was recorded in its time range' : 'it has no time range'}.</p>`
        : html`<ul class="arrays">${arrays.map((array) => {
            const linked = experiment.arrays.includes(array.id);
            return html`<li><fs-doc-link doc-id=${array.id}></fs-doc-link> <small>(${array.reference}; ${linked ? 'linked' : 'recorded in its time range'})</small>
              ${linked ? html`<button class="danger" @click=${() => this.link(array.id, false)} aria-label=${`Unlink ${array.title}`}>Unlink</button>` : nothing}</li>`;
          })}</ul>`}
      ${linkable.length
        ? html`<form class="details" aria-label="Link an array" @submit=${(event: SubmitEvent) => {
            event.preventDefault();
            this.link(String(new FormData(event.target as HTMLFormElement).get('array') ?? ''), true);
          }}>
            <label>Link an array<select name="array">${linkable.map((array) => html`<option value=${array.id}>${array.title || array.id} (${array.reference})</option>`)}</select></label>
            <button type="submit">Link</button>
          </form>`
        : nothing}
      <h2 class="section">Signals</h2>
      ${signals.length === 0
        ? html`<p class="hint">No signals yet: create them in <a href="#/signals">Signals</a>.</p>`
        : html`<table>
            <thead><tr><th scope="col">Signal</th><th scope="col">For this experiment</th></tr></thead>
            <tbody>${signals.map(
              ({ id, name, resolution }) => html`<tr>
                <th scope="row"><a href=${formatHash('signal/:id', { id, experiment: this.docId })}>${name}</a></th>
                <td>${'problem' in resolution
                  ? html`<span class="muted">${resolution.problem}</span>`
                  : 'formula' in resolution
                    ? html`derived: ${resolution.formula}`
                    : html`binding ${resolution.binding.id}: channel ${resolution.binding.channel + 1} of <fs-doc-link doc-id=${resolution.arrayId}></fs-doc-link>, ${describeCalibration(resolution.binding.calibration)} → ${resolution.binding.units.calibrated}`}</td>
              </tr>`,
            )}</tbody>
          </table>`}
      <p><button class="danger" @click=${() => void confirmAndDelete(this, this.docId, `the experiment “${experiment.name}”`, '#/experiments')}>Delete experiment</button></p>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .details {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 0.75rem;
      }
      .details .wide {
        flex: 1 1 24rem;
      }
      textarea {
        font: inherit;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        padding: 0.4rem 0.6rem;
      }
      .arrays li {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        min-height: 44px;
      }
      .muted {
        color: var(--muted, #4a5f66);
      }
    `,
  ];
}

customElements.define('fs-experiment-page', ExperimentPage);
