// References as BibTeX text (what "Export .bib" downloads). Written here rather than by the parser package, which
// only reads: each entry on its own lines, fields in a fixed order, values in braces with TeX's special characters
// escaped, so the file reads back (with the same parser) as the same references.
import type { ReferenceDocument } from './reference-document';

/** Fields written first, in this order; any others follow by name. */
const ORDER = ['author', 'editor', 'title', 'journal', 'booktitle', 'publisher', 'school', 'institution', 'year', 'volume', 'number', 'pages', 'doi', 'url'];
/** Kept as written: BibTeX reads these verbatim (a URL's `%` or `_` is not TeX). */
const VERBATIM = new Set(['url', 'doi', 'eprint', 'file']);
/** Fields of the app, not of BibTeX. */
const INTERNAL = new Set(['editor_as_author']);

/**
 * A value inside braces: TeX's specials `& % $ # _` escaped (a backslash is TeX as written, e.g. a command the parser
 * kept); braces kept only when they pair up (an unpaired `}` is dropped, an unclosed `{` closed).
 */
export function bibtexValue(value: string, verbatim = false): string {
  const escaped = verbatim ? value : value.replace(/(?<!\\)([&%$#_])/g, '\\$1');
  let depth = 0;
  let out = '';
  for (const char of escaped) {
    if (char === '}' && depth === 0) continue;
    if (char === '{') depth += 1;
    if (char === '}') depth -= 1;
    out += char;
  }
  return '{' + out + '}'.repeat(depth) + '}';
}

/** One entry as BibTeX. */
export function entryBibtex(reference: ReferenceDocument): string {
  const fields: Record<string, string> = { ...reference.fields };
  for (const name of INTERNAL) delete fields[name];
  if (reference.authors.length > 0) fields[reference.fields['editor_as_author'] ? 'editor' : 'author'] = reference.authors.join(' and ');
  fields['title'] = reference.title;
  if (reference.year) fields['year'] = reference.year;
  const names = [...ORDER.filter((name) => name in fields), ...Object.keys(fields).filter((name) => !ORDER.includes(name)).sort()];
  const width = Math.max(...names.map((name) => name.length));
  const lines = names.map((name) => `  ${name.padEnd(width)} = ${name === 'author' || name === 'editor' ? `{${fields[name]}}` : bibtexValue(fields[name] ?? '', VERBATIM.has(name))}`);
  return `@${reference.entry_type}{${reference.reference},\n${lines.join(',\n')}\n}\n`;
}

/** The references as one .bib text, in the order given. */
export function toBibtex(references: readonly ReferenceDocument[]): string {
  return references.map(entryBibtex).join('\n');
}
