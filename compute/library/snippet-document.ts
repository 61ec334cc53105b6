import type { BaseDocument, Doc } from '../../storage';
import { CELL_LANGUAGES, type CellLanguage } from '../notebook/notebook-document';

export interface SnippetFile {
  /** A file name with its extension (`bandpass.js`): what "Download" saves it as. */
  name: string;
  content: string;
}

/** What one version of a snippet holds: everything a user edits. */
export interface SnippetContent {
  title: string;
  blurb: string;
  language: CellLanguage;
  /** At least one; the first is the one Run and Insert use. */
  files: SnippetFile[];
  /** Hierarchical with `/` (`signal/filter`), lower case, no duplicates. */
  tags: string[];
}

export interface SnippetVersion extends SnippetContent {
  /** Unique across devices (a UUID, or a fixed id for the snippets shipped with the app). */
  version: string;
  /** The version this one was edited from; null for the first. */
  parent: string | null;
  /** ISO time it was made. */
  date: string;
  author: string;
  /** Set when this version brought an older one back. */
  restored_from?: string;
}

/**
 * A Snippet: reusable code with tags. The top-level fields are its current version (so lists and queries read them
 * directly); `versions` is its whole history, oldest first, each edit appending one. History lives in the document, so
 * it syncs with it and a restore is one more version, never a rewrite.
 */
export interface SnippetDocument extends BaseDocument, SnippetContent {
  portal_type: 'Snippet';
  author: string;
  /** The version shown (the last one made here, or the one chosen after a merge). */
  head: string;
  versions: SnippetVersion[];
  /** The snippet and version this one was forked from. */
  forked_from?: { id: string; version: string };
  /**
   * After two devices edited the same version offline and their histories were merged: the other versions made
   * from it, kept in `versions` but not shown. Cleared by the next edit or restore.
   */
  other_heads?: string[];
}

/** The snippet's content does not make a valid snippet: the message says which field to fix. */
export class SnippetError extends Error {
  override readonly name = 'SnippetError';
  readonly status = 400;
}

const SNIPPET_LANGUAGES: readonly CellLanguage[] = CELL_LANGUAGES.filter((language) => language !== 'python');

/** The file extension of a language, for downloads and new files. */
export function extensionOf(language: CellLanguage): string {
  return language === 'typescript' ? 'ts' : language === 'python' ? 'py' : 'js';
}

/** Tags as stored: trimmed, lower case, slashes without empty parts, sorted, no duplicates. */
export function normaliseTags(tags: readonly string[]): string[] {
  const clean = tags
    .map((tag) => tag.trim().toLowerCase().split('/').map((part) => part.trim().replace(/\s+/g, '-')).filter((part) => part !== '').join('/'))
    .filter((tag) => tag !== '');
  return [...new Set(clean)].sort();
}

/** Checks and tidies what a user typed; throws a SnippetError saying what to fix. */
export function checkedContent(content: SnippetContent): SnippetContent {
  const title = content.title.trim();
  if (title === '') throw new SnippetError('A snippet needs a title: type one.');
  if (!SNIPPET_LANGUAGES.includes(content.language)) throw new SnippetError(`The language “${content.language}” cannot run here: choose JavaScript or TypeScript.`);
  const files = content.files.map((file) => ({ name: file.name.trim(), content: file.content }));
  if (files.length === 0) throw new SnippetError('A snippet needs at least one file of code.');
  const names = new Set<string>();
  for (const file of files) {
    if (file.name === '' || /[/\\]/.test(file.name)) throw new SnippetError(`The file name “${file.name}” is not usable: give each file a name without slashes (e.g. filter.js).`);
    if (names.has(file.name)) throw new SnippetError(`Two files are called “${file.name}”: rename one.`);
    names.add(file.name);
  }
  return { title, blurb: content.blurb.trim(), language: content.language, files, tags: normaliseTags(content.tags) };
}

function contentOf(source: SnippetContent): SnippetContent {
  return { title: source.title, blurb: source.blurb, language: source.language, files: source.files.map((file) => ({ ...file })), tags: [...source.tags] };
}

function sameContent(a: SnippetContent, b: SnippetContent): boolean {
  return JSON.stringify(contentOf(a)) === JSON.stringify(contentOf(b));
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

function fileOf(value: unknown): SnippetFile | undefined {
  const raw = value as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null || !isString(raw['name']) || !isString(raw['content'])) return undefined;
  return { name: raw['name'], content: raw['content'] };
}

/** Content read from a stored object, field by field (a synced document may hold anything); undefined when unusable. */
function storedContent(raw: Record<string, unknown>): SnippetContent | undefined {
  const files = Array.isArray(raw['files']) ? raw['files'].map(fileOf).filter((file): file is SnippetFile => file !== undefined) : [];
  if (files.length === 0) return undefined;
  const language = SNIPPET_LANGUAGES.find((candidate) => candidate === raw['language']) ?? 'javascript';
  const tags = Array.isArray(raw['tags']) ? normaliseTags(raw['tags'].filter(isString)) : [];
  return { title: isString(raw['title']) ? raw['title'] : '', blurb: isString(raw['blurb']) ? raw['blurb'] : '', language, files, tags };
}

function versionOf(value: unknown): SnippetVersion | undefined {
  const raw = value as Record<string, unknown> | null;
  if (typeof raw !== 'object' || raw === null || !isString(raw['version']) || !isString(raw['date'])) return undefined;
  const content = storedContent(raw);
  if (!content) return undefined;
  return {
    ...content,
    version: raw['version'],
    parent: isString(raw['parent']) ? raw['parent'] : null,
    date: raw['date'],
    author: isString(raw['author']) ? raw['author'] : '',
    ...(isString(raw['restored_from']) ? { restored_from: raw['restored_from'] } : {}),
  };
}

/** A stored document as a snippet, checked field by field; undefined when it is not one. */
export function snippetOf(doc: Doc): SnippetDocument | undefined {
  if (doc['portal_type'] !== 'Snippet') return undefined;
  const content = storedContent(doc);
  if (!content) return undefined;
  const versions = Array.isArray(doc['versions']) ? doc['versions'].map(versionOf).filter((version): version is SnippetVersion => version !== undefined) : [];
  const head = isString(doc['head']) && versions.some((version) => version.version === doc['head']) ? doc['head'] : (versions.at(-1)?.version ?? '');
  const forked = doc['forked_from'] as Record<string, unknown> | undefined;
  const otherHeads = Array.isArray(doc['other_heads']) ? doc['other_heads'].filter(isString) : [];
  const snippet: SnippetDocument = {
    ...doc,
    ...content,
    portal_type: 'Snippet',
    reference: isString(doc['reference']) ? doc['reference'] : '',
    modification_date: isString(doc['modification_date']) ? doc['modification_date'] : '',
    author: isString(doc['author']) ? doc['author'] : '',
    head,
    versions,
    ...(forked && isString(forked['id']) && isString(forked['version']) ? { forked_from: { id: forked['id'], version: forked['version'] } } : {}),
  };
  if (otherHeads.length > 0) snippet.other_heads = otherHeads;
  else delete snippet.other_heads;
  return snippet;
}

export interface Authorship {
  author: string;
  /** ISO time; default now. */
  date?: string;
  /** Default a new UUID. */
  version?: string;
}

function newVersion(content: SnippetContent, parent: string | null, { author, date = new Date().toISOString(), version = crypto.randomUUID() }: Authorship): SnippetVersion {
  return { ...contentOf(content), version, parent, date, author };
}

function atVersion(doc: Partial<SnippetDocument> & Pick<SnippetDocument, 'reference' | 'author' | 'versions'>, version: SnippetVersion): SnippetDocument {
  const { other_heads: _other, ...rest } = doc;
  return { ...rest, reference: doc.reference, author: doc.author, versions: doc.versions, ...contentOf(version), portal_type: 'Snippet', head: version.version, modification_date: version.date };
}

/** A new snippet with its first version. */
export function newSnippet(content: SnippetContent, authorship: Authorship, extra: { reference?: string; forked_from?: SnippetDocument['forked_from'] } = {}): SnippetDocument {
  const first = newVersion(checkedContent(content), null, authorship);
  return atVersion(
    { portal_type: 'Snippet', reference: extra.reference ?? `snippet-${first.version}`, title: first.title, author: authorship.author, versions: [first], ...(extra.forked_from ? { forked_from: extra.forked_from } : {}) },
    first,
  );
}

/** The snippet with an edit as a new version on top of its head; unchanged (the same object) when nothing changed. */
export function editSnippet(snippet: SnippetDocument, content: SnippetContent, authorship: Authorship): SnippetDocument {
  const checked = checkedContent(content);
  if (sameContent(checked, snippet) && !snippet.other_heads) return snippet;
  const version = newVersion(checked, snippet.head || null, authorship);
  return atVersion({ ...snippet, versions: [...snippet.versions, version] }, version);
}

/** Brings an older version back, as a new version (the history keeps everything). */
export function restoreVersion(snippet: SnippetDocument, versionId: string, authorship: Authorship): SnippetDocument {
  const old = snippet.versions.find((version) => version.version === versionId);
  if (!old) throw new SnippetError(`This snippet has no version ${versionId}: choose one from its history.`);
  const version = { ...newVersion(old, snippet.head || null, authorship), restored_from: versionId };
  return atVersion({ ...snippet, versions: [...snippet.versions, version] }, version);
}

/** A copy of the snippet's current version that records where it came from; its own history starts there. */
export function forkSnippet(id: string, snippet: SnippetDocument, authorship: Authorship): SnippetDocument {
  return newSnippet({ ...contentOf(snippet), title: `${snippet.title} (fork)` }, authorship, { forked_from: { id, version: snippet.head } });
}

/** Versions no other version was made from: more than one after edits on two devices from the same version. */
export function headsOf(versions: readonly SnippetVersion[]): SnippetVersion[] {
  const parents = new Set(versions.map((version) => version.parent));
  return versions.filter((version) => !parents.has(version.version));
}

/**
 * Two devices' versions of one snippet as one: every version of both, oldest first. `mine` stays shown; the other
 * side's newer versions it does not have are kept in the history and named in `other_heads`, so the page can say
 * both were kept and offer to restore theirs.
 */
export function mergeSnippetHistories(mine: SnippetDocument, theirs: SnippetDocument): SnippetDocument {
  const byId = new Map<string, SnippetVersion>();
  for (const version of [...mine.versions, ...theirs.versions]) if (!byId.has(version.version)) byId.set(version.version, version);
  const versions = [...byId.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.version < b.version ? -1 : 1));
  const others = headsOf(versions).filter((version) => version.version !== mine.head).map((version) => version.version);
  const merged: SnippetDocument = { ...mine, versions, modification_date: new Date().toISOString() };
  delete merged.other_heads;
  return others.length > 0 ? { ...merged, other_heads: others } : merged;
}
