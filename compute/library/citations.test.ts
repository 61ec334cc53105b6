import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage } from '../../storage';
import { markdownWithCitations } from '../../gadgets/pages/notebook/markdown-citations';
import { importBibtex } from './bibtex-import';
import { citationAt, citedKeys, lookUpCitations } from './citations';
import { newReference, referenceId } from './reference-document';

const BIB = String.raw`@article{welch1967, author = {Welch, Peter D.}, title = {The Use of "FFT" for Spectra}, year = 1967}
@inproceedings{cooley1965, author = {Cooley, James W. and Tukey, John W.}, title = {An Algorithm}, year = {1965}}`;

describe('citation syntax', () => {
  it('reads pandoc and natbib citations, one key or several, with a note', () => {
    expect(citationAt('[@welch1967] rest')).toEqual({ raw: '[@welch1967]', keys: ['welch1967'] });
    expect(citationAt('[@a; @b:2]')).toEqual({ raw: '[@a; @b:2]', keys: ['a', 'b:2'] });
    expect(citationAt('\\citep[welch1967]')).toEqual({ raw: '\\citep[welch1967]', keys: ['welch1967'] });
    expect(citationAt('\\citep{a, b}')).toEqual({ raw: '\\citep{a, b}', keys: ['a', 'b'] });
    expect(citationAt('\\citep[p. 5]{a}')).toEqual({ raw: '\\citep[p. 5]{a}', keys: ['a'], note: 'p. 5' });
    expect(citationAt('\\citep alone')).toBeUndefined();
    expect(citationAt('[@]')).toBeUndefined();
    expect(citationAt('[link](x)')).toBeUndefined();
  });

  it('finds the keys a text cites, once each, not inside code', () => {
    expect(citedKeys('As [@welch1967] and \\citep[cooley1965], again [@welch1967; @x]. `[@code]`\n```\n\\citep[block]\n```')).toEqual(['welch1967', 'cooley1965', 'x']);
    expect(citedKeys('no citations [here](#) @mention')).toEqual([]);
  });
});

describe('citations rendered in markdown', () => {
  it('link a known key to its reference (title, authors, year on hover); an unknown key shows as [?key]', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await importBibtex(storage, BIB);
    const lookup = await lookUpCitations(storage, ['welch1967', 'cooley1965', 'nope']);
    expect([...lookup.keys()].sort()).toEqual(['cooley1965', 'welch1967']);
    const out = markdownWithCitations('Spectra [@welch1967; @nope], FFT \\citep[cooley1965] and `[@welch1967]`.', lookup);
    expect(out).toContain(`<a class="citation" data-key="welch1967" href="#/reference/${referenceId('welch1967')}" title="The Use of &#34;FFT&#34; for Spectra — Peter D. Welch — 1967">Welch 1967</a>`);
    expect(out).toContain('<span class="citation unknown" data-key="nope" title="No reference with the key “nope” in the bibliography">[?nope]</span>');
    expect(out).toContain('title="An Algorithm — James W. Cooley, John W. Tukey — 1965">Cooley and Tukey 1965</a>)');
    expect(out).toContain('<code>[@welch1967]</code>');
    // Before the lookup, the keys show as they are (not as unknown).
    expect(markdownWithCitations('[@welch1967]', undefined)).toContain('<span class="citation pending" data-key="welch1967">welch1967</span>');
    // A title typed by hand (or synced) with markup stays text.
    await storage.put(referenceId('evil'), newReference({ key: 'evil', entry_type: 'misc', title: '<img src=x onerror=alert(1)>"', authors: [], year: '', fields: {} }));
    const evil = markdownWithCitations('[@evil]', await lookUpCitations(storage, ['evil']));
    expect(evil).toContain('title="&#60;img src=x onerror=alert(1)&#62;&#34;">&#60;img src=x onerror=alert(1)&#62;&#34;</a>');
    // Ordinary links are untouched.
    expect(markdownWithCitations('[a link](https://example.org)', lookup)).toContain('<a href="https://example.org">a link</a>');
  });
});
