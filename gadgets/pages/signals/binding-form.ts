import { css, html, nothing, type PropertyValues } from 'lit';
import { Gadget } from '../../core';
import { messageOf } from '../../shared/error-report';
import type { SignalBinding } from '../../../compute/signals/signal-document';
import { bindingFromFields, fieldsFromBinding, type BindingBody, type BindingFields } from './binding-fields';
import { pageStyles } from '../../shared/page-styles';

export interface BindingChoice {
  id: string;
  label: string;
}

/** What the form submits: the new binding, and the binding it replaces (an edit) if any. */
export interface BindingSubmit {
  body: BindingBody;
  replaces: string | undefined;
}

/**
 * The form adding a binding to a signal, or editing one (recalibrate, rewire, change its validity): fires
 * `binding-submit` ({body, replaces}) with a checked binding, `binding-cancel` on Cancel. A field that is wrong is said
 * in the form, nothing is fired.
 */
export class BindingForm extends Gadget {
  static override properties = {
    binding: { attribute: false },
    experiments: { attribute: false },
    arrays: { attribute: false },
    references: { attribute: false },
    units: { type: String },
    fields: { state: true },
    problem: { state: true },
  };
  declare binding: SignalBinding | undefined;
  declare experiments: BindingChoice[];
  declare arrays: BindingChoice[];
  /** The arrays' references, offered when the binding reads "each experiment's array with this reference". */
  declare references: string[];
  /** The signal's unit, the default calibrated unit of a new binding. */
  declare units: string;
  declare fields: BindingFields;
  declare problem: string | undefined;

  constructor() {
    super();
    this.binding = undefined;
    this.experiments = [];
    this.arrays = [];
    this.references = [];
    this.units = '';
    this.fields = fieldsFromBinding(undefined);
    this.problem = undefined;
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('binding') || changed.has('units')) this.fields = fieldsFromBinding(this.binding, this.units);
  }

  private set<K extends keyof BindingFields>(key: K, value: BindingFields[K]): void {
    this.fields = { ...this.fields, [key]: value };
  }

  private input(key: Exclude<keyof BindingFields, 'experiments' | 'validity' | 'arrayMode' | 'kind'>, label: string, extra: { type?: string; hint?: string; list?: string } = {}) {
    return html`<label>${label}<input name=${key} type=${extra.type ?? 'text'} step=${extra.type === 'datetime-local' ? '1' : nothing} list=${extra.list ?? nothing} .value=${this.fields[key]} placeholder=${extra.hint ?? nothing} @input=${(event: Event) => this.set(key, (event.target as HTMLInputElement).value)} /></label>`;
  }

  private submit(event: SubmitEvent): void {
    event.preventDefault();
    try {
      const body = bindingFromFields(this.fields);
      this.problem = undefined;
      this.dispatchEvent(new CustomEvent<BindingSubmit>('binding-submit', { detail: { body, replaces: this.binding?.id }, bubbles: true, composed: true }));
    } catch (error) {
      this.problem = messageOf(error);
    }
  }

  private toggleExperiment(id: string, checked: boolean): void {
    const others = this.fields.experiments.filter((experiment) => experiment !== id);
    this.set('experiments', checked ? [...others, id] : others);
  }

  override render() {
    const { fields } = this;
    return html`<form @submit=${(event: SubmitEvent) => this.submit(event)} aria-label=${this.binding ? `Edit binding ${this.binding.id}` : 'New binding'}>
      <fieldset>
        <legend>Holds for</legend>
        <label class="check"><input type="radio" name="validity" .checked=${fields.validity === 'experiments'} @change=${() => this.set('validity', 'experiments')} /> These experiments</label>
        <label class="check"><input type="radio" name="validity" .checked=${fields.validity === 'time'} @change=${() => this.set('validity', 'time')} /> A time range</label>
        ${fields.validity === 'experiments'
          ? this.experiments.length === 0
            ? html`<p class="hint">No experiments yet: create one in Experiments, or give a time range.</p>`
            : html`<div class="choices">${this.experiments.map(
                (experiment) => html`<label class="check"><input type="checkbox" .checked=${fields.experiments.includes(experiment.id)} @change=${(event: Event) => this.toggleExperiment(experiment.id, (event.target as HTMLInputElement).checked)} /> ${experiment.label}</label>`,
              )}</div>`
          : html`<div class="row">${this.input('from', 'From', { type: 'datetime-local' })}${this.input('to', 'To (empty: open-ended)', { type: 'datetime-local' })}</div>`}
      </fieldset>
      <fieldset>
        <legend>Carried by</legend>
        <label class="check"><input type="radio" name="arrayMode" .checked=${fields.arrayMode === 'id'} @change=${() => this.set('arrayMode', 'id')} /> This array</label>
        <label class="check"><input type="radio" name="arrayMode" .checked=${fields.arrayMode === 'reference'} @change=${() => this.set('arrayMode', 'reference')} /> Each experiment's array with this reference</label>
        <div class="row">
          ${fields.arrayMode === 'id'
            ? html`<label>Array<select name="array" @change=${(event: Event) => this.set('array', (event.target as HTMLSelectElement).value)}>
                <option value="" ?selected=${fields.array === ''}>Choose…</option>
                ${this.arrays.map((array) => html`<option value=${array.id} ?selected=${fields.array === array.id}>${array.label}</option>`)}
              </select></label>`
            : html`${this.input('reference', 'Array reference', { hint: 'digitizer-1', list: 'references' })}<datalist id="references">${this.references.map((reference) => html`<option value=${reference}></option>`)}</datalist>`}
          ${this.input('channel', 'Channel', { type: 'number' })}
        </div>
      </fieldset>
      <fieldset>
        <legend>Calibration</legend>
        <div class="row">
          <label>Kind<select name="kind" @change=${(event: Event) => this.set('kind', (event.target as HTMLSelectElement).value as BindingFields['kind'])}>
            <option value="linear" ?selected=${fields.kind === 'linear'}>Gain and offset</option>
            <option value="polynomial" ?selected=${fields.kind === 'polynomial'}>Polynomial</option>
            <option value="table" ?selected=${fields.kind === 'table'}>Lookup table</option>
          </select></label>
          ${fields.kind === 'linear' ? html`${this.input('gain', 'Gain')}${this.input('offset', 'Offset')}` : nothing}
          ${fields.kind === 'polynomial' ? this.input('coefficients', 'Coefficients, lowest power first', { hint: '0, 1.5, -0.02' }) : nothing}
          ${fields.kind === 'table' ? this.input('points', 'Points raw:value (linear between)', { hint: '0:0, 1:12.5, 2:20' }) : nothing}
        </div>
        <div class="row">${this.input('rawUnits', 'Raw unit')}${this.input('calibratedUnits', 'Calibrated unit')}</div>
        ${this.input('note', 'Note (why this change)')}
      </fieldset>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      <div class="row">
        <button type="submit">${this.binding ? 'Save as a new binding' : 'Add binding'}</button>
        <button type="button" class="danger" @click=${() => this.dispatchEvent(new CustomEvent('binding-cancel', { bubbles: true, composed: true }))}>Cancel</button>
      </div>
    </form>`;
  }

  static override styles = [
    pageStyles,
    css`
      fieldset {
        border: 1px solid var(--border, #c9d6da);
        border-radius: 6px;
        margin: 0 0 0.75rem;
      }
      .row,
      .choices {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      label.check {
        display: inline-flex;
        flex-direction: row;
        align-items: center;
        gap: 0.35rem;
        min-height: 44px;
        color: inherit;
      }
    `,
  ];
}

customElements.define('fs-binding-form', BindingForm);
