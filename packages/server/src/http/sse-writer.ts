/**
 * One SSE response: `event: <type>\ndata: <json>\n\n` frames, a keep-alive comment when idle, and the
 * `event: done\ndata: [DONE]\n\n` terminator. Frames written in the same tick leave in one TCP write.
 */
import type { ServerResponse } from 'node:http';
// Imported, not read from the global `process` (an accessor, called on every use): it runs once per frame.
import { nextTick } from 'node:process';
import { encodeSseFrame, SSE_DONE_FRAME, SSE_KEEPALIVE_FRAME } from '@interplay/protocol';

export interface SseWriterOptions {
  /** Idle time after which a `: keep-alive` comment is sent; 0 disables. */
  keepAliveMs?: number;
}

export class SseWriter {
  readonly #res: ServerResponse;
  #corked = false;
  #ended = false;
  #wroteSinceTick = false;
  #timer: NodeJS.Timeout | undefined;

  constructor(res: ServerResponse, options: SseWriterOptions = {}) {
    this.#res = res;
    // setHeader (not writeHead's argument) so the edge can still see it is a stream if an error follows.
    res.setHeader('content-type', 'text/event-stream');
    res.setHeader('cache-control', 'no-cache');
    res.setHeader('x-accel-buffering', 'no');
    // The head leaves with the frames written in this tick, in one TCP write (and alone when there are none).
    this.#cork();
    res.writeHead(200);
    res.flushHeaders();
    const keepAliveMs = options.keepAliveMs ?? 15_000;
    if (keepAliveMs > 0) {
      this.#timer = setInterval(() => {
        if (!this.#wroteSinceTick) this.#write(SSE_KEEPALIVE_FRAME);
        this.#wroteSinceTick = false;
      }, keepAliveMs);
      this.#timer.unref();
    }
    res.once('close', () => this.#stop());
  }

  /** True once the client went away or the stream was ended. */
  get closed(): boolean {
    return this.#ended || this.#res.destroyed || this.#res.writableEnded;
  }

  /** Called once when the client disconnects (or the stream ends). */
  onClose(listener: () => void): void {
    if (this.closed) queueMicrotask(listener);
    else this.#res.once('close', listener);
  }

  /** Write one event frame; returns false when the socket buffer is full (see {@link drain}). */
  event(event: { event_type: string }): boolean {
    const { frame, ascii } = encodeSseFrame(event);
    // An ASCII frame written as latin1 is the same bytes, copied as they are where UTF-8 would be measured for
    // the chunk's size and converted again when written.
    return this.#write(frame, ascii ? 'latin1' : 'utf8');
  }

  /** Write a pre-encoded frame. */
  frame(frame: string): boolean {
    return this.#write(frame);
  }

  /**
   * Resolves when the socket can take more (or the client is gone). One `drain` and one `close`/`error`
   * listener per wait, all removed when the first fires: a long stream waits thousands of times, and a
   * listener left behind by each wait would pile up on the response until it closes.
   */
  drain(): Promise<void> {
    const res = this.#res;
    if (this.closed || !res.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        res.off('drain', done);
        res.off('close', done);
        res.off('error', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
      res.on('error', done);
    });
  }

  /** Send the terminator and end the response. */
  done(): void {
    if (this.closed) return;
    this.#write(SSE_DONE_FRAME);
    this.#ended = true;
    this.#stop();
    // Uncork before end: ending a corked chunked response drops the corked data (Node 24). The socket is
    // held corked over both, so the last frames and the chunked terminator leave in one write.
    const socket = this.#res.socket;
    socket?.cork();
    this.#uncork();
    this.#res.end();
    socket?.uncork();
  }

  /** End without the terminator (e.g. the server is closing the connection). */
  abort(): void {
    if (this.closed) return;
    this.#ended = true;
    this.#stop();
    this.#uncork();
    this.#res.end();
  }

  #uncork(): void {
    if (!this.#corked) return;
    this.#corked = false;
    // ServerResponse.uncork uncorks the socket before it sends what it buffered — the chunk's size line, CRLF,
    // each frame, CRLF — so each piece would be a write(2) of its own; with the socket held corked over it,
    // they leave in one writev.
    const socket = this.#res.socket;
    socket?.cork();
    this.#res.uncork();
    socket?.uncork();
  }

  #write(text: string, encoding: 'utf8' | 'latin1' = 'utf8'): boolean {
    if (this.closed) return false;
    this.#wroteSinceTick = true;
    this.#cork();
    return this.#res.write(text, encoding);
  }

  /** Frames written from now until the end of this tick leave in one TCP write. */
  #cork(): void {
    if (this.#corked) return;
    this.#corked = true;
    this.#res.cork();
    nextTick(this.#uncorkAtTickEnd);
  }

  readonly #uncorkAtTickEnd = (): void => this.#uncork();

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}
