// .ipynb (nbformat 4.5) import and export. The types are our own, written from the nbformat 4 JSON schema (the
// `@jupyterlab/nbformat` package would bring @lumino/coreutils along for a handful of interfaces).
import type { Doc, Storage } from '../../storage';
import { makeMessage, type ContentOf, type JupyterMessage, type MimeBundle, type OutputType } from '../kernel/messages';
import { CELL_LANGUAGES, newCellId, type Cell, type CellLanguage } from './notebook-document';
import { outputDocument, outputsOfNotebook, saveOutput, type OutputDocument } from './output-document';

/** nbformat's multiline string: one string, or lines each keeping its "\n". */
export type MultilineString = string | string[];

export interface NbStreamOutput {
  output_type: 'stream';
  name: 'stdout' | 'stderr';
  text: MultilineString;
}
export interface NbDisplayDataOutput {
  output_type: 'display_data';
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface NbExecuteResultOutput {
  output_type: 'execute_result';
  execution_count: number | null;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}
export interface NbErrorOutput {
  output_type: 'error';
  ename: string;
  evalue: string;
  traceback: string[];
}
export type NbOutput = NbStreamOutput | NbDisplayDataOutput | NbExecuteResultOutput | NbErrorOutput;

export interface NbCodeCell {
  id: string;
  cell_type: 'code';
  source: MultilineString;
  metadata: Record<string, unknown>;
  execution_count: number | null;
  outputs: NbOutput[];
}
export interface NbMarkdownCell {
  id: string;
  cell_type: 'markdown';
  source: MultilineString;
  metadata: Record<string, unknown>;
}
export interface NbRawCell {
  id: string;
  cell_type: 'raw';
  source: MultilineString;
  metadata: Record<string, unknown>;
}
export type NbCell = NbCodeCell | NbMarkdownCell | NbRawCell;

export interface NbNotebook {
  nbformat: 4;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: NbCell[];
}

/** A file that is not an nbformat 4 notebook. */
export class IpynbFormatError extends Error {
  override readonly name = 'IpynbFormatError';
  readonly status = 400;
  constructor(problem: string) {
    super(`This is not a Jupyter notebook this app can open (${problem}). Export it from Jupyter as a .ipynb file in nbformat 4, then import that.`);
  }
}

function lines(text: string): string[] {
  return text.split(/(?<=\n)/).filter((line) => line !== '');
}

function joined(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join('');
  throw new IpynbFormatError('a text field is neither a string nor a list of strings');
}

/** JSON MIME types keep their value; text types are multiline strings. */
function isJsonMime(mime: string): boolean {
  return mime === 'application/json' || mime.endsWith('+json');
}

/** Jupyter writes text types as lists of lines, and base64 (images) as one string. */
function isLinedMime(mime: string): boolean {
  return mime.startsWith('text/') || mime === 'image/svg+xml' || mime === 'application/javascript';
}

function exportBundle(bundle: MimeBundle): Record<string, unknown> {
  return Object.fromEntries(Object.entries(bundle).map(([mime, value]) => [mime, typeof value === 'string' && isLinedMime(mime) ? lines(value) : value]));
}

function importBundle(bundle: unknown): MimeBundle {
  if (typeof bundle !== 'object' || bundle === null || Array.isArray(bundle)) throw new IpynbFormatError('an output has no data bundle');
  return Object.fromEntries(Object.entries(bundle).map(([mime, value]) => [mime, isJsonMime(mime) ? value : joined(value)]));
}

function objectOr(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

/** An Output document's message as an nbformat output. */
export function toNbOutput(output: OutputDocument): NbOutput {
  switch (output.msg_type) {
    case 'stream': {
      const content = output.content as ContentOf['stream'];
      return { output_type: 'stream', name: content.name, text: lines(content.text) };
    }
    case 'display_data': {
      const content = output.content as ContentOf['display_data'];
      return { output_type: 'display_data', data: exportBundle(content.data), metadata: content.metadata };
    }
    case 'execute_result': {
      const content = output.content as ContentOf['execute_result'];
      return { output_type: 'execute_result', execution_count: content.execution_count, data: exportBundle(content.data), metadata: content.metadata };
    }
    case 'error': {
      const content = output.content as ContentOf['error'];
      return { output_type: 'error', ename: content.ename, evalue: content.evalue, traceback: [...content.traceback] };
    }
  }
}

/** An nbformat output as the content of the kernel message it was. */
export function fromNbOutput(raw: unknown): { type: OutputType; content: ContentOf[OutputType] } {
  const output = objectOr(raw);
  switch (output['output_type']) {
    case 'stream':
      return { type: 'stream', content: { name: output['name'] === 'stderr' ? 'stderr' : 'stdout', text: joined(output['text']) } };
    case 'display_data':
      return { type: 'display_data', content: { data: importBundle(output['data']), metadata: objectOr(output['metadata']) } };
    case 'execute_result': {
      const count = output['execution_count'];
      return { type: 'execute_result', content: { data: importBundle(output['data']), metadata: objectOr(output['metadata']), execution_count: typeof count === 'number' ? count : 0 } };
    }
    case 'error': {
      const traceback = output['traceback'];
      return {
        type: 'error',
        content: {
          ename: String(output['ename'] ?? 'Error'),
          evalue: String(output['evalue'] ?? ''),
          traceback: Array.isArray(traceback) ? traceback.map(String) : [],
        },
      };
    }
    default:
      throw new IpynbFormatError(`an output of type ${JSON.stringify(output['output_type'])}`);
  }
}

const languageNames: Record<CellLanguage, string> = { javascript: 'JavaScript', typescript: 'TypeScript', python: 'Python' };

/** The notebook as nbformat 4.5 JSON; `outputs` are its Output documents (any order: grouped by cell, by sequence). */
export function toIpynb(title: string, cells: readonly Cell[], outputs: readonly OutputDocument[]): NbNotebook {
  const language = cells.find((cell) => cell.cell_type === 'code')?.language ?? 'javascript';
  return {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: language, display_name: languageNames[language], language },
      language_info: { name: language },
      title,
    },
    cells: cells.map((cell): NbCell => {
      if (cell.cell_type === 'markdown') return { id: cell.id, cell_type: 'markdown', source: lines(cell.source), metadata: {} };
      const own = outputs.filter((output) => output.cell === cell.id && (cell.msg_id === undefined || output.parent_msg_id === cell.msg_id));
      return {
        id: cell.id,
        cell_type: 'code',
        source: lines(cell.source),
        metadata: { fieldscope: { language: cell.language } },
        execution_count: cell.execution_count,
        outputs: [...own].sort((a, b) => a.sequence - b.sequence).map(toNbOutput),
      };
    }),
  };
}

/** A cell's outputs from a file, with the run they belong to (a new msg_id: the file does not keep Jupyter's). */
export interface ImportedCell {
  cell: Cell;
  outputs: Array<{ type: OutputType; content: ContentOf[OutputType] }>;
}

function languageOf(metadata: Record<string, unknown>, fallback: CellLanguage): CellLanguage {
  const own = objectOr(metadata['fieldscope'])['language'];
  return (CELL_LANGUAGES as readonly unknown[]).includes(own) ? (own as CellLanguage) : fallback;
}

/** Reads an .ipynb file's JSON (already parsed). Raw cells become markdown cells. */
export function fromIpynb(json: unknown): { title: string | undefined; cells: ImportedCell[] } {
  const notebook = objectOr(json);
  if (notebook['nbformat'] !== 4) throw new IpynbFormatError(`nbformat ${JSON.stringify(notebook['nbformat'])}, not 4`);
  if (!Array.isArray(notebook['cells'])) throw new IpynbFormatError('no list of cells');
  const metadata = objectOr(notebook['metadata']);
  const kernelLanguage = objectOr(metadata['kernelspec'])['language'] ?? objectOr(metadata['language_info'])['name'];
  const fallback: CellLanguage = (CELL_LANGUAGES as readonly unknown[]).includes(kernelLanguage) ? (kernelLanguage as CellLanguage) : 'javascript';
  const seen = new Set<string>();
  const cells = notebook['cells'].map((raw): ImportedCell => {
    const cell = objectOr(raw);
    const given = typeof cell['id'] === 'string' && cell['id'] !== '' && !seen.has(cell['id']) ? cell['id'] : newCellId();
    seen.add(given);
    const source = joined(cell['source'] ?? '');
    if (cell['cell_type'] !== 'code') return { cell: { id: given, cell_type: 'markdown', source }, outputs: [] };
    const count = cell['execution_count'];
    return {
      cell: { id: given, cell_type: 'code', source, language: languageOf(objectOr(cell['metadata']), fallback), execution_count: typeof count === 'number' ? count : null },
      outputs: Array.isArray(cell['outputs']) ? cell['outputs'].map(fromNbOutput) : [],
    };
  });
  const title = metadata['title'];
  return { title: typeof title === 'string' ? title : undefined, cells };
}

/**
 * Stores an imported notebook as `notebookId`: the Notebook document (cells) and one Output document per output,
 * each cell's outputs under a new execute_request msg_id that the cell records. Resolves to the notebook body.
 */
export async function importIpynb(storage: Storage, notebookId: string, json: unknown, fallbackTitle: string): Promise<Doc> {
  const { title, cells } = fromIpynb(json);
  const session = crypto.randomUUID();
  const stored: Cell[] = [];
  for (const { cell, outputs } of cells) {
    if (cell.cell_type === 'markdown' || outputs.length === 0) {
      stored.push(cell);
      continue;
    }
    const request = makeMessage('execute_request', { code: cell.source, silent: false, store_history: true, user_expressions: {}, allow_stdin: false, stop_on_error: true }, { session });
    stored.push({ ...cell, msg_id: request.header.msg_id });
    for (const [sequence, output] of outputs.entries()) {
      const message = makeMessage(output.type, output.content, { session, parent: request.header, channel: 'iopub' }) as JupyterMessage;
      const doc = outputDocument(message, { notebook: notebookId, cell: cell.id, sequence });
      if (doc) await saveOutput(storage, doc);
    }
  }
  const body: Doc = { portal_type: 'Notebook', reference: notebookId, title: title ?? fallbackTitle, modification_date: new Date().toISOString(), cells: stored };
  await storage.put(notebookId, body);
  return body;
}

/** The stored notebook `doc` (cells already read) as .ipynb JSON text. */
export async function exportIpynb(storage: Storage, notebookId: string, title: string, cells: readonly Cell[]): Promise<string> {
  const outputs = await outputsOfNotebook(storage, notebookId);
  return `${JSON.stringify(toIpynb(title, cells, outputs), null, 1)}\n`;
}
