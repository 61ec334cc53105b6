import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { notifyKey, syncKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import type { SyncManager, RemoteConfig } from '../../../storage/sync';
import type { SyncConflict, SyncRefusal } from '../../../storage/replicate';
import { pageStyles } from '../../shared/page-styles';
import '../../shared/doc-link';

type Listed = SyncConflict & { target: RemoteConfig };
type Refused = SyncRefusal & { target: RemoteConfig };

/**
 * Conflicts (`#/conflicts`): documents changed both here and on a server since the last sync. Both versions side by
 * side; "Keep this one" makes it win on both sides, "Keep both" keeps the server's as a new document. Until then
 * this device shows its own version and nothing is lost. Below them, documents a server refused (its validation
 * rules, the account's rights), with its reason: the sync goes on without them and tries them again each time.
 */
export class ConflictsPage extends Gadget {
  static override properties = { params: { attribute: false }, conflicts: { state: true }, refused: { state: true }, problem: { state: true } };
  declare params: Record<string, string>;
  declare conflicts: Listed[] | undefined;
  declare refused: Refused[];
  declare problem: string | undefined;
  private manager: SyncManager | undefined;

  constructor() {
    super();
    this.params = {};
    this.conflicts = undefined;
    this.refused = [];
    this.problem = undefined;
    this.service(async (signal) => {
      this.manager = await this.acquireWith({ signal }, syncKey);
      await this.reload();
    });
  }

  private async reload(): Promise<void> {
    try {
      this.refused = (await this.manager?.refusals()) ?? [];
      this.conflicts = await this.manager?.conflicts();
    } catch (error) {
      this.problem = messageOf(error);
    }
  }

  private async choose(conflict: Listed, choice: 'local' | 'remote' | 'both'): Promise<void> {
    try {
      await this.manager?.resolve(conflict.target.id, conflict.id, choice);
      void this.acquire(notifyKey, choice === 'both' ? 'Both versions are kept.' : 'Settled: the chosen version is on both sides.');
    } catch (error) {
      void this.acquire(notifyKey, `Could not settle it: ${messageOf(error)}`, 'error');
    }
    await this.reload();
  }

  override render() {
    if (this.problem) return html`<p class="error" role="alert">The conflicts cannot be listed: ${this.problem}</p>`;
    if (!this.conflicts) return html`<p class="hint" role="status">Loading…</p>`;
    if (this.conflicts.length === 0) return html`<h2>Conflicts</h2><p class="hint" role="status">No conflicts: every synced document agrees with its server.</p>${this.renderRefused()}`;
    return html`
      <h2>Conflicts</h2>
      <p class="hint">These documents were changed on this device and on the server. This device shows its own version until you choose.</p>
      ${this.conflicts.map(
        (conflict) => html`<section class="conflict" aria-label=${`Conflict on ${conflict.id}`}>
          <h3>${String(conflict.local.body?.['title'] ?? conflict.remote.body?.['title'] ?? conflict.id)}</h3>
          ${JSON.stringify(conflict.local.body ?? null) === JSON.stringify(conflict.remote.body ?? null) && !conflict.local.deleted
            ? html`<p class="hint">The fields are the same on both sides; the attached data (an image, an array's samples) differs.</p>`
            : nothing}
          <div class="sides">
            ${this.renderSide('On this device', conflict.local, () => void this.choose(conflict, 'local'))}
            ${this.renderSide(`On ${conflict.target.title}`, conflict.remote, () => void this.choose(conflict, 'remote'))}
          </div>
          ${!conflict.local.deleted && !conflict.remote.deleted ? html`<button class="quiet" @click=${() => void this.choose(conflict, 'both')}>Keep both</button>` : nothing}
        </section>`,
      )}
      ${this.renderRefused()}
    `;
  }

  private renderRefused() {
    if (this.refused.length === 0) return nothing;
    return html`<section aria-labelledby="refused-heading">
      <h2 id="refused-heading">Refused by the server</h2>
      <p class="hint">The server did not accept these documents; the others synced. Each sync tries them again, and an edit that fixes them is sent at once.</p>
      <ul class="refused">
        ${this.refused.map(
          (refusal) => html`<li>
            <fs-doc-link doc-id=${refusal.id}></fs-doc-link> (${refusal.direction === 'push' ? `refused by ${refusal.target.title}` : 'refused by this device'},
            ${refusal.status}): ${refusal.reason}
          </li>`,
        )}
      </ul>
    </section>`;
  }

  private renderSide(label: string, side: SyncConflict['local'], keep: () => void) {
    return html`<div class="side">
      <h4>${label}</h4>
      ${side.deleted ? html`<p><em>Deleted</em></p>` : html`<pre>${JSON.stringify(side.body ?? {}, null, 2)}</pre>`}
      <button @click=${keep}>Keep this one</button>
    </div>`;
  }

  static override styles = [
    pageStyles,
    css`
      .conflict {
        border: 1px solid var(--border, #c9d6da);
        border-radius: 8px;
        padding: 0.75rem;
        margin-bottom: 1rem;
      }
      .sides {
        display: grid;
        grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr));
        gap: 0.75rem;
        margin-bottom: 0.75rem;
      }
      pre {
        white-space: pre-wrap;
        overflow-wrap: anywhere;
        background: color-mix(in srgb, var(--accent, #0f5c6e) 6%, transparent);
        padding: 0.5rem;
        border-radius: 6px;
        max-height: 20rem;
        overflow: auto;
      }
      button.quiet {
        background: transparent;
        color: var(--accent, #0f5c6e);
      }
    `,
  ];
}

customElements.define('fs-conflicts-page', ConflictsPage);
