/**
 * Images, audio, video and documents of a step, from inline base64 `data` or a `uri`. Inline media play in
 * the page; raw PCM audio (`audio/L16`, `audio/pcm`, as Gemini's speech output) is wrapped in a WAV header
 * first, because browsers cannot play headerless samples. Media at other addresses are shown as links: the
 * page loads nothing from elsewhere.
 */
import { externalLink, h } from './dom.js';

export function mediaElement(part) {
  const mime = typeof part.mime_type === 'string' ? part.mime_type : '';
  const label = `${part.type}${mime ? ` (${mime})` : ''}`;
  if (typeof part.data !== 'string' || part.data === '') {
    return h('div', { class: `media media-${part.type}` }, part.uri ? externalLink(part.uri, label) : label);
  }
  let bytes;
  try {
    bytes = base64Bytes(part.data);
  } catch {
    return h('div', { class: 'media media-invalid' }, `${label}: not valid base64`);
  }
  switch (part.type) {
    case 'image':
      return h('img', { class: 'media media-image', src: blobUrl(bytes, mime || 'image/png'), alt: label });
    case 'audio':
      return h('audio', {
        class: 'media media-audio',
        controls: true,
        preload: 'metadata',
        src: audioUrl(bytes, mime),
      });
    case 'video':
      return h('video', {
        class: 'media media-video',
        controls: true,
        preload: 'metadata',
        src: blobUrl(bytes, mime),
      });
    default:
      return h(
        'a',
        { class: 'media media-document', href: blobUrl(bytes, mime), download: `document${extension(mime)}` },
        `${label}, ${formatBytes(bytes.length)}`,
      );
  }
}

function base64Bytes(data) {
  const binary = atob(data.replace(/[-_]/g, (c) => (c === '-' ? '+' : '/')));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const blobUrl = (bytes, mime) => URL.createObjectURL(new Blob([bytes], { type: mime }));

function audioUrl(bytes, mime) {
  const [essence, ...params] = mime.split(';').map((s) => s.trim().toLowerCase());
  if (essence !== 'audio/l16' && essence !== 'audio/pcm') return blobUrl(bytes, mime);
  const param = (name, fallback) => {
    const found = params.find((p) => p.startsWith(`${name}=`));
    const value = found ? Number(found.slice(name.length + 1)) : Number.NaN;
    return Number.isInteger(value) && value > 0 ? value : fallback;
  };
  return blobUrl(wav(bytes, param('rate', 24000), param('channels', 1)), 'audio/wav');
}

/** 16-bit little-endian PCM samples (what Gemini sends under `audio/L16`) in a RIFF/WAVE container. */
function wav(samples, rate, channels) {
  const header = new DataView(new ArrayBuffer(44));
  const ascii = (offset, text) => {
    for (let i = 0; i < text.length; i++) header.setUint8(offset + i, text.charCodeAt(i));
  };
  ascii(0, 'RIFF');
  header.setUint32(4, 36 + samples.length, true);
  ascii(8, 'WAVE');
  ascii(12, 'fmt ');
  header.setUint32(16, 16, true);
  header.setUint16(20, 1, true); // PCM
  header.setUint16(22, channels, true);
  header.setUint32(24, rate, true);
  header.setUint32(28, rate * channels * 2, true);
  header.setUint16(32, channels * 2, true);
  header.setUint16(34, 16, true);
  ascii(36, 'data');
  header.setUint32(40, samples.length, true);
  const out = new Uint8Array(44 + samples.length);
  out.set(new Uint8Array(header.buffer), 0);
  out.set(samples, 44);
  return out;
}

function extension(mime) {
  const sub = mime.split(';')[0].split('/')[1];
  return sub && /^[a-z0-9.+-]+$/i.test(sub) ? `.${sub.replace(/^x-/, '')}` : '';
}

function formatBytes(n) {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
