// Draws the app icons (a signal trace on a teal tile) as PNG files in public/icons, with no image library:
// a tiny RGBA rasteriser plus Node's zlib for the PNG encoding. Run: node scripts/make-icons.mjs
import { writeFileSync, mkdirSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const TILE = [15, 92, 110];
const TRACE = [255, 255, 255];
const BACKDROP = [11, 28, 34];

function crc32(bytes) {
  let crc = ~0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function chunk(type, data) {
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  const rows = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** maskable: full-bleed tile with the trace inside the 80% safe zone; otherwise a rounded tile on transparency. */
function drawIcon(size, maskable) {
  const rgba = Buffer.alloc(size * size * 4);
  const radius = maskable ? 0 : size * 0.18;
  const inset = maskable ? 0 : size * 0.04;
  const safe = maskable ? 0.2 : 0.14;
  const traceY = (x) => {
    const t = (x / size - safe) / (1 - 2 * safe);
    const envelope = Math.sin(Math.PI * Math.min(Math.max(t, 0), 1));
    return size / 2 - envelope * size * 0.22 * Math.sin(t * Math.PI * 7);
  };
  const thickness = size * 0.035;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const offset = (y * size + x) * 4;
      const cx = Math.max(inset + radius - x, 0, x - (size - inset - radius));
      const cy = Math.max(inset + radius - y, 0, y - (size - inset - radius));
      const inTile = x >= inset && y >= inset && x < size - inset && y < size - inset && Math.hypot(cx, cy) <= radius + 0.5;
      let colour = inTile ? TILE : maskable ? BACKDROP : null;
      const inTraceSpan = x > size * safe && x < size * (1 - safe);
      if (inTile && inTraceSpan) {
        // Distance to the curve, sampled on neighbouring columns, for an even stroke on steep slopes.
        let distance = Infinity;
        for (let dx = -thickness; dx <= thickness; dx += 0.5) distance = Math.min(distance, Math.hypot(dx, y - traceY(x + dx)));
        if (distance < thickness / 2) colour = TRACE;
      }
      if (colour) rgba.set([...colour, 255], offset);
    }
  }
  return encodePng(size, rgba);
}

const out = new URL('../public/icons/', import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL('icon-192.png', out), drawIcon(192, false));
writeFileSync(new URL('icon-512.png', out), drawIcon(512, false));
writeFileSync(new URL('icon-maskable-512.png', out), drawIcon(512, true));
writeFileSync(new URL('apple-touch-icon.png', out), drawIcon(180, true));
console.log('icons written to public/icons/');
