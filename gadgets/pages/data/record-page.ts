import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import type { Recording, RecordingProgress } from '../../../compute/record/recording';
import type { LiveTrace } from '../../graph/live-trace';
import '../../graph/live-trace';
import { pageStyles } from '../../shared/page-styles';

/**
 * Record (`#/record`): the microphone into a Data Stream and a Data Array, written every half second, with a level
 * meter and a live trace; pause, resume, stop. Leaving the page stops the recording; what was recorded is kept.
 */
export class RecordPage extends Gadget {
  static override properties = {
    params: { attribute: false },
    progress: { state: true },
    problem: { state: true },
    starting: { state: true },
    finished: { state: true },
  };
  declare params: Record<string, string>;
  declare progress: RecordingProgress | undefined;
  declare problem: string | undefined;
  declare starting: boolean;
  /** The last recording, once stopped: links to its stream and array. */
  declare finished: { streamId: string; arrayId: string } | undefined;
  private recording: Recording | undefined;

  constructor() {
    super();
    this.params = {};
    this.progress = undefined;
    this.problem = undefined;
    this.starting = false;
    this.finished = undefined;
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    void this.recording?.stop();
  }

  private get trace(): LiveTrace | null {
    return this.renderRoot.querySelector<LiveTrace>('fs-live-trace');
  }

  private async start(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const title = String(new FormData(event.target as HTMLFormElement).get('title') ?? '').trim();
    this.problem = undefined;
    this.finished = undefined;
    this.starting = true;
    try {
      const [{ Recording }, storage] = await Promise.all([import('../../../compute/record/recording'), this.acquire(storageKey)]);
      const recording = await Recording.start(storage, { title });
      this.recording = recording;
      this.trace?.clear();
      recording.onBlock = (samples, channels) => this.trace?.push(samples, channels);
      recording.progress.subscribe((progress) => {
        this.progress = progress;
        if (progress.problem) this.problem = progress.problem;
        if (progress.state === 'stopped') {
          this.finished = { streamId: recording.streamId, arrayId: recording.arrayId };
          this.recording = undefined;
        }
      });
    } catch (error) {
      this.problem = messageOf(error);
    } finally {
      this.starting = false;
    }
  }

  override render() {
    const progress = this.progress;
    const active = !!this.recording && progress?.state !== 'stopped';
    const rate = this.recording?.sampleRate;
    return html`
      <h2>Record from the microphone</h2>
      ${active
        ? html`<div class="controls" role="group" aria-label="Recording">
            ${progress?.state === 'paused'
              ? html`<button @click=${() => void this.recording?.resume()}>Resume</button>`
              : html`<button @click=${() => void this.recording?.pause()}>Pause</button>`}
            <button class="danger" @click=${() => void this.recording?.stop()}>Stop</button>
            <span role="status" class="elapsed">${progress?.state === 'paused' ? 'Paused' : 'Recording'} · ${formatSeconds((progress?.samples ?? 0) / (rate ?? 1))} · ${(progress?.samples ?? 0).toLocaleString('en')} samples at ${rate?.toLocaleString('en')} Hz, ${(progress?.saved ?? 0).toLocaleString('en')} saved</span>
          </div>`
        : html`<form class="controls" @submit=${(event: SubmitEvent) => void this.start(event)}>
            <label>Title (optional) <input name="title" placeholder="e.g. Pump 3, bearing side" /></label>
            <button type="submit" ?disabled=${this.starting}>${this.starting ? 'Opening the microphone…' : 'Start recording'}</button>
          </form>`}
      <label class="level">
        Level
        <meter min="-60" max="0" low="-18" high="-3" optimum="-30" .value=${Math.max(-60, progress?.rmsDb ?? -60)}></meter>
        <span class="db">${active && Number.isFinite(progress?.peakDb) ? `peak ${Math.round(progress!.peakDb)} dBFS` : '—'}</span>
      </label>
      ${active || this.finished ? nothing : html`<p class="hint">The signal scrolls here as it is recorded:</p>`}
      <fs-live-trace sample-rate=${rate ?? 48000}></fs-live-trace>
      ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
      ${this.finished
        ? html`<p role="status">
            Recorded ${(progress?.samples ?? 0).toLocaleString('en')} samples:
            <a class="next" href=${formatHash('stream/:id', { id: this.finished.streamId })}>the stream</a> ·
            <a class="next" href=${formatHash('array/:id', { id: this.finished.arrayId })}>its graph</a>
          </p>`
        : html`<p class="hint">Samples are saved every half second: a reload or leaving this page keeps what was recorded.</p>`}
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        align-items: end;
        margin-bottom: 1rem;
      }
      /* Room for a title like the placeholder's ("e.g. Pump 3, bearing side"): the default input cut it off. */
      .controls label {
        flex: 1 1 16rem;
        max-width: 28rem;
      }
      .elapsed {
        font-variant-numeric: tabular-nums;
        align-self: center;
      }
      .level {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        margin: 0.5rem 0 1rem;
      }
      meter {
        flex: 1;
        max-width: 28rem;
        height: 1.2rem;
      }
      .db {
        font-variant-numeric: tabular-nums;
        min-width: 7rem;
      }
    `,
  ];
}

function formatSeconds(seconds: number): string {
  const whole = Math.floor(seconds);
  return `${Math.floor(whole / 60)}:${String(whole % 60).padStart(2, '0')}`;
}

customElements.define('fs-record-page', RecordPage);
