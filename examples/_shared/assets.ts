/**
 * Small media files for the examples, generated in code (nothing downloaded, no binaries in the repository),
 * and a tiny HTTP server on 127.0.0.1 that serves them.
 *
 *   const assets = await serveAssets();
 *   assets.url('scene.png');   // http://127.0.0.1:PORT/scene.png
 *   await assets.close();
 *
 * | name           | what                                                                     |
 * | -------------- | ------------------------------------------------------------------------ |
 * | `scene.png`    | 96×64 PNG: a yellow sun in a blue sky over a green field                 |
 * | `tone.wav`     | 1 s of a 440 Hz sine tone, 16-bit mono PCM at 16 kHz                     |
 * | `clip.mp4`     | an MP4 *stub*: a valid `ftyp` box and an empty `moov` (no video track)   |
 * | `report.pdf`   | a valid one-page PDF with a few lines of text                            |
 * | `article.html` | an HTML article ("The Interplay Gazette") for url_context               |
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32, deflateSync } from 'node:zlib';

export const ASSET_NAMES = ['scene.png', 'tone.wav', 'clip.mp4', 'report.pdf', 'article.html'] as const;
export type AssetName = (typeof ASSET_NAMES)[number];

export interface Asset {
  bytes: Buffer;
  mimeType: string;
}

/** The headline of `article.html`, also printed by the url_context example. */
export const ARTICLE_TITLE = 'The Interplay Gazette: local libraries lend out telescopes';

// ---- PNG -------------------------------------------------------------------------------------------------

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A truecolour PNG of `width`×`height` pixels painted by `paint(x, y) → [r, g, b]`. */
export function png(width: number, height: number, paint: (x: number, y: number) => number[]): Buffer {
  const raw = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1); // each row starts with filter type 0 (none)
    for (let x = 0; x < width; x++) {
      const [r = 0, g = 0, b = 0] = paint(x, y);
      raw[row + 1 + x * 3] = r;
      raw[row + 2 + x * 3] = g;
      raw[row + 3 + x * 3] = b;
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // colour type: RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', deflateSync(raw)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function scene(): Buffer {
  return png(96, 64, (x, y) => {
    if ((x - 70) ** 2 + (y - 16) ** 2 <= 81) return [250, 210, 40]; // the sun
    if (y >= 44) return [60, 160, 70]; // the field
    return [120, 180, 240]; // the sky
  });
}

// ---- WAV -------------------------------------------------------------------------------------------------

function tone(seconds = 1, hz = 440, rate = 16_000): Buffer {
  const samples = Math.round(seconds * rate);
  const wav = Buffer.alloc(44 + samples * 2);
  wav.write('RIFF', 0, 'latin1');
  wav.writeUInt32LE(36 + samples * 2, 4);
  wav.write('WAVE', 8, 'latin1');
  wav.write('fmt ', 12, 'latin1');
  wav.writeUInt32LE(16, 16); // fmt chunk size
  wav.writeUInt16LE(1, 20); // PCM
  wav.writeUInt16LE(1, 22); // mono
  wav.writeUInt32LE(rate, 24);
  wav.writeUInt32LE(rate * 2, 28); // byte rate
  wav.writeUInt16LE(2, 32); // block align
  wav.writeUInt16LE(16, 34); // bits per sample
  wav.write('data', 36, 'latin1');
  wav.writeUInt32LE(samples * 2, 40);
  for (let i = 0; i < samples; i++) {
    wav.writeInt16LE(Math.round(Math.sin((2 * Math.PI * hz * i) / rate) * 0.3 * 32767), 44 + i * 2);
  }
  return wav;
}

/** Wraps raw PCM (16-bit little-endian, as speech generation returns it) in a WAV header. */
export function pcmToWav(pcm: Buffer, rate = 24_000, channels = 1): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + pcm.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(channels, 22);
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * channels * 2, 28);
  header.writeUInt16LE(channels * 2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(pcm.length, 40);
  return Buffer.concat([header, pcm]);
}

// ---- MP4 stub ----------------------------------------------------------------------------------------------

function box(type: string, ...payload: Buffer[]): Buffer {
  const body = Buffer.concat(payload);
  const size = Buffer.alloc(4);
  size.writeUInt32BE(8 + body.length);
  return Buffer.concat([size, Buffer.from(type, 'latin1'), body]);
}

/** A well-formed but empty ISO-BMFF file: enough for a MIME sniffer, not a playable video. */
function mp4Stub(): Buffer {
  const ftyp = box(
    'ftyp',
    Buffer.from('isom', 'latin1'),
    Buffer.from([0, 0, 2, 0]),
    Buffer.from('isomiso2mp41'),
  );
  const mvhd = Buffer.alloc(100);
  mvhd.writeUInt32BE(1000, 12); // timescale
  mvhd.writeUInt32BE(0x00010000, 20); // rate 1.0
  mvhd.writeUInt16BE(0x0100, 24); // volume 1.0
  for (const [i, v] of [0x00010000, 0, 0, 0, 0x00010000, 0, 0, 0, 0x40000000].entries()) {
    mvhd.writeUInt32BE(v, 36 + i * 4); // identity matrix
  }
  mvhd.writeUInt32BE(1, 96); // next track id
  return Buffer.concat([ftyp, box('moov', box('mvhd', mvhd))]);
}

// ---- PDF -----------------------------------------------------------------------------------------------------

/** A one-page PDF 1.4 with Helvetica text lines; the cross-reference offsets are computed, so it is valid. */
export function pdf(lines: readonly string[]): Buffer {
  const escapeText = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const text = lines.map(
    (line, i) => `BT /F1 ${i === 0 ? 18 : 12} Tf 72 ${720 - i * 24} Td (${escapeText(line)}) Tj ET`,
  );
  const stream = text.join('\n');
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

// ---- HTML ----------------------------------------------------------------------------------------------------

function article(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${ARTICLE_TITLE}</title>
<style>body { font-family: sans-serif }</style><script>console.log('not read by url_context')</script></head>
<body><article>
<h1>${ARTICLE_TITLE}</h1>
<p>Since March, twelve branch libraries have added telescopes to their catalogues. Members borrow one for a
week, just like a book, and get a star map and a short guide with it.</p>
<p>Librarians say the telescopes are booked out every clear weekend, and that the waiting list has grown to
more than three hundred names. A second batch of twenty telescopes arrives in the autumn.</p>
</article></body></html>
`;
}

// ---- the set and the server -----------------------------------------------------------------------------------

const cache = new Map<AssetName, Asset>();

/** The bytes and MIME type of an asset (generated once per process). */
export function asset(name: AssetName): Asset {
  let found = cache.get(name);
  if (!found) {
    found = build(name);
    cache.set(name, found);
  }
  return found;
}

function build(name: AssetName): Asset {
  switch (name) {
    case 'scene.png':
      return { bytes: scene(), mimeType: 'image/png' };
    case 'tone.wav':
      return { bytes: tone(), mimeType: 'audio/wav' };
    case 'clip.mp4':
      return { bytes: mp4Stub(), mimeType: 'video/mp4' };
    case 'report.pdf':
      return {
        bytes: pdf([
          'Interplay quarterly report',
          'Revenue grew 12% over the last quarter, driven by the self-hosted server.',
          'The team shipped streaming resume, background runs and the Files API.',
          'Next quarter: Deep Research composition and more examples.',
        ]),
        mimeType: 'application/pdf',
      };
    case 'article.html':
      return { bytes: Buffer.from(article()), mimeType: 'text/html; charset=utf-8' };
  }
}

const isAssetName = (name: string): name is AssetName => (ASSET_NAMES as readonly string[]).includes(name);

export interface AssetServer {
  /** `http://127.0.0.1:PORT` */
  readonly origin: string;
  /** The URL an asset is served at. */
  url(name: AssetName): string;
  close(): Promise<void>;
}

/** Serves every asset on 127.0.0.1 (a free port). Unknown paths get 404. */
export async function serveAssets(): Promise<AssetServer> {
  const server = createServer((req, res) => {
    const name = new URL(req.url ?? '/', 'http://x').pathname.slice(1);
    const found = isAssetName(name) ? asset(name) : undefined;
    if (!found || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': found.mimeType, 'content-length': found.bytes.length });
    res.end(req.method === 'HEAD' ? undefined : found.bytes);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (name) => `${origin}/${name}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
