/**
 * Terminal output shared by `run`, `watch` and the demo: a status line that updates in place on a TTY (and
 * prints plain, timestamped lines otherwise), bold text on a TTY only, and one-line condensing of long text.
 */

export interface Out {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** Bold on a TTY (and not with NO_COLOR), plain otherwise. */
export function bold(out: Out, text: string): string {
  return out.isTTY && !process.env.NO_COLOR ? `\x1b[1m${text}\x1b[22m` : text;
}

/** Dim on a TTY (and not with NO_COLOR), plain otherwise. */
export function dim(out: Out, text: string): string {
  return out.isTTY && !process.env.NO_COLOR ? `\x1b[2m${text}\x1b[22m` : text;
}

/** Whitespace collapsed, markdown bold markers dropped, cut to `max` characters with an ellipsis. */
export function oneLine(text: string, max = 160): string {
  const flat = text.replace(/\*\*/g, '').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `12.3s` */
export function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)}s`;
}

/**
 * A progress display. On a TTY, `render()`'s text is one line redrawn in place (every 200 ms, so the elapsed
 * time ticks) and `log()` prints a permanent line above it. Otherwise nothing is redrawn: `log()` prints a
 * plain line prefixed with the elapsed time, which is what a log file or a test should see.
 */
export class StatusLine {
  readonly #out: Out;
  readonly #render: (elapsedMs: number) => string;
  readonly #started = Date.now();
  readonly #timer: NodeJS.Timeout | undefined;
  readonly #indent: string;
  #drawn = false;
  #stopped = false;

  /** `indent` goes before every line (and the status line). */
  constructor(out: Out, render: (elapsedMs: number) => string, indent = '') {
    this.#out = out;
    this.#render = render;
    this.#indent = indent;
    if (out.isTTY) {
      this.#timer = setInterval(() => this.refresh(), 200);
      this.#timer.unref();
      this.refresh();
    }
  }

  get tty(): boolean {
    return this.#out.isTTY === true;
  }

  get elapsedMs(): number {
    return Date.now() - this.#started;
  }

  /** Redraw the status line (TTY only). */
  refresh(): void {
    if (!this.#out.isTTY || this.#stopped) return;
    const width = Math.max(20, (this.#out.columns || 100) - 1);
    const text = this.#indent + this.#render(this.elapsedMs);
    this.#out.write(`\r\x1b[2K${text.length > width ? `${text.slice(0, width - 1)}…` : text}`);
    this.#drawn = true;
  }

  /** A permanent line: above the status line on a TTY, `[  1.2s] line` otherwise. */
  log(line: string): void {
    if (this.#out.isTTY) {
      this.#clear();
      this.#out.write(`${this.#indent}${line}\n`);
      this.refresh();
    } else {
      this.#out.write(`${this.#indent}[${seconds(this.elapsedMs).padStart(6)}] ${line}\n`);
    }
  }

  /** Plain-mode only line (a TTY shows the same information in the status line). */
  note(line: string): void {
    if (!this.#out.isTTY) this.log(line);
    else this.refresh();
  }

  /** Stop redrawing; remove the status line, and print `final` (if any) as a permanent line. */
  stop(final?: string): void {
    if (this.#stopped) return;
    if (this.#timer) clearInterval(this.#timer);
    this.#clear();
    this.#stopped = true;
    if (final !== undefined) this.log(final);
  }

  #clear(): void {
    if (this.#drawn) this.#out.write('\r\x1b[2K');
    this.#drawn = false;
  }
}
