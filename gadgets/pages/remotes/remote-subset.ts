import { css, html, nothing } from 'lit';
import { Gadget } from '../../core';
import { notifyKey, syncKey } from '../../shared/keys';
import { messageOf } from '../../shared/error-report';
import { modules } from '../../shared/modules';
import type { RemoteConfig } from '../../../storage/sync';
import { pageStyles } from '../../shared/page-styles';

/** The document types a device can choose to take from a remote: those of the modules that list documents. */
const CHOOSABLE = modules.flatMap((module) => (module.list ? [{ type: module.list.portalType, label: module.label }] : []));

/**
 * `<fs-remote-subset>`: what this device takes from one remote (partial sync): all of it, or documents of chosen
 * modules and/or matching a query (e.g. `experiment:="shot-42"`), so a tablet carries only what its work needs.
 * Documents already here, and those made here, sync whatever is chosen.
 */
export class RemoteSubsetForm extends Gadget {
  static override properties = { remote: { attribute: false }, problem: { state: true } };

  declare remote: RemoteConfig | undefined;
  declare problem: string | undefined;

  constructor() {
    super();
    this.remote = undefined;
    this.problem = undefined;
  }

  private async save(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (!this.remote) return;
    const form = new FormData(event.target as HTMLFormElement);
    const everything = form.get('scope') === 'all';
    const portal_types = everything ? [] : form.getAll('type').map(String);
    const query = everything ? '' : String(form.get('query') ?? '').trim();
    try {
      const manager = await this.acquire(syncKey);
      await manager.setSubset(this.remote.id, portal_types.length || query ? { portal_types, query } : undefined);
      this.remote = (await manager.remotes()).find((remote) => remote.id === this.remote?.id) ?? this.remote;
      this.problem = undefined;
      void this.acquire(notifyKey, portal_types.length || query ? 'Saved: the next sync brings what you chose; what is here stays.' : 'Saved: this device takes everything from this remote.');
    } catch (error) {
      this.problem = `Not saved: ${messageOf(error)}`;
    }
  }

  override render() {
    const subset = this.remote?.subset;
    const chosen = new Set(subset?.portal_types ?? []);
    const some = subset !== undefined;
    return html`<details ?open=${some}>
      <summary>What this device takes: ${some ? describe(subset.portal_types, subset.query) : 'everything'}</summary>
      <form @submit=${(event: SubmitEvent) => void this.save(event)} aria-label="What this device takes">
        <label><input type="radio" name="scope" value="all" ?checked=${!some} /> Everything on this remote</label>
        <label><input type="radio" name="scope" value="some" ?checked=${some} /> Only:</label>
        <fieldset>
          <legend>Modules</legend>
          ${CHOOSABLE.map(({ type, label }) => html`<label><input type="checkbox" name="type" value=${type} ?checked=${chosen.has(type)} /> ${label}</label>`)}
        </fieldset>
        <label>Matching <input name="query" .value=${subset?.query ?? ''} placeholder='e.g. experiment:="shot-42"' /></label>
        <p class="hint">Documents already on this device, and those made here, keep syncing. A wider choice brings the rest at the next sync.</p>
        ${this.problem ? html`<p class="error" role="alert">${this.problem}</p>` : nothing}
        <button type="submit">Save</button>
      </form>
    </details>`;
  }

  static override styles = [
    pageStyles,
    css`
      form {
        display: grid;
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      fieldset {
        display: flex;
        flex-wrap: wrap;
        gap: 0.25rem 1rem;
      }
      label {
        min-height: 2.75rem;
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
      }
    `,
  ];
}

function describe(types: string[] | undefined, query: string | undefined): string {
  const labels = (types ?? []).map((type) => CHOOSABLE.find((choice) => choice.type === type)?.label ?? type);
  return [labels.length ? labels.join(', ') : '', query ? `matching ${query}` : ''].filter(Boolean).join(', ');
}

customElements.define('fs-remote-subset', RemoteSubsetForm);
