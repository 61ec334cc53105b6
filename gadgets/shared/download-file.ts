/** A name safe as a file name on every system: letters, digits, dot, dash and underscore. */
export function fileNameOf(text: string): string {
  return text.replace(/[^\w.-]+/g, '_');
}

/** Offers `parts` as a download named `name` (the object URL lives a minute: long enough for the browser to save it). */
export function downloadFile(parts: BlobPart[], type: string, name: string): void {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(new Blob(parts, { type }));
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 60_000);
}
