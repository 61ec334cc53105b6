import { describe, expect, it } from 'vitest';
import { DATA_ATTACHMENT, MemoryStorage, QueryStorage } from '../../storage';
import { importBibtex } from './bibtex-import';
import { referenceId, referenceOf } from './reference-document';
import { attachPdf, removePdf } from './reference-pdf';

const pdf = (text = 'body') => new File([`%PDF-1.7\n${text}\n%%EOF`], 'welch.pdf', { type: 'application/pdf' });

describe('a reference’s PDF', () => {
  it('is kept as the data attachment and named in the document; importing the entry again keeps it; removing frees it', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await importBibtex(storage, '@article{welch1967, title={Spectra}, year=1967}');
    const id = referenceId('welch1967');
    const file = pdf();
    await attachPdf(storage, id, file);
    expect(referenceOf(await storage.get(id))?.pdf).toEqual({ name: 'welch.pdf', bytes: file.size });
    expect(await (await storage.getAttachment(id, DATA_ATTACHMENT)).text()).toContain('%PDF-1.7');
    await importBibtex(storage, '@article{welch1967, title={Spectra, again}, year=1967}');
    expect(referenceOf(await storage.get(id))).toMatchObject({ title: 'Spectra, again', pdf: { name: 'welch.pdf' } });
    await removePdf(storage, id);
    expect(referenceOf(await storage.get(id))?.pdf).toBeUndefined();
    expect(await storage.allAttachments(id)).toEqual({});
  });

  it('refuses a file that is not a PDF, storing nothing', async () => {
    const storage = new QueryStorage(new MemoryStorage());
    await importBibtex(storage, '@misc{a, title={A}}');
    await expect(attachPdf(storage, referenceId('a'), new File(['<html>'], 'page.pdf'))).rejects.toThrow(/“page.pdf” is not a PDF/);
    expect(await storage.allAttachments(referenceId('a'))).toEqual({});
    expect(referenceOf(await storage.get(referenceId('a')))?.pdf).toBeUndefined();
  });
});
