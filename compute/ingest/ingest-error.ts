/** A file that cannot be imported: names the file and where in it (byte offset or line) the problem is. */
export class IngestError extends Error {
  override readonly name = 'IngestError';
  constructor(
    readonly file: string,
    problem: string,
    readonly where: { offset?: number; line?: number } = {},
  ) {
    const place = where.line !== undefined ? ` (line ${where.line})` : where.offset !== undefined ? ` (at byte ${where.offset})` : '';
    super(`${file}${place}: ${problem}`);
  }
}
