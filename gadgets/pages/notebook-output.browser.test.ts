import { describe, expect, it } from 'vitest';
import { markdownHtml } from './notebook-output';

describe('markdown cells', () => {
  it('render marked’s HTML with every script, handler and frame removed', () => {
    const out = markdownHtml('# Title\n\n<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script> [a](javascript:alert(1)) <iframe src="/"></iframe>');
    expect(out).toContain('<h1>Title</h1>');
    expect(out).not.toMatch(/onerror|<script|javascript:|<iframe/i);
  });
});
