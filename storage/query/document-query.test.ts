import { describe, expect, it } from 'vitest';
import { documentListQuery, quoteQueryValue } from './document-query';

describe('quoteQueryValue', () => {
  it('escapes quotes and backslashes', () => {
    expect(quoteQueryValue('a "b" \\c')).toBe('"a \\"b\\" \\\\c"');
  });
});

describe('documentListQuery', () => {
  it('lists a portal type when nothing is typed', () => {
    expect(documentListQuery('Data Array', '  ')).toBe('portal_type:="Data Array"');
  });
  it('requires every typed word in the title or the reference', () => {
    expect(documentListQuery('Image', 'pump  north')).toBe(
      'portal_type:="Image" AND (title:"%pump%" OR reference:"%pump%") AND (title:"%north%" OR reference:"%north%")',
    );
  });
});
