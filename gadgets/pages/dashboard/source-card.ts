import { css, html, nothing, svg, type PropertyValues } from 'lit';
import { Gadget } from '../../core';
import { storageKey, syncKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import { readEnvelope, sampleCount } from '../../../storage/arrays';
import { formatBytes } from '../../shared/format-bytes';
import { locateData, shortLocation, type DataLocation } from '../../shared/data-location';
import { channelTime, latestSampleTime } from './sample-time';
import { sparklineShape, type SparklineShape } from './sparkline';
import type { SourceSummary } from './source-types';

/** Sparkline size in SVG units, and its columns: the envelope read is O(COLUMNS) values whatever the array's length. */
const WIDTH = 160;
const HEIGHT = 40;
const COLUMNS = 80;

/** What a card reads for itself, once it is shown. */
interface CardReading {
  shape?: SparklineShape;
  latest?: number;
  /** The last sample's time on the array's time channel (seconds), when it has one. */
  latestAt?: number;
  location?: DataLocation;
  problem?: string;
}

/**
 * Readings by source id and version, so a card scrolled away and back (or re-rendered by a live update of another
 * card) draws at once. Bounded: the oldest entries go first.
 */
const readings = new Map<string, CardReading>();
const READINGS_KEPT = 400;

function remember(key: string, reading: CardReading): void {
  readings.delete(key);
  readings.set(key, reading);
  if (readings.size > READINGS_KEPT) readings.delete(readings.keys().next().value!);
}

/**
 * One source on the dashboard (`<fs-source-card>`): its name linking to its page, a sparkline from the min/max pyramid,
 * the latest value and its time, size, where its data is and its last processing state. It reads its sparkline only
 * while attached: the dashboard attaches the visible cards only.
 */
export class SourceCard extends Gadget {
  static override properties = {
    source: { attribute: false },
    position: { type: Number },
    total: { type: Number },
    reading: { state: true },
  };
  declare source: SourceSummary | undefined;
  /** Its place in the list (1-based) and the list's length, for assistive technology (the list is virtual). */
  declare position: number;
  declare total: number;
  declare reading: CardReading | undefined;

  constructor() {
    super();
    this.source = undefined;
    this.position = 0;
    this.total = 0;
    this.reading = undefined;
  }

  private readonly read = this.job(
    async (signal, source: SourceSummary): Promise<CardReading> => {
      const [storage, sync] = await Promise.all([this.acquireWith({ signal }, storageKey), this.acquireWith({ signal }, syncKey)]);
      const location = await locateData(storage, sync, source.id, source.bytes, signal).then(
        (located) => located.location,
        (error: unknown) => {
          if (signal.aborted) throw error;
          return undefined;
        },
      );
      const reading: CardReading = location ? { location } : {};
      const samples = source.samples;
      if (!samples || sampleCount(samples.doc) === 0) return reading;
      try {
        const envelope = await readEnvelope(storage, samples.doc, samples.id, 0, sampleCount(samples.doc), COLUMNS, { signal });
        const last = envelope.channels[0]?.last;
        const times = samples.doc.time_channel === undefined ? undefined : envelope.channels[samples.doc.time_channel]?.last;
        return {
          ...reading,
          shape: sparklineShape(envelope, WIDTH, HEIGHT),
          ...(last && last.length > 0 ? { latest: last[last.length - 1]! } : {}),
          ...(times && times.length > 0 ? { latestAt: times[times.length - 1]! } : {}),
        };
      } catch (error) {
        if (signal.aborted) throw error;
        return { ...reading, problem: `Samples not readable here: ${messageOf(error)}` };
      }
    },
    (reading, source) => {
      remember(`${source.id}@${source.version}`, reading);
      if (source === this.source) this.reading = reading;
    },
  );

  protected override willUpdate(changed: PropertyValues<this>): void {
    const source = this.source;
    if (!changed.has('source') || !source) return;
    const before = changed.get('source');
    if (before && before.id === source.id && before.version === source.version) return;
    const known = readings.get(`${source.id}@${source.version}`);
    // A new version of the same source keeps showing the last reading until the new one is there (no flicker).
    if (known) this.reading = known;
    else if (before?.id !== source.id) this.reading = undefined;
    if (!known) void this.read(source).catch(() => undefined);
  }

  protected override updated(): void {
    this.setAttribute('role', 'listitem');
    this.setAttribute('aria-posinset', String(this.position));
    this.setAttribute('aria-setsize', String(this.total));
  }

  override render() {
    const source = this.source;
    if (!source) return nothing;
    const reading = this.reading;
    const samples = source.samples?.doc;
    // With a time channel, the last sample's time is read with the sparkline.
    const latestTime = !samples || sampleCount(samples) === 0 ? undefined : samples.time_channel === undefined ? latestSampleTime(samples) : reading?.latestAt === undefined ? { text: '…' } : channelTime(samples, reading.latestAt);
    const unit = samples?.units?.y ?? '';
    return html`<article class=${source.failed ? 'failed' : ''}>
      <h3><a href=${source.href}>${source.title}</a></h3>
      <span class="type">${source.typeLabel}</span>
      <div class="spark">${this.renderSparkline(reading, latestTime === undefined)}</div>
      <dl>
        <div>
          <dt>Latest</dt>
          <dd class="latest">
            ${latestTime === undefined
              ? 'no samples yet'
              : html`${reading?.latest === undefined ? '…' : formatValue(reading.latest, unit)} at
                  ${latestTime.iso ? html`<time datetime=${latestTime.iso}>${latestTime.text}</time>` : latestTime.text}`}
          </dd>
        </div>
        <div><dt>Size</dt><dd class="size">${formatBytes(source.bytes)}</dd></div>
        <div><dt>Data</dt><dd class="where">${reading?.location ? shortLocation[reading.location] : '…'}</dd></div>
        <div><dt>Processing</dt><dd class="state">${source.state}</dd></div>
      </dl>
    </article>`;
  }

  private renderSparkline(reading: CardReading | undefined, empty: boolean) {
    if (empty) return html`<span class="hint">Nothing to draw yet</span>`;
    if (reading?.problem) return html`<span class="hint">${reading.problem}</span>`;
    const shape = reading?.shape;
    if (!shape) return html`<span class="hint" aria-hidden="true">…</span>`;
    if (shape.path === '') return html`<span class="hint">No finite values to draw</span>`;
    const label = `Sparkline of ${this.source?.title ?? ''}: from ${formatValue(shape.low, '')} to ${formatValue(shape.high, '')}`;
    return html`<svg role="img" aria-label=${label} viewBox="0 0 ${WIDTH} ${HEIGHT}" preserveAspectRatio="none">
      ${svg`<path d=${shape.path} stroke-width=${shape.barWidth}></path>`}
    </svg>`;
  }

  static override styles = css`
    :host {
      display: block;
      width: 100%;
      padding-bottom: 0.6rem;
      box-sizing: border-box;
    }
    article {
      position: relative;
      display: grid;
      grid-template-columns: minmax(0, 1fr) 10rem;
      grid-template-areas: 'title spark' 'type spark' 'facts facts';
      gap: 0.2rem 1rem;
      padding: 0.6rem 0.9rem;
      border: 1px solid var(--border, #c9d6da);
      border-radius: 10px;
      background: var(--surface, #fff);
    }
    article:hover,
    article:focus-within {
      border-color: var(--accent, #0f5c6e);
    }
    article.failed {
      border-left: 6px solid var(--danger, #a4262c);
    }
    h3 {
      grid-area: title;
      margin: 0;
      font-size: 1.05rem;
    }
    /* The whole card is the link's target (44 px and more for a finger); the name stays the link's text. */
    h3 a {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
      color: inherit;
      overflow-wrap: anywhere;
    }
    h3 a::after {
      content: '';
      position: absolute;
      inset: 0;
      border-radius: 10px;
    }
    h3 a:focus-visible {
      outline: none;
    }
    h3 a:focus-visible::after {
      outline: 3px solid var(--accent, #0f5c6e);
      outline-offset: 2px;
    }
    .type {
      grid-area: type;
      color: var(--muted, #4a5f66);
      font-size: 0.9rem;
    }
    .spark {
      grid-area: spark;
      display: flex;
      align-items: center;
      height: 3rem;
    }
    svg {
      width: 100%;
      height: 100%;
    }
    path {
      stroke: var(--accent, #0f5c6e);
      fill: none;
    }
    .hint {
      color: var(--muted, #4a5f66);
      font-size: 0.85rem;
    }
    dl {
      grid-area: facts;
      display: flex;
      flex-wrap: wrap;
      gap: 0.2rem 1.5rem;
      margin: 0.2rem 0 0;
      font-size: 0.9rem;
    }
    dl div {
      display: flex;
      gap: 0.4rem;
    }
    dt {
      color: var(--muted, #4a5f66);
    }
    dd {
      margin: 0;
    }
  `;
}

function formatValue(value: number, unit: string): string {
  const text = Number.isFinite(value) ? Number(value.toPrecision(4)).toLocaleString('en', { maximumFractionDigits: 6 }) : String(value);
  return unit ? `${text} ${unit}` : text;
}

customElements.define('fs-source-card', SourceCard);
