import { describe, expect, it } from 'vitest';
import { MemoryStorage, QueryStorage, type Doc, type Storage } from '../../storage';
import { bibtexValue, toBibtex } from './bibtex-export';
import { BibtexError, importBibtex, parseBibtex } from './bibtex-import';
import { authorsShort, displayName, newReference, referenceId, referenceSummary } from './reference-document';
import { listReferences, referencesByKey, searchReferences } from './reference-store';

const BIB = String.raw`@string{ieee = "IEEE Trans. Audio Electroacoust."}
% a comment line
@article{welch1967,
  author = {Welch, Peter D. and M{\"u}ller, Hans and van der Berg, Jan},
  title = {The Use of {Fast Fourier Transform} for the Estimation of Power Spectra},
  journal = ieee, year = 1967, volume = {15}, pages = {70--73},
  url = {https://example.org/a_b%20c}
}
@book{oppenheim2009, author = {Oppenheim, Alan V. and Schafer, Ronald W.}, title = {Discrete-Time Signal Processing},
  year = {2009}, publisher = {Pearson}, edition = {3rd}}
@techreport{who2020, author = {{World Health Organization}}, title = {Noise \& Health}, year = {2020}, institution = {WHO}}
`;

describe('BibTeX import', () => {
  it('reads entries: TeX accents as Unicode, @string macros, names in BibTeX form, other fields as text', () => {
    const [welch, oppenheim, who] = parseBibtex(BIB, '2026-01-01T00:00:00Z');
    expect(welch).toMatchObject({
      portal_type: 'Reference',
      reference: 'welch1967',
      entry_type: 'article',
      title: 'The Use of Fast Fourier Transform for the Estimation of Power Spectra',
      authors: ['Welch, Peter D.', 'Müller, Hans', 'van der Berg, Jan'],
      year: '1967',
      fields: { journal: 'IEEE Trans. Audio Electroacoust.', volume: '15', pages: '70–73', url: 'https://example.org/a_b%20c' },
    });
    expect(oppenheim?.fields).toMatchObject({ publisher: 'Pearson', edition: '3rd' });
    expect(who).toMatchObject({ authors: ['{World Health Organization}'], title: 'Noise & Health' });
    expect(displayName('van der Berg, Jan')).toBe('Jan van der Berg');
    expect(displayName('{World Health Organization}')).toBe('World Health Organization');
    expect(authorsShort(welch!.authors)).toBe('Welch et al.');
    expect(referenceSummary(oppenheim!)).toBe('Discrete-Time Signal Processing — Alan V. Oppenheim, Ronald W. Schafer — 2009');
  });

  it('refuses a bad file with what is wrong: a parse error, no entries, a key twice, an entry without title or with a bad key', () => {
    expect(() => parseBibtex('@article{x, title={unclosed')).toThrow(/not a BibTeX file.*Unterminated brace-value.*line 1.*nothing was imported/);
    expect(() => parseBibtex('just some notes')).toThrow(/no BibTeX entry/);
    expect(() => parseBibtex('')).toThrow(BibtexError);
    expect(() => parseBibtex('@misc{a, title={x}}\n@misc{a, title={y}}')).toThrow(/“a” is used by two entries/);
    expect(() => parseBibtex('@misc{notitle, year={2001}}')).toThrow(/“notitle” needs a title.*@misc\{notitle/);
    expect(() => parseBibtex('@misc{, title={x}}')).toThrow(/needs a citation key/);
  });

  it('imports all entries or none: a bad file leaves the bibliography as it was', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    expect(await importBibtex(storage, BIB)).toEqual({ added: 3, replaced: 0 });
    const before = (await listReferences(storage)).map(({ id }) => id).sort();
    expect(before).toEqual([referenceId('oppenheim2009'), referenceId('welch1967'), referenceId('who2020')]);
    await expect(importBibtex(storage, `@misc{fresh, title={New}}\n@misc{welch1967, year={1}}`)).rejects.toThrow(/welch1967” needs a title/);
    expect((await listReferences(storage)).map(({ id }) => id).sort()).toEqual(before);
    // The same key again replaces that reference.
    expect(await importBibtex(storage, '@misc{welch1967, title={Renamed}, year={1968}}\n@misc{fresh, title={New}}')).toEqual({ added: 1, replaced: 1 });
    expect((await referencesByKey(storage, ['welch1967'])).get('welch1967')?.reference.title).toBe('Renamed');
  });

  it('undoes what it wrote when a write fails half way', async () => {
    const memory = new QueryStorage(new MemoryStorage());
    await memory.put(referenceId('welch1967'), newReference({ key: 'welch1967', entry_type: 'misc', title: 'Kept', authors: [], year: '', fields: {} }));
    let writes = 0;
    // The real storage, failing its third write (as a full disk would).
    const failing: Storage = Object.create(memory, {
      update: { value: (id: string, change: (current: Doc | undefined) => Doc | undefined | null) => (++writes === 3 ? Promise.reject(new Error('QuotaExceededError')) : memory.update(id, change)) },
    });
    await expect(importBibtex(failing, BIB)).rejects.toThrow('QuotaExceededError');
    expect((await listReferences(memory)).map(({ reference }) => reference.title)).toEqual(['Kept']);
  });

  it('finds references by key, by words, sorted by author or year', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await importBibtex(storage, BIB);
    const found = await referencesByKey(storage, ['welch1967', 'nope', 'who2020']);
    expect([...found.keys()].sort()).toEqual(['welch1967', 'who2020']);
    const all = await listReferences(storage);
    expect(searchReferences(all, '').map(({ reference }) => reference.reference)).toEqual(['oppenheim2009', 'welch1967', 'who2020']);
    expect(searchReferences(all, '', 'year').map(({ reference }) => reference.year)).toEqual(['1967', '2009', '2020']);
    expect(searchReferences(all, '', 'year-descending').map(({ reference }) => reference.year)).toEqual(['2020', '2009', '1967']);
    expect(searchReferences(all, 'müller spectra').map(({ reference }) => reference.reference)).toEqual(['welch1967']);
    expect(searchReferences(all, 'pearson').map(({ reference }) => reference.reference)).toEqual(['oppenheim2009']);
  });
});

describe('BibTeX export', () => {
  it('writes entries that read back as the same references', () => {
    const references = parseBibtex(BIB, '2026-01-01T00:00:00Z');
    const text = toBibtex(references);
    expect(text).toContain('@article{welch1967,\n  author  = {Welch, Peter D. and Müller, Hans and van der Berg, Jan},');
    expect(text).toMatch(/title {7}= \{Noise \\& Health\}/);
    expect(text).toContain('url     = {https://example.org/a_b%20c}');
    expect(parseBibtex(text, '2026-01-01T00:00:00Z')).toEqual(references);
  });

  it('escapes TeX specials and keeps braces balanced', () => {
    expect(bibtexValue('50% & more_x #1 $5')).toBe('{50\\% \\& more\\_x \\#1 \\$5}');
    expect(bibtexValue('already \\& escaped')).toBe('{already \\& escaped}');
    expect(bibtexValue('a } b { c')).toBe('{a  b { c}}');
    expect(bibtexValue('a_b%', true)).toBe('{a_b%}');
  });

  it('a reference added by hand is checked and exported', () => {
    expect(() => newReference({ key: 'has space', entry_type: 'misc', title: 'x', authors: [], year: '', fields: {} })).toThrow(/has a space/);
    expect(() => newReference({ key: 'ok', entry_type: 'misc', title: ' ', authors: [], year: '', fields: {} })).toThrow(/needs a title/);
    const hand = newReference({ key: 'notes2026', entry_type: '', title: 'Pump notes', authors: ['Doe, Jane', ' '], year: '2026', fields: { note: 'site 3', url: '' } }, '2026-01-01T00:00:00Z');
    expect(hand).toMatchObject({ entry_type: 'misc', authors: ['Doe, Jane'], fields: { note: 'site 3' } });
    expect(toBibtex([hand])).toBe('@misc{notes2026,\n  author = {Doe, Jane},\n  title  = {Pump notes},\n  year   = {2026},\n  note   = {site 3}\n}\n');
  });
});
