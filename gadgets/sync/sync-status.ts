import { css, html } from 'lit';
import { Gadget, untilAborted } from '../core';
import { syncKey } from '../shared/keys';
import type { SyncStatus } from '../../storage/sync';

const labels: Record<SyncStatus['state'], string> = {
  none: 'Not syncing',
  idle: 'Synced',
  syncing: 'Syncing…',
  offline: 'Offline',
  paused: 'Sync paused',
  error: 'Sync problem',
  elsewhere: 'Syncing in another tab',
};

/** The header's sync status: a word and a dot, the details on hover and for screen readers; opens the Remotes page. */
export class SyncStatusGadget extends Gadget {
  static override properties = { status: { state: true } };
  declare status: SyncStatus | undefined;

  constructor() {
    super();
    this.status = undefined;
    this.service(async (signal) => {
      const manager = await this.acquireWith({ signal }, syncKey);
      const subscription = manager.status.subscribe((status) => (this.status = status));
      await untilAborted(signal);
      subscription.unsubscribe();
    });
  }

  override render() {
    const status = this.status;
    if (!status) return html``;
    const details = [
      status.message,
      status.pending > 0 ? `${status.pending} change${status.pending === 1 ? '' : 's'} waiting to be sent.` : '',
      status.conflicts > 0 ? `${status.conflicts} conflict${status.conflicts === 1 ? '' : 's'} to settle.` : '',
      status.refused > 0 ? `${status.refused} document${status.refused === 1 ? '' : 's'} refused by the server.` : '',
      status.lastSync ? `Last synced ${new Date(status.lastSync).toLocaleString()}.` : '',
    ]
      .filter(Boolean)
      .join(' ');
    const attention = status.conflicts + status.refused;
    return html`<a href=${attention > 0 ? '#/conflicts' : '#/remotes'} class=${status.state} title=${details} data-last-sync=${status.lastSync ?? ''} aria-label=${`${labels[status.state]}. ${details}`}>
      <span class="dot" aria-hidden="true"></span>
      <span class="label">${labels[status.state]}${status.conflicts > 0 ? ` · ${status.conflicts} conflict${status.conflicts === 1 ? '' : 's'}` : ''}${status.refused > 0 ? ` · ${status.refused} refused` : ''}</span>
    </a>`;
  }

  static override styles = css`
    a {
      display: inline-flex;
      align-items: center;
      gap: 0.45rem;
      min-height: 44px;
      padding: 0 0.5rem;
      color: inherit;
      text-decoration: none;
      font-size: 0.9rem;
      white-space: nowrap;
    }
    .dot {
      width: 0.65rem;
      height: 0.65rem;
      border-radius: 50%;
      background: #9aa5a8;
    }
    .idle .dot {
      background: #3ccf7a;
    }
    .syncing .dot {
      background: #f5c542;
    }
    .elsewhere .dot {
      background: #9fd8b5;
    }
    .error .dot {
      background: #ff6b5e;
    }
    .offline .dot,
    .paused .dot {
      background: #c6d0d3;
    }
    @media (max-width: 480px) {
      .label {
        position: absolute;
        width: 1px;
        height: 1px;
        overflow: hidden;
        clip: rect(0 0 0 0);
      }
    }
  `;
}

customElements.define('fs-sync-status', SyncStatusGadget);
