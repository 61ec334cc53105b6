import { describe, expect, it } from 'vitest';
import { markdownHtml } from './notebook-output';

describe('markdown cells', () => {
  it('render marked’s HTML with every script, handler and frame removed', () => {
    const out = markdownHtml('# Title\n\n<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> [a](javascript:alert(1)) <iframe src="/"></iframe>');
    expect(out).toContain('<h1>Title</h1>');
    expect(out).not.toMatch(/onerror|<script|javascript:|<iframe/i);
  });

  it('keep citations through the sanitiser: a link with its title for a known key, [?key] for an unknown one', () => {
    const lookup = new Map([['welch1967', { id: 'reference-welch1967', label: 'Welch 1967', summary: 'The Use of FFT — Peter D. Welch — 1967' }]]);
    const host = document.createElement('div');
    host.innerHTML = markdownHtml('See [@welch1967] and \\citep[gone2020] <script>window.__pwned=3</script>', lookup);
    const link = host.querySelector('a.citation');
    expect(link?.getAttribute('href')).toBe('#/reference/reference-welch1967');
    expect(link?.getAttribute('title')).toBe('The Use of FFT — Peter D. Welch — 1967');
    expect(link?.textContent).toBe('Welch 1967');
    const unknown = host.querySelector('.citation.unknown');
    expect(unknown?.textContent).toBe('[?gone2020]');
    expect(host.innerHTML).not.toContain('<script');
  });
});
