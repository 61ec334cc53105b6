import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where a source file has been sent up to: its path, the inode it had (a renamed file keeps it), the offset confirmed. */
export interface FilePosition {
  path: string;
  inode: number;
  offset: number;
}

/**
 * The ingest command's position file, in fluentd's pos_file layout (one line per file: path, TAB, offset as 16 hex
 * digits, TAB, inode as 16 hex digits), so it reads like the one fluentd's in_tail keeps. A position is written only
 * after the server confirmed the bytes before it, and the file is replaced whole (written aside, flushed, renamed), so a
 * kill at any moment leaves either the old or the new positions, never a torn line.
 */
export class PosFile {
  private readonly positions = new Map<number, FilePosition>();
  private writing: Promise<void> = Promise.resolve();

  private constructor(readonly path: string) {}

  /** Reads the file at `path` (none yet: no positions). Lines that are not positions are ignored. */
  static async open(path: string): Promise<PosFile> {
    const file = new PosFile(path);
    let text = '';
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      const [source, offset, inode] = line.split('\t');
      if (!source || !/^[0-9a-f]{16}$/.test(offset ?? '') || !/^[0-9a-f]{16}$/.test(inode ?? '')) continue;
      const position = { path: source, offset: parseInt(offset!, 16), inode: parseInt(inode!, 16) };
      file.positions.set(position.inode, position);
    }
    return file;
  }

  /** The position of the file with this inode (whatever its name now), if it was sent from before. */
  get(inode: number): FilePosition | undefined {
    return this.positions.get(inode);
  }

  /** Records a confirmed position and writes the file; resolves once it is on disk. Writes are serialised. */
  set(position: FilePosition): Promise<void> {
    this.positions.set(position.inode, { ...position });
    const text = [...this.positions.values()].map((entry) => `${entry.path}\t${hex(entry.offset)}\t${hex(entry.inode)}\n`).join('');
    this.writing = this.writing.catch(() => undefined).then(() => this.write(text));
    return this.writing;
  }

  private async write(text: string): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const aside = `${this.path}.${process.pid}.tmp`;
    const handle = await open(aside, 'w');
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(aside, this.path);
  }
}

function hex(value: number): string {
  return value.toString(16).padStart(16, '0');
}
