import { html } from 'lit';

/** What a document's page shows when the document cannot be opened: why, and the way back to its list. */
export function cannotOpen(what: string, why: string, list: { href: string; label: string }) {
  return html`<div class="error" role="alert">
    <p>${what} cannot be opened: ${why}</p>
    <p><a class="button" href=${list.href}>${list.label}</a></p>
  </div>`;
}
