/**
 * One SSE response: `event: <type>\ndata: <json>\n\n` frames, a keep-alive comment when idle, and the
 * `event: done\ndata: [DONE]\n\n` terminator. Frames written in the same tick leave in one TCP write.
 *
 * A chunked response that owns its socket (the usual case) gets its frames as one chunk of the chunked body
 * per tick, framed here (`<size>\r\n<frames>\r\n`) and written to the socket as one string: node:http would
 * send the size line, the CRLFs and each frame as pieces of their own, gathered by the corked socket into a
 * `writev` that reads every piece and its encoding back from an array — two thirds of what a streamed event
 * cost the server's timers phase (docs/decisions-performance.md, the fan-out). Any other response (HTTP/1.0,
 * HEAD, one waiting behind a pipelined request) is written through `res.write`, corked for the tick.
 */
import type { ServerResponse } from 'node:http';
// Imported, not read from the global `process` (an accessor, called on every use): it runs once per frame.
import { nextTick } from 'node:process';
import type { Duplex } from 'node:stream';
import { encodeSseFrame, SSE_DONE_FRAME, SSE_KEEPALIVE_FRAME } from '@interplay/protocol';

export interface SseWriterOptions {
  /** Idle time after which a `: keep-alive` comment is sent; 0 disables. */
  keepAliveMs?: number;
}

export class SseWriter {
  readonly #res: ServerResponse;
  /** The response's own socket, which its chunks are written to; undefined: they go through `res.write`. */
  readonly #socket: Duplex | undefined;
  /** The response is corked (the head, or frames through `res.write`) until the tick's end. */
  #corked = false;
  #flushScheduled = false;
  /** This tick's frames, not yet written to the socket, their size in bytes and whether all are ASCII. */
  #pending = '';
  #pendingBytes = 0;
  #pendingAscii = true;
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
    // A response waiting behind another on its connection has no socket yet; only a chunked body is framed here.
    this.#socket = res.socket && res.chunkedEncoding ? res.socket : undefined;
    const keepAliveMs = options.keepAliveMs ?? 15_000;
    if (keepAliveMs > 0) {
      this.#timer = setInterval(() => {
        if (!this.#wroteSinceTick) this.#write(SSE_KEEPALIVE_FRAME, false);
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
    return this.#write(frame, ascii);
  }

  /** Write a pre-encoded frame. */
  frame(frame: string): boolean {
    return this.#write(frame, false);
  }

  /**
   * Resolves when the socket can take more (or the client is gone). One `drain` and one `close`/`error`
   * listener per wait, all removed when the first fires: a long stream waits thousands of times, and a
   * listener left behind by each wait would pile up until the response closes.
   */
  drain(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const socket = this.#socket;
    if (!socket) return this.#res.writableNeedDrain ? settled(this.#res) : Promise.resolve();
    // The tick's frames go to the socket now, so that its `drain` comes after them.
    this.#flush();
    return socket.writableNeedDrain ? settled(socket) : Promise.resolve();
  }

  /** Send the terminator and end the response. */
  done(): void {
    if (this.closed) return;
    this.#write(SSE_DONE_FRAME, true);
    this.#ended = true;
    this.#stop();
    // Flushed before end: ending a corked chunked response drops the corked data (Node 24). The socket is
    // held corked over both, so the last frames and the chunked terminator leave in one write.
    const socket = this.#res.socket;
    socket?.cork();
    this.#flush();
    this.#res.end();
    socket?.uncork();
  }

  /** End without the terminator (e.g. the server is closing the connection). */
  abort(): void {
    if (this.closed) return;
    this.#ended = true;
    this.#stop();
    this.#flush();
    this.#res.end();
  }

  #write(text: string, ascii: boolean): boolean {
    if (this.closed) return false;
    this.#wroteSinceTick = true;
    const socket = this.#socket;
    if (!socket) {
      this.#cork();
      // An ASCII frame written as latin1 is the same bytes, copied as they are where UTF-8 would be measured
      // for the chunk's size and converted again when written.
      return this.#res.write(text, ascii ? 'latin1' : 'utf8');
    }
    this.#scheduleFlush();
    this.#pending += text;
    this.#pendingBytes += ascii ? text.length : Buffer.byteLength(text);
    if (!ascii) this.#pendingAscii = false;
    return socket.writableLength + this.#pendingBytes < socket.writableHighWaterMark;
  }

  /** The response is corked until the end of this tick. */
  #cork(): void {
    if (this.#corked) return;
    this.#corked = true;
    this.#res.cork();
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    nextTick(this.#flushAtTickEnd);
  }

  readonly #flushAtTickEnd = (): void => {
    this.#flushScheduled = false;
    this.#flush();
  };

  /** Writes out what the tick holds: the corked response's data, then the frames as one chunk. */
  #flush(): void {
    const socket = this.#res.socket;
    const corked = this.#corked;
    // With the response corked (the head, or frames through `res.write`), the socket is held corked over its
    // uncork and the chunk: node:http would uncork the socket before sending what it buffered — the chunk's
    // size line, CRLF, each frame, CRLF — each piece a write(2) of its own; corked, all leave in one writev.
    if (corked) {
      this.#corked = false;
      socket?.cork();
      this.#res.uncork();
    }
    if (this.#pending !== '') {
      const chunk = `${this.#pendingBytes.toString(16)}\r\n${this.#pending}\r\n`;
      const encoding = this.#pendingAscii ? 'latin1' : 'utf8';
      this.#pending = '';
      this.#pendingBytes = 0;
      this.#pendingAscii = true;
      // A client gone between the write and the tick's end: the chunk has nowhere to go.
      if (this.#socket && !this.#socket.destroyed) this.#socket.write(chunk, encoding);
    }
    if (corked) socket?.uncork();
  }

  #stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/**
 * Resolves at the emitter's first `drain`, `close` or `error`, taking its three listeners with it (a long stream
 * waits thousands of times; a listener left behind by each wait would pile up).
 */
function settled(emitter: NodeJS.EventEmitter): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      emitter.off('drain', done);
      emitter.off('close', done);
      emitter.off('error', done);
      resolve();
    };
    emitter.on('drain', done);
    emitter.on('close', done);
    emitter.on('error', done);
  });
}
