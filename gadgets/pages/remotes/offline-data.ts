import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { storageKey, syncKey } from '../../shared/keys';
import { formatHash } from '../../shared/router';
import { itemPatternOf } from '../../shared/modules';
import { messageOf } from '../../shared/error-report';
import { asDataArray, dataBytes } from '../../../storage/arrays';
import type { Doc } from '../../../storage';
import { formatBytes } from '../../shared/format-bytes';
import { textField } from '../../shared/doc-fields';
import { pageStyles } from '../../shared/page-styles';
import '../../shared/keep-offline';

interface LargeData {
  id: string;
  title: string;
  href: string;
  bytes: number;
}

/** Rows shown at most: the largest first, which are the ones worth choosing about. */
const SHOWN = 100;

/**
 * The large arrays and streams this device syncs (`<fs-offline-data>`, on the Remotes page), largest first, each with
 * where its data is and the control to keep it offline or free the space: where a field engineer chooses, before going
 * out, what travels on the tablet. Smaller data always stays on the device and is not listed.
 */
export class OfflineData extends Gadget {
  static override properties = { rows: { state: true }, problem: { state: true } };
  declare rows: LargeData[] | undefined;
  declare problem: string | undefined;

  constructor() {
    super();
    this.rows = undefined;
    this.problem = undefined;
  }

  private readonly load = this.job(
    async (signal): Promise<{ rows?: LargeData[]; problem?: string }> => {
      try {
        const [storage, sync] = await Promise.all([this.acquireWith({ signal }, storageKey), this.acquireWith({ signal }, syncKey)]);
        const { rows } = await storage.allDocs({ query: 'portal_type:="Data Array" OR portal_type:="Data Stream"', include_docs: true, signal });
        const large = rows
          .map((row) => describe(row.id, row.doc ?? {}))
          .filter((row): row is LargeData => row !== undefined && row.bytes > sync.keepOfflineBytes)
          .sort((a, b) => b.bytes - a.bytes);
        return { rows: large };
      } catch (error) {
        if (signal.aborted) throw error;
        return { problem: messageOf(error) };
      }
    },
    ({ rows, problem }) => {
      this.rows = rows;
      this.problem = problem;
    },
  );

  override connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  override render() {
    if (this.problem) return html`<p class="error" role="alert">The data list cannot be read: ${this.problem}</p>`;
    if (!this.rows) return html`<p class="hint" role="status">Looking for large data…</p>`;
    if (this.rows.length === 0) return html`<p class="hint">No large arrays or streams: all data is kept on this device as it syncs.</p>`;
    return html`
      <table>
        <thead><tr><th scope="col">Name</th><th scope="col">Size</th><th scope="col">Data</th></tr></thead>
        <tbody>
          ${this.rows.slice(0, SHOWN).map(
            (row) => html`<tr>
              <td><a href=${row.href}>${row.title}</a></td>
              <td>${formatBytes(row.bytes)}</td>
              <td><fs-keep-offline doc-id=${row.id} expected-bytes=${row.bytes}></fs-keep-offline></td>
            </tr>`,
          )}
        </tbody>
      </table>
      ${this.rows.length > SHOWN ? html`<p class="hint">The ${SHOWN} largest of ${this.rows.length} are shown.</p>` : nothing}
    `;
  }

  static override styles = [pageStyles, css`td, th { padding: 0.4rem 0.75rem 0.4rem 0; text-align: left; vertical-align: middle; }`];
}

/** A document's data size as written (its data may be on the sync server only); undefined for anything else. */
function describe(id: string, doc: Doc): LargeData | undefined {
  const row = (bytes: number): LargeData => ({ id, title: textField(doc, 'title') || id, href: formatHash(itemPatternOf(doc['portal_type'])!, { id }), bytes });
  if (doc['portal_type'] === 'Data Stream') return row(typeof doc['size'] === 'number' ? doc['size'] : 0);
  const array = doc['portal_type'] === 'Data Array' ? asDataArray(doc, id) : undefined;
  if (array) return row(dataBytes(array));
  return undefined;
}

customElements.define('fs-offline-data', OfflineData);
