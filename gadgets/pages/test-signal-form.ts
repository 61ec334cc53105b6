import { css, html, nothing } from 'lit';
import { Gadget } from '../core';
import { navigateKey, storageKey } from '../shared/keys';
import { formatHash } from '../shared/router';
import { messageOf } from '../shared/error-report';
import { appendSamples, completeDataArray, createDataArray } from '../../storage/arrays';
import { demoSamples } from '../../compute/signals/demo-signal';
import { pageStyles } from '../shared/page-styles';

/** Samples written per append: bounded memory and visible progress whatever the size. */
const BATCH = 1 << 18;
const MAX_SAMPLES = 200_000_000;

/**
 * Makes a Data Array holding a known test signal (chirp + noise + spikes), to try graphs and spectra without data.
 * Shows progress and can be cancelled; a cancelled or failed array is removed, never left half-made.
 */
export class TestSignalForm extends Gadget {
  static override properties = { progress: { state: true }, problem: { state: true } };
  declare progress: number | undefined;
  declare problem: string | undefined;
  private controller: AbortController | undefined;
  /** The start time offered: when the form was opened (not re-read at each render, which would undo an edit). */
  private readonly defaultStart = localNow();

  constructor() {
    super();
    this.progress = undefined;
    this.problem = undefined;
  }

  private async generate(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = new FormData(event.target as HTMLFormElement);
    const samples = Number(form.get('samples'));
    const channels = Number(form.get('channels'));
    const rate = Number(form.get('rate'));
    // Wall-clock time on this device; a time axis lets the array have statistics per hour, day…
    const start = new Date(String(form.get('start') || Date.now()));
    if (!Number.isInteger(samples) || samples < 1 || samples > MAX_SAMPLES) {
      this.problem = `Samples must be a whole number from 1 to ${MAX_SAMPLES.toLocaleString()}.`;
      return;
    }
    if (!Number.isInteger(channels) || channels < 1 || channels > 8) {
      this.problem = 'Channels must be a whole number from 1 to 8.';
      return;
    }
    if (!(rate > 0)) {
      this.problem = 'The sampling rate must be a number above 0.';
      return;
    }
    if (Number.isNaN(start.getTime())) {
      this.problem = 'The start time is not a date and time.';
      return;
    }
    this.problem = undefined;
    const controller = new AbortController();
    this.controller = controller;
    const signal = controller.signal;
    this.progress = 0;
    let id: string | undefined;
    const storage = await this.acquire(storageKey);
    try {
      id = await createDataArray(storage, {
        title: `Test signal, ${samples.toLocaleString('en')} samples`,
        reference: `test-signal-${new Date().toISOString()}`,
        dtype: 'float32',
        channels,
        sampling_rate: rate,
        start_time: start.toISOString(),
        units: { y: 'V' },
        writing: true,
      });
      for (let start = 0; start < samples; start += BATCH) {
        await appendSamples(storage, id, demoSamples(start, Math.min(BATCH, samples - start), channels), { signal });
        this.progress = Math.min(1, (start + BATCH) / samples);
      }
      await completeDataArray(storage, id, { signal });
      await this.acquire(navigateKey, formatHash('array/:id', { id }));
    } catch (error) {
      if (id) await storage.remove(id).catch(() => undefined); // nothing half-made stays
      this.problem = signal.aborted ? 'Cancelled: nothing was kept.' : `The test signal could not be made: ${messageOf(error)}`;
    } finally {
      this.progress = undefined;
      this.controller = undefined;
    }
  }

  override render() {
    const busy = this.progress !== undefined;
    return html`
      <details>
        <summary>Make a test signal</summary>
        <form @submit=${(event: SubmitEvent) => void this.generate(event)}>
          <label>Samples <input name="samples" type="number" min="1" max=${MAX_SAMPLES} value="1000000" required /></label>
          <label>Channels <input name="channels" type="number" min="1" max="8" value="1" required /></label>
          <label>Sampling rate (Hz) <input name="rate" type="number" min="0" step="any" value="48000" required /></label>
          <label>Start time <input name="start" type="datetime-local" step="1" .value=${this.defaultStart} /></label>
          <button type="submit" ?disabled=${busy}>Generate</button>
          ${busy ? html`<button type="button" class="danger" @click=${() => this.controller?.abort()}>Cancel</button>` : nothing}
        </form>
        ${busy ? html`<progress max="1" .value=${this.progress ?? 0} aria-label="Writing the test signal"></progress>` : nothing}
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      </details>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      :host {
        margin-bottom: 1rem;
      }
      /* A list item keeps the disclosure triangle (display: flex drops it): without it the line reads as plain text,
         not as something to tap. */
      summary {
        cursor: pointer;
        display: list-item;
        min-height: 44px;
        box-sizing: border-box;
        padding-block: 0.7rem;
      }
      form {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
      }
      progress {
        width: 100%;
        margin-top: 0.5rem;
      }
    `,
  ];
}

/** This minute as a datetime-local value (wall-clock time on this device). */
function localNow(): string {
  const now = new Date();
  now.setSeconds(0, 0);
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

customElements.define('fs-test-signal-form', TestSignalForm);
