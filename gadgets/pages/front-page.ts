import { LitElement, css, html } from 'lit';
import { modules } from '../shared/modules';
import { pageStyles } from '../shared/page-styles';
import './dashboard/dashboard';

/** The front page: the dashboard of every source, then every module of the app (listed even while it is empty). */
export class FrontPage extends LitElement {
  static override properties = { params: { attribute: false } };
  declare params: Record<string, string>;

  constructor() {
    super();
    this.params = {};
  }

  override render() {
    return html`
      <fs-dashboard></fs-dashboard>
      <h2>Modules</h2>
      <ul class="modules">
        ${modules.map(
          (module) => html`<li>
            <a href=${`#/${module.path}`}>
              <span class="label">${module.label}</span>
              <span class="description">${module.description}</span>
            </a>
          </li>`,
        )}
      </ul>
    `;
  }

  static override styles = [
    pageStyles,
    css`
      .modules {
        list-style: none;
        padding: 0;
        margin: 0;
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr));
        gap: 0.75rem;
      }
      .modules a {
        display: flex;
        flex-direction: column;
        gap: 0.35rem;
        min-height: 5rem;
        padding: 1rem;
        border: 1px solid var(--border, #c9d6da);
        border-radius: 10px;
        background: var(--surface, #fff);
        color: inherit;
        text-decoration: none;
      }
      .modules a:hover,
      .modules a:focus-visible {
        border-color: var(--accent, #0f5c6e);
      }
      .label {
        font-weight: 600;
        font-size: 1.1rem;
      }
      .description {
        color: var(--muted, #4a5f66);
      }
    `,
  ];
}

customElements.define('fs-front-page', FrontPage);
