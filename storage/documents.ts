/**
 * The document types (portal types) the app keeps. Every document has these common fields; processing history is
 * appended to `process` as each step runs, so a chain of steps can follow a filtered changes feed and resume after a crash.
 */
export interface BaseDocument {
  portal_type: PortalType;
  /** A human-meaningful unique-ish reference (file name, recording name). */
  reference: string;
  title: string;
  /** ISO 8601 time of the last change. */
  modification_date: string;
  process?: ProcessStep[];
  [key: string]: unknown;
}

export type PortalType =
  | 'Data Stream'
  | 'Data Array'
  | 'Image'
  | 'Notebook'
  | 'Operation'
  | 'Remote'
  | 'Error Report'
  | 'Statistics'
  | 'Output'
  | 'Snippet'
  | 'Reference'
  | 'Experiment'
  | 'Signal';

export interface ProcessStep {
  /** The operation's name, e.g. 'decode', 'spectrum'. */
  name: string;
  status: 'running' | 'done' | 'failed';
  /** Who ran it: a server worker's id, or absent for this device's own chain. */
  worker?: string;
  /** ISO times. */
  started: string;
  finished?: string;
  /** Ids of documents made, figures computed… */
  result?: unknown;
  error?: string;
}

/** Attachment names used by the documents. */
export const DATA_ATTACHMENT = 'data';
