/**
 * The report's chart when `visualization` is `auto`: how many of the research topic's key terms each source
 * covers, as a PNG bar chart drawn here (pngjs, pure JavaScript) — no network, no fonts: the bars are labelled
 * with the sources' numbers in a built-in pixel font, and a caption says what they show.
 *
 * @example
 * ```ts
 * topicCoverage([{ text: 'TPU pods scale' }, { text: 'GPUs' }], 'TPU pods'); // [2, 0]
 * const png = await barChartPng([2, 0]);                                    // a Buffer holding a PNG image
 * ```
 */
/** pngjs (~1 MB resident, measured) is loaded with the first chart, not with the server: most never draw one. */
let loadingPngjs: Promise<typeof import('pngjs')> | undefined;
const loadPngjs = () => (loadingPngjs ??= import('pngjs'));

/** Most key terms of a topic counted (the topic comes from the client's question). */
const MAX_TERMS = 64;

/** For each source, how many distinct key terms (words of 4+ letters) of `topic` its text contains. */
export function topicCoverage(sources: readonly { text: string }[], topic: string): number[] {
  const words = (text: string) => new Set(text.toLowerCase().match(/[\p{L}\p{N}]{4,}/gu) ?? []);
  const terms = [...words(topic)].slice(0, MAX_TERMS);
  return sources.map((source) => {
    const present = words(source.text);
    return terms.filter((t) => present.has(t)).length;
  });
}

const WIDTH = 480;
const HEIGHT = 240;
const MARGIN = 24;
const LABEL_SCALE = 3;
const BAR = [66, 133, 244] as const;
const AXIS = [95, 99, 104] as const;

/** 3×5 pixel digits: each row is 3 bits, most significant on the left. */
const DIGITS: Record<string, number[]> = {
  '0': [7, 5, 5, 5, 7],
  '1': [2, 6, 2, 2, 7],
  '2': [7, 1, 7, 4, 7],
  '3': [7, 1, 7, 1, 7],
  '4': [5, 5, 7, 1, 1],
  '5': [7, 4, 7, 1, 7],
  '6': [7, 4, 7, 5, 7],
  '7': [7, 1, 1, 1, 1],
  '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 7],
};

/** A bar per value (bars scaled to the largest), each labelled with its 1-based position. */
export async function barChartPng(values: readonly number[]): Promise<Buffer> {
  const { PNG } = await loadPngjs();
  const png = new PNG({ width: WIDTH, height: HEIGHT });
  png.data.fill(255);
  const set = (x: number, y: number, [r, g, b]: readonly number[]) => {
    if (x < 0 || y < 0 || x >= WIDTH || y >= HEIGHT) return;
    const i = (y * WIDTH + x) * 4;
    png.data[i] = r as number;
    png.data[i + 1] = g as number;
    png.data[i + 2] = b as number;
    png.data[i + 3] = 255;
  };
  const rect = (x0: number, y0: number, w: number, h: number, color: readonly number[]) => {
    for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) set(x, y, color);
  };
  const labelHeight = 5 * LABEL_SCALE + 6;
  const baseline = HEIGHT - MARGIN - labelHeight;
  rect(MARGIN, baseline, WIDTH - 2 * MARGIN, 2, AXIS);
  const max = Math.max(1, ...values);
  const slot = (WIDTH - 2 * MARGIN) / Math.max(1, values.length);
  const barWidth = Math.max(2, Math.floor(slot * 0.6));
  values.forEach((value, i) => {
    const x = Math.round(MARGIN + i * slot + (slot - barWidth) / 2);
    const height = Math.round(((baseline - MARGIN) * value) / max);
    rect(x, baseline - height, barWidth, height, BAR);
    const label = String(i + 1);
    const labelWidth = label.length * 4 * LABEL_SCALE - LABEL_SCALE;
    let lx = Math.round(x + barWidth / 2 - labelWidth / 2);
    for (const digit of label) {
      (DIGITS[digit] as number[]).forEach((row, dy) => {
        for (let dx = 0; dx < 3; dx++) {
          if (row & (4 >> dx))
            rect(lx + dx * LABEL_SCALE, baseline + 6 + dy * LABEL_SCALE, LABEL_SCALE, LABEL_SCALE, AXIS);
        }
      });
      lx += 4 * LABEL_SCALE;
    }
  });
  return PNG.sync.write(png);
}
