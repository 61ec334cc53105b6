import { html, nothing } from 'lit';
import type { ProcessStep } from '../../../storage';

/**
 * A document's processing history as a list; failed steps show their error and a "Run again" button.
 * `onRerun` receives the step's name.
 */
export function renderProcessSteps(steps: ProcessStep[], onRerun: (name: string) => void) {
  if (steps.length === 0) return nothing;
  return html`<h2 class="section">Processing</h2>
    <ol class="process">
      ${steps.map(
        (step) => html`<li>
          ${step.name}: ${step.status}${step.finished ? ` (${new Date(step.finished).toLocaleString()})` : ''}
          ${step.status === 'failed' ? html` — <span class="failed">${step.error}</span> <button @click=${() => onRerun(step.name)}>Run again</button>` : nothing}
        </li>`,
      )}
    </ol>`;
}
