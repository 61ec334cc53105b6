import { isStorageError, type BaseDocument, type Doc, type Storage } from '../../storage';
import { isOutputType, parentMsgId, type ContentOf, type JupyterMessage, type OutputType } from '../kernel/messages';

/**
 * One output message of a cell's run, kept as its own document: `reference` is the msg_id of the execute_request it
 * answers (its `parent_header.msg_id`; `reference` is an indexed key, so a run's outputs are one index read), and
 * `sequence` its place among that run's outputs. Outputs sync like every document and are never inside the notebook.
 */
export interface OutputDocument<T extends OutputType = OutputType> extends BaseDocument {
  portal_type: 'Output';
  reference: string;
  parent_msg_id: string;
  msg_id: string;
  msg_type: T;
  notebook: string;
  cell: string;
  sequence: number;
  content: ContentOf[T];
  /** The whole message header, as the kernel sent it. */
  header: JupyterMessage['header'];
}

export function outputDocumentId(msgId: string): string {
  return `output-${msgId}`;
}

/** The Output document of a kernel message, or undefined when the message is not an output of a request. */
export function outputDocument(message: JupyterMessage, where: { notebook: string; cell: string; sequence: number }): OutputDocument | undefined {
  const parent = parentMsgId(message);
  const type = message.header.msg_type;
  if (!parent || !isOutputType(type)) return undefined;
  return {
    portal_type: 'Output',
    reference: parent,
    title: `${type} of ${where.cell}`,
    modification_date: message.header.date,
    parent_msg_id: parent,
    msg_id: message.header.msg_id,
    msg_type: type,
    notebook: where.notebook,
    cell: where.cell,
    sequence: where.sequence,
    content: message.content as ContentOf[OutputType],
    header: message.header,
  };
}

export async function saveOutput(storage: Storage, output: OutputDocument, options: { signal?: AbortSignal } = {}): Promise<void> {
  await storage.put(outputDocumentId(output.msg_id), output, options);
}

function isOutputDocument(doc: Doc): doc is OutputDocument {
  return doc['portal_type'] === 'Output' && typeof doc['parent_msg_id'] === 'string' && typeof doc['msg_id'] === 'string' && isOutputType(String(doc['msg_type'])) && typeof doc['content'] === 'object' && doc['content'] !== null;
}

async function queryOutputs(storage: Storage, query: string, signal: AbortSignal | undefined): Promise<OutputDocument[]> {
  const result = await storage.allDocs({ query, include_docs: true, ...(signal ? { signal } : {}) });
  return result.rows
    .map((row) => row.doc)
    .filter((doc): doc is OutputDocument => doc !== undefined && isOutputDocument(doc))
    .sort((a, b) => a.sequence - b.sequence);
}

/** The outputs of one run (the execute_request `parentMsgId`), in the order the kernel sent them. */
export function outputsOf(storage: Storage, parentMsgId: string, { signal }: { signal?: AbortSignal } = {}): Promise<OutputDocument[]> {
  return queryOutputs(storage, `portal_type:="Output" AND reference:=${JSON.stringify(parentMsgId)}`, signal);
}

/** Every output of a notebook (or of one cell of it), in sequence order within each run. */
export function outputsOfNotebook(storage: Storage, notebookId: string, { cell, signal }: { cell?: string; signal?: AbortSignal } = {}): Promise<OutputDocument[]> {
  const cellClause = cell === undefined ? '' : ` AND cell:=${JSON.stringify(cell)}`;
  return queryOutputs(storage, `portal_type:="Output" AND notebook:=${JSON.stringify(notebookId)}${cellClause}`, signal);
}

/** Clears outputs: removes the Output documents of a notebook, or of one of its cells. Resolves to how many went. */
export async function clearOutputs(storage: Storage, notebookId: string, options: { cell?: string; signal?: AbortSignal } = {}): Promise<number> {
  const outputs = await outputsOfNotebook(storage, notebookId, options);
  let removed = 0;
  for (const output of outputs) {
    try {
      await storage.remove(outputDocumentId(output.msg_id), options.signal ? { signal: options.signal } : {});
      removed += 1;
    } catch (error) {
      if (!isStorageError(error, 404)) throw error; // removed meanwhile (another tab, a sync): that is what we wanted
    }
  }
  return removed;
}
