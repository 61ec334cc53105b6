import { html, type PropertyValues } from 'lit';
import { Gadget } from '../../core';
import { navigateKey, storageKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { messageOf } from '../../shared/error-report';
import type { StatisticsDocument } from '../../../compute/statistics/statistics-document';
import { pageStyles } from '../../shared/page-styles';
import { encodeStatisticsChoice } from './statistics-link';

/**
 * A Statistics document (`#/statistics/<id>`, from the Statistics list or search): opens its array's Statistics view
 * with the same choice, where the kept result is shown (and recomputed if the array has changed since).
 */
export class StatisticsPage extends Gadget {
  static override properties = { params: { attribute: false }, problem: { state: true } };
  declare params: Record<string, string>;
  declare problem: string | undefined;

  constructor() {
    super();
    this.params = {};
    this.problem = undefined;
  }

  private readonly open = this.job(async (signal, id: string) => {
    try {
      const storage = await this.acquireWith({ signal }, storageKey);
      const doc = (await storage.get(id, { signal })) as StatisticsDocument;
      const { parameters } = doc;
      const choice = encodeStatisticsChoice({
        statistics: parameters.statistics,
        timeslice: parameters.timeslice ?? undefined,
        timeslice_is_static: parameters.timeslice_is_static ?? undefined,
        start_date: parameters.start_date ?? undefined,
        end_date: parameters.end_date ?? undefined,
        time_zone: parameters.time_zone,
      });
      await this.acquireWith({ signal }, navigateKey, formatHash('array/:id', { id: doc.array, stats: choice }), { replace: true });
    } catch (error) {
      if (!signal.aborted) this.problem = messageOf(error);
    }
  });

  protected override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('params') && this.params['id']) void this.open(this.params['id']).catch(() => {});
  }

  override render() {
    return this.problem ? html`<p class="error" role="alert">These statistics cannot be opened: ${this.problem}</p>` : html`<p class="hint" role="status">Opening the statistics…</p>`;
  }

  static override styles = [pageStyles];
}

customElements.define('fs-statistics-page', StatisticsPage);
