import { css } from 'lit';

/** Typography and controls shared by every page, so pages look like one app. */
export const pageStyles = css`
  :host {
    display: block;
    max-width: 72rem;
  }
  h2 {
    font-size: 1.3rem;
    margin: 0 0 0.75rem;
  }
  /* A section of a document's page, under the header's h1 (the page has no h2 of its own). */
  h2.section {
    font-size: 1.1rem;
    margin-top: 1.25rem;
  }
  p.hint {
    color: var(--muted, #4a5f66);
  }
  .button,
  button {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding: 0 1rem;
    border-radius: 6px;
    border: 1px solid var(--accent, #0f5c6e);
    background: var(--accent, #0f5c6e);
    color: var(--accent-text, #fff);
    font: inherit;
    text-decoration: none;
    cursor: pointer;
  }
  /* Links to the next step (an import's graph, a stream's arrays): as tall as a button for a finger, still links. */
  a.next {
    display: inline-flex;
    align-items: center;
    min-height: 44px;
    padding-inline: 0.25rem;
  }
  button.danger {
    background: transparent;
    color: var(--danger, #a3201c);
    border-color: var(--danger, #a3201c);
  }
  button:disabled {
    opacity: 0.55;
    cursor: not-allowed;
  }
  input,
  select {
    min-height: 44px;
    box-sizing: border-box;
    font: inherit;
    padding: 0 0.6rem;
    border: 1px solid var(--border, #c9d6da);
    border-radius: 6px;
    background: var(--surface, #fff);
    color: var(--text, #14262c);
  }
  form label,
  label.field {
    display: flex;
    flex-direction: column;
    gap: 0.25rem;
    font-size: 0.9rem;
    color: var(--muted, #4a5f66);
  }
  .warning {
    border-left: 4px solid #b26a00;
    background: color-mix(in srgb, #b26a00 10%, transparent);
    padding: 0.5rem 0.75rem;
  }
  .error {
    border-left: 4px solid var(--danger, #a3201c);
    background: color-mix(in srgb, var(--danger, #a3201c) 10%, transparent);
    padding: 0.5rem 0.75rem;
  }
  /* A file picker as a button (label.button.file-import > input[type=file]): the input covers its label, so a tap, a
     click or the keyboard (it keeps the focus) all open the picker. */
  .file-import {
    position: relative;
  }
  .file-import input {
    position: absolute;
    inset: 0;
    opacity: 0;
    cursor: pointer;
  }
  .file-import:focus-within {
    outline: 2px solid var(--accent, #0f5c6e);
    outline-offset: 2px;
  }
  table {
    border-collapse: collapse;
    width: 100%;
  }
  th,
  td {
    text-align: left;
    padding: 0.5rem;
    border-bottom: 1px solid var(--border, #c9d6da);
  }
`;
