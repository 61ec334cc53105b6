// How a cell's outputs and a markdown cell are shown. Nothing from a notebook runs on the app's page: markdown is
// sanitised (DOMPurify) after marked renders it, and HTML output goes into an iframe with an empty sandbox (opaque
// origin, no scripts).
import DOMPurify from 'dompurify';
import { html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';
import type { CitationLookup } from '../../../compute/library/citations';
import { markdownWithCitations } from './markdown-citations';
import { ARRAY_MIME, TABLE_MIME } from '../../../compute/kernel/reprs';
import type { ContentOf } from '../../../compute/kernel/messages';
import type { OutputDocument } from '../../../compute/notebook';

/**
 * The markdown as sanitised HTML (no scripts, handlers, forms or frames survive). Citations (`[@key]`, `\citep[key]`)
 * link to the references found in `citations`; a key not there shows as `[?key]`. Without `citations` (not looked up
 * yet) they show as plain keys.
 */
export function markdownHtml(source: string, citations?: CitationLookup): string {
  const rendered = markdownWithCitations(source, citations);
  return DOMPurify.sanitize(rendered, { FORBID_TAGS: ['style', 'form', 'iframe'], FORBID_ATTR: ['style'] });
}

export function renderMarkdown(source: string, citations?: CitationLookup): TemplateResult {
  return html`<div class="markdown">${unsafeHTML(markdownHtml(source, citations))}</div>`;
}

interface Table {
  columns: string[];
  rows: unknown[][];
  total: number;
}

function isTable(value: unknown): value is Table {
  const table = value as Partial<Table> | null;
  return typeof table === 'object' && table !== null && Array.isArray(table.columns) && Array.isArray(table.rows);
}

/** The graph gadget comes with the first Data Array an output shows (dygraphs is not in the notebook's chunk). */
let graphLoaded: Promise<unknown> | undefined;

/** A Data Array a cell showed (`fieldscope.view(id)`): the app's graph of it, by range, with a link to its page. */
function renderArray(value: unknown): TemplateResult | undefined {
  const id = (value as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' || id === '') return undefined;
  graphLoaded ??= import('../../graph/graph-gadget');
  return html`<figure class="array-output">
    <fs-graph array-id=${id}></fs-graph>
    <figcaption><a href=${`#/array/${encodeURIComponent(id)}`}>Open the array</a></figcaption>
  </figure>`;
}

function renderBundle(data: Record<string, unknown>): TemplateResult {
  const array = renderArray(data[ARRAY_MIME]);
  if (array) return array;
  const markup = data['text/html'];
  if (typeof markup === 'string') {
    // sandbox="" : opaque origin and no scripts, so an output's HTML can neither run nor reach the app.
    return html`<iframe class="html-output" sandbox="" title="HTML output" srcdoc=${markup}></iframe>`;
  }
  for (const type of ['image/png', 'image/jpeg', 'image/gif', 'image/webp']) {
    const image = data[type];
    if (typeof image === 'string') return html`<img class="image-output" alt="image output" src=${`data:${type};base64,${image.replace(/[^A-Za-z0-9+/=]/g, '')}`} />`;
  }
  const table = data[TABLE_MIME];
  if (isTable(table)) {
    return html`<table class="table-output">
      <thead><tr>${table.columns.map((column) => html`<th>${String(column)}</th>`)}</tr></thead>
      <tbody>${table.rows.map((row) => html`<tr>${row.map((cell) => html`<td>${String(cell)}</td>`)}</tr>`)}</tbody>
      ${table.total > table.rows.length ? html`<caption>first ${table.rows.length} of ${table.total}</caption>` : nothing}
    </table>`;
  }
  return html`<pre class="text-output">${String(data['text/plain'] ?? '')}</pre>`;
}

/** One output message, by type. */
export function renderOutput(output: OutputDocument): TemplateResult {
  switch (output.msg_type) {
    case 'stream': {
      const content = output.content as ContentOf['stream'];
      return html`<pre class="stream ${content.name}">${content.text}</pre>`;
    }
    case 'error': {
      const content = output.content as ContentOf['error'];
      return html`<pre class="error-output" role="alert">${[`${content.ename}: ${content.evalue}`, ...content.traceback.slice(1)].join('\n')}</pre>`;
    }
    case 'execute_result':
    case 'display_data':
      return renderBundle((output.content as ContentOf['display_data']).data);
  }
}
