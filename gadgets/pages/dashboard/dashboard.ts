import { css, html } from 'lit';
import { keyed } from 'lit/directives/keyed.js';
import { styleMap } from 'lit/directives/style-map.js';
import '@lit-labs/virtualizer';
import { Gadget, sleep } from '../../core';
import { storageKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import type { Doc, Storage } from '../../../storage';
import { pageStyles } from '../../shared/page-styles';
import { orderSources, isSourceSort, sourceSorts, type SourceFilter } from './source-order';
import { sourceQuery, sourceTypeOf, sourceTypes, summarizeSource, type SourceSummary } from './source-types';
import './source-card';

/** Live changes are gathered this long before the cards are updated: a recording writes every half second. */
export const DASHBOARD_THROTTLE_MS = 500;

/**
 * Every source (Data Streams, Data Arrays; see `sourceTypes`) as a card (`<fs-dashboard>`), filtered by words and type,
 * sorted by name, size or recent change. The list is virtual: only the cards in view are in the DOM, and each reads its
 * sparkline from the pyramid when it is shown, so a thousand sources open as fast as ten. It follows the storage's
 * changes feed: a recording in progress moves.
 */
export class Dashboard extends Gadget {
  static override properties = { shown: { state: true }, total: { state: true }, problem: { state: true }, filter: { state: true } };
  declare shown: SourceSummary[] | undefined;
  /** All sources, before filtering. */
  declare total: number;
  declare problem: string | undefined;
  declare filter: SourceFilter;
  private docs = new Map<string, Doc>();
  private summaries = new Map<string, SourceSummary>();

  constructor() {
    super();
    this.shown = undefined;
    this.total = 0;
    this.problem = undefined;
    this.filter = { text: '', type: '', sort: 'recent' };
    this.service((signal) => this.follow(signal));
  }

  /** Loads every source, then applies the changes that arrive, at most once per DASHBOARD_THROTTLE_MS. */
  private async follow(signal: AbortSignal): Promise<void> {
    const storage = await this.acquireWith({ signal }, storageKey);
    const pending = new Set<string>();
    let wake: (() => void) | undefined;
    // Subscribed before the first read, so nothing written meanwhile is missed (it is read again after).
    const subscription = storage.changes({ since: 'now', live: true }).subscribe((change) => {
      pending.add(change.id);
      wake?.();
    });
    const stop = () => wake?.();
    signal.addEventListener('abort', stop, { once: true });
    try {
      await this.loadAll(storage, signal);
      while (!signal.aborted) {
        if (pending.size === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
        await sleep(DASHBOARD_THROTTLE_MS, signal);
        const ids = [...pending];
        pending.clear();
        await this.refresh(storage, ids, signal);
      }
    } finally {
      signal.removeEventListener('abort', stop);
      subscription.unsubscribe();
    }
  }

  private async loadAll(storage: Storage, signal: AbortSignal): Promise<void> {
    try {
      const { rows } = await storage.allDocs({ query: sourceQuery(), include_docs: true, signal });
      this.docs = new Map(rows.map((row) => [row.id, row.doc ?? {}]));
      this.summaries = new Map();
      this.summarize([...this.docs.keys()]);
      this.problem = undefined;
    } catch (error) {
      if (signal.aborted) throw error;
      this.problem = messageOf(error);
    }
  }

  /** Reads the documents that changed, and the cards drawn from them (a stream drawn from its array). */
  private async refresh(storage: Storage, ids: string[], signal: AbortSignal): Promise<void> {
    await Promise.all(
      ids.map(async (id) => {
        try {
          const doc = await storage.get(id, { signal });
          if (sourceTypeOf(doc)) this.docs.set(id, doc);
          else this.docs.delete(id);
        } catch (error) {
          if (signal.aborted) throw error;
          this.docs.delete(id); // deleted (404) or unreadable: no card
        }
      }),
    );
    const changed = new Set(ids);
    const dependents = [...this.docs].filter(([id, doc]) => {
      const samplesId = sourceTypeOf(doc)?.samplesId(id, doc);
      return samplesId !== undefined && samplesId !== id && changed.has(samplesId);
    });
    this.summarize([...ids, ...dependents.map(([id]) => id)]);
  }

  private summarize(ids: string[]): void {
    const lookup = (id: string) => this.docs.get(id);
    for (const id of ids) {
      const doc = this.docs.get(id);
      const summary = doc ? summarizeSource(id, doc, lookup) : undefined;
      if (summary) this.summaries.set(id, summary);
      else this.summaries.delete(id);
    }
    this.order();
  }

  private order(): void {
    this.total = this.summaries.size;
    this.shown = orderSources(this.summaries.values(), this.filter);
  }

  private setFilter(change: Partial<SourceFilter>): void {
    this.filter = { ...this.filter, ...change };
    this.order();
  }

  override render() {
    return html`
      <h2 id="sources-heading">Sources</h2>
      <form class="controls" role="search" aria-label="Filter the sources" @submit=${(event: Event) => event.preventDefault()}>
        <label class="text">
          <span>Filter</span>
          <input type="search" name="q" placeholder="Words of the name" .value=${this.filter.text} @input=${(event: InputEvent) => this.setFilter({ text: (event.target as HTMLInputElement).value })} />
        </label>
        <label>
          <span>Type</span>
          <select name="type" @change=${(event: Event) => this.setFilter({ type: (event.target as HTMLSelectElement).value })}>
            <option value="" ?selected=${this.filter.type === ''}>All types</option>
            ${sourceTypes.map((type) => html`<option value=${type.key} ?selected=${this.filter.type === type.key}>${type.label}s</option>`)}
          </select>
        </label>
        <label>
          <span>Sort</span>
          <select
            name="sort"
            @change=${(event: Event) => {
              const value = (event.target as HTMLSelectElement).value;
              if (isSourceSort(value)) this.setFilter({ sort: value });
            }}
          >
            ${Object.entries(sourceSorts).map(([key, sort]) => html`<option value=${key} ?selected=${this.filter.sort === key}>${sort.label}</option>`)}
          </select>
        </label>
      </form>
      ${this.renderList()}
    `;
  }

  private renderList() {
    if (this.problem) return html`<p class="error" role="alert">The sources cannot be listed: ${this.problem}</p>`;
    const shown = this.shown;
    if (!shown) return html`<p class="hint" role="status">Looking for sources…</p>`;
    const count = html`<p class="hint count" role="status">
      ${shown.length === this.total ? `${this.total.toLocaleString('en')} source${this.total === 1 ? '' : 's'}` : `${shown.length.toLocaleString('en')} of ${this.total.toLocaleString('en')} sources`}
    </p>`;
    if (this.total === 0) return html`<p class="hint" role="status">No sources yet: <a href="#/import">import a file</a>, <a href="#/record">record</a> or make a test signal in <a href="#/arrays">Data Arrays</a>.</p>`;
    if (shown.length === 0) return html`${count}<p class="hint">No source matches this filter.</p>`;
    // The list scrolls inside its own box (at most 70 % of the screen), so what follows it stays near. A new filter or
    // order gets a new list, starting at its first card (one scrolled far down a long list would show nothing). The
    // height goes through styleMap, which leaves the virtualizer's own inline styles (overflow, contain) alone.
    const { text, type, sort } = this.filter;
    return html`${count}
      ${keyed(
        JSON.stringify([text, type, sort]),
        html`<lit-virtualizer
        scroller
        role="list"
        aria-labelledby="sources-heading"
        style=${styleMap({ height: `min(70vh, ${shown.length * 9}rem)` })}
        .items=${shown}
        .keyFunction=${(source: SourceSummary) => source.id}
        .renderItem=${(source: SourceSummary, index: number) => html`<fs-source-card .source=${source} position=${index + 1} total=${shown.length}></fs-source-card>`}
        ></lit-virtualizer>`,
      )}`;
  }

  static override styles = [
    pageStyles,
    css`
      :host {
        margin-bottom: 1.5rem;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.75rem;
        margin-bottom: 0.5rem;
      }
      .controls .text {
        flex: 1 1 14rem;
      }
      .count {
        margin: 0 0 0.4rem;
      }
      lit-virtualizer {
        border-radius: 10px;
      }
    `,
  ];
}

customElements.define('fs-dashboard', Dashboard);
