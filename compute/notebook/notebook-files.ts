// Notebooks from and to files: a .ipynb the user picks, the examples the app ships (public/examples/), and the
// download of a notebook as .ipynb.
import type { Storage } from '../../storage';
import { importIpynb, IpynbFormatError } from './ipynb';

/** The text of a .ipynb file as JSON, or an IpynbFormatError saying it is not one. */
function parseNotebookText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new IpynbFormatError('the file is not JSON');
  }
}

/** Stores a picked .ipynb file as a new notebook (outputs included); resolves to its id. */
export async function importNotebookFile(storage: Storage, file: File): Promise<string> {
  const id = crypto.randomUUID();
  await importIpynb(storage, id, parseNotebookText(await file.text()), file.name.replace(/\.ipynb$/i, '') || 'Imported notebook');
  return id;
}

/**
 * Makes a new notebook from an example the app ships (public/examples/, precached for offline use): a copy each
 * time, so the user's edits stay theirs.
 */
export async function openExampleNotebook(storage: Storage, file: string, base: string): Promise<string> {
  const response = await fetch(`${base}examples/${encodeURIComponent(file)}`);
  if (!response.ok) throw new Error(`The example “${file}” is not in this build (HTTP ${response.status}).`);
  const id = crypto.randomUUID();
  await importIpynb(storage, id, parseNotebookText(await response.text()), file);
  return id;
}
