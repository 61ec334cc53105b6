import type { BaseDocument, Doc } from '../../storage';

/** The languages a code cell can be written in (Python needs a kernel the app does not ship yet). */
export const CELL_LANGUAGES = ['javascript', 'typescript', 'python'] as const;
export type CellLanguage = (typeof CELL_LANGUAGES)[number];

export interface CodeCell {
  /** Stable across edits and devices: outputs point at it. */
  id: string;
  cell_type: 'code';
  source: string;
  language: CellLanguage;
  /** The kernel's count for its last run; null before it ran (and after a restart it keeps the old one). */
  execution_count: number | null;
  /** The execute_request of its last run: its Output documents are keyed by this id. */
  msg_id?: string;
}

export interface MarkdownCell {
  id: string;
  cell_type: 'markdown';
  source: string;
}

export type Cell = CodeCell | MarkdownCell;

/**
 * A Notebook: ordered cells only. Outputs are documents of their own (see output-document.ts), so a running cell's
 * output never rewrites the notebook.
 */
export interface NotebookDocument extends BaseDocument {
  portal_type: 'Notebook';
  cells: Cell[];
}

/** The cell id a migrated text notebook's one cell gets: the same on every device, so two migrations agree. */
export const MIGRATED_TEXT_CELL_ID = 'text';

function isLanguage(value: unknown): value is CellLanguage {
  return typeof value === 'string' && (CELL_LANGUAGES as readonly string[]).includes(value);
}

/** A cell as stored, checked field by field (a synced document may hold anything); undefined when not a cell. */
function cellOf(value: unknown): Cell | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const raw = value as Record<string, unknown>;
  if (typeof raw['id'] !== 'string' || raw['id'] === '') return undefined;
  const source = typeof raw['source'] === 'string' ? raw['source'] : '';
  if (raw['cell_type'] === 'markdown') return { id: raw['id'], cell_type: 'markdown', source };
  if (raw['cell_type'] !== 'code') return undefined;
  const count = raw['execution_count'];
  return {
    id: raw['id'],
    cell_type: 'code',
    source,
    language: isLanguage(raw['language']) ? raw['language'] : 'javascript',
    execution_count: typeof count === 'number' && Number.isInteger(count) && count > 0 ? count : null,
    ...(typeof raw['msg_id'] === 'string' ? { msg_id: raw['msg_id'] } : {}),
  };
}

/**
 * The cells of a stored notebook. A notebook from before cells (a `text` field of notes) reads as one markdown cell
 * holding that text, so old notebooks keep working; nothing is written until the notebook is next saved.
 */
export function notebookCells(doc: Doc): Cell[] {
  if (Array.isArray(doc['cells'])) return doc['cells'].map(cellOf).filter((cell): cell is Cell => cell !== undefined);
  const text = doc['text'];
  if (typeof text === 'string' && text !== '') return [{ id: MIGRATED_TEXT_CELL_ID, cell_type: 'markdown', source: text }];
  return [];
}

/**
 * The stored body with `cells` in place of the old `text` (dropped once it lives in a cell, so it is not kept twice).
 */
export function withCells(doc: Doc, cells: readonly Cell[]): Doc {
  const { text: _text, ...rest } = doc;
  return { ...rest, cells: cells.map((cell) => ({ ...cell })) };
}

export function newCellId(): string {
  return crypto.randomUUID();
}

export function newCodeCell(language: CellLanguage = 'javascript', source = ''): CodeCell {
  return { id: newCellId(), cell_type: 'code', source, language, execution_count: null };
}

export function newMarkdownCell(source = ''): MarkdownCell {
  return { id: newCellId(), cell_type: 'markdown', source };
}
