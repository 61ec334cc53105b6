/** Quotes a value for the jIO query language: inside double quotes, backslash and quote are escaped. */
export function quoteQueryValue(value: string): string {
  return `"${value.replace(/[\\"]/g, (character) => `\\${character}`)}"`;
}

/**
 * The query a module's list runs: documents of that portal type whose title or reference contains every word the user
 * typed (case-insensitive). A `%` or `_` the user types keeps its jIO wildcard meaning.
 */
export function documentListQuery(portalType: string, searchText: string): string {
  const words = searchText.trim().split(/\s+/).filter((word) => word !== '');
  const clauses = words.map((word) => {
    const pattern = quoteQueryValue(`%${word}%`);
    return `(title:${pattern} OR reference:${pattern})`;
  });
  return [`portal_type:=${quoteQueryValue(portalType)}`, ...clauses].join(' AND ');
}
