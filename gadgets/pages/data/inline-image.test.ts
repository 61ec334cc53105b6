import { describe, expect, it } from 'vitest';
import { imageBytes } from './inline-image';

describe('an image attachment, by the content type it came with', () => {
  it('is shown when raster, under its own type without parameters', () => {
    const bytes = imageBytes(new Blob(['png'], { type: 'image/png' }));
    expect(bytes).toMatchObject({ inline: true, extension: 'png', format: 'PNG' });
    expect(bytes.blob.type).toBe('image/png');
    expect(imageBytes(new Blob(['jpeg'], { type: 'image/jpeg' }))).toMatchObject({ inline: true, extension: 'jpg', format: 'JPEG' });
  });

  it('is only downloaded, as plain bytes, when of a type that can carry script or of none', async () => {
    for (const [type, extension] of [['image/svg+xml', 'svg'], ['text/html', 'html'], ['application/xhtml+xml', 'xhtml'], ['', 'bin'], ['image/x-icon', 'icon']]) {
      const bytes = imageBytes(new Blob(['<svg onload="alert(1)"/>'], { type }));
      expect(bytes).toMatchObject({ inline: false, extension, type: type || 'unknown' });
      expect(bytes.blob.type).toBe('application/octet-stream');
      expect(await bytes.blob.text()).toBe('<svg onload="alert(1)"/>');
    }
  });
});
