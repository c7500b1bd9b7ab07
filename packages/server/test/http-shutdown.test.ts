/**
 * Shutting down with responses under way: a stream open when `close()` is called gets the run's shutdown error
 * and `[DONE]` before its connection is closed, even when its client is slow to read what is still buffered.
 */
import { Agent, request } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { ManualEngine } from './helpers/engines.ts';
import { closeAll, events, startServer } from './helpers/server.ts';

afterAll(closeAll);

/** A raw streaming create (fetch would hide how the connection ends), read only once `resume` is called. */
function openStream(url: string): Promise<{ body: Promise<string>; resume: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${url}/v1beta/interactions`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, agent: false },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.pause();
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        resolve({
          resume: () => res.resume(),
          body: new Promise((done, fail) => {
            res.on('end', () => done(text));
            res.on('error', fail);
          }),
        });
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ model: 'm', input: 'Hi', stream: true }));
  });
}

describe('close() with a stream under way', () => {
  it('lets the stream end with the shutdown error and [DONE], then closes the server', async () => {
    const engine = new ManualEngine();
    const t = await startServer({ engine, shutdownGraceMs: 50 });
    const stream = await openStream(t.url);
    const turn = await engine.next();
    // More than the socket buffers hold while the client is not reading: the end of the stream is still in
    // the server's hands when close() is called, and only a drain lets it reach the client.
    turn.text(
      0,
      Array.from({ length: 30_000 }, (_, i) => `word${i}`),
    );
    const closing = t.server.close();
    setTimeout(stream.resume, 100);
    await closing;
    const body = await stream.body;
    const received = events(body); // throws unless the stream ended with [DONE]
    expect(received.map((e) => e.event_type)).toContain('step.delta');
    const error = received.find((e) => e.event_type === 'error');
    expect(error?.error.code).toBe('service_unavailable');
    expect(received.at(-1).event_type).toBe('interaction.completed');
    expect(received.at(-1).interaction.status).toBe('failed');
  });
});

/** One keep-alive connection: requests go one after another over the same socket. */
function keepAliveClient(url: string) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const create = () =>
    new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}/v1beta/interactions`,
        { method: 'POST', headers: { 'content-type': 'application/json' }, agent },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify({ model: 'm', input: 'Hi' }));
    });
  return { create, close: () => agent.destroy() };
}

describe('requests refused during the grace period', () => {
  it('are not logged one by one: one summary line per shutdown', async () => {
    const engine = new ManualEngine();
    const t = await startServer({ engine, shutdownGraceMs: 20_000 });
    const done = { status: 'completed' as const, output: [], usage: {} };
    // A run that holds the grace period open until the test lets it finish.
    const holder = keepAliveClient(t.url);
    const held = holder.create();
    const holding = await engine.next();
    // Four keep-alive clients, each with a turn under way when shutdown begins.
    const clients = Array.from({ length: 4 }, () => keepAliveClient(t.url));
    const first = clients.map((c) => c.create());
    const turns = await Promise.all(clients.map(() => engine.next()));
    const closing = t.server.close();
    for (const turn of turns) turn.finish(done);
    expect(await Promise.all(first)).toEqual([200, 200, 200, 200]);
    // Each client goes on over its open connection: every create is refused while the server drains.
    const statuses: number[] = [];
    for (let round = 0; round < 25; round++)
      statuses.push(...(await Promise.all(clients.map((c) => c.create()))));
    expect(statuses.every((s) => s === 503)).toBe(true);
    holding.finish(done);
    expect(await held).toBe(200);
    await closing;
    for (const c of [holder, ...clients]) c.close();

    const lines = t.logs.map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.level >= 50)).toEqual([]);
    expect(lines.filter((l) => l.code === 'service_unavailable')).toEqual([]);
    const summary = lines.filter((l) => l.msg === 'requests answered 503 while shutting down');
    expect(summary).toHaveLength(1);
    expect(summary[0]).toMatchObject({ level: 40, count: 100, status: 503 });
  });
});
