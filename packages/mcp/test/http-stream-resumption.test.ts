/**
 * Client-side MCP over Streamable HTTP when a resumable server (an SDK server with an event store) ends a
 * call's answer stream before the answer: the SDK transport resumes it with `Last-Event-ID` after
 * `MCP_STREAM_RECONNECTION`'s delay, and the call gets its answer on the same session, run once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { mcpServer } from '../src/index.ts';
import { startHttpFixture } from './fixtures/http-host.ts';

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

async function setup() {
  const fixture = await startHttpFixture({ resumable: true });
  // The call timeout is far longer than the answer: a call that waited for it did not get the answer resumed.
  const server = mcpServer({
    name: 'fixture',
    transport: { type: 'http', url: fixture.url },
    timeoutMs: 10_000,
  });
  cleanup.push(
    () => fixture.close(),
    () => server.close(),
  );
  return { fixture, server };
}

describe('client-side MCP: an answer stream the server ends before the answer', () => {
  it.each([
    ['answered while no stream is open (replayed on resume)', 0],
    ['answered after the client resumed the stream', 1_500],
  ])('gets its answer when %s, the tool run once', async (_, answerAfterMs) => {
    const { fixture, server } = await setup();
    fixture.endAnswerStreamOf('counter', { answerAfterMs });
    expect(await server.callTool('counter', {})).toEqual({ value: '1', isError: false, text: '1' });
    expect(fixture.state.calls.counter).toBe(1);
    expect(fixture.resumedStreams).toBe(1);
    expect(fixture.sessions).toBe(1);
    expect((await server.callTool('counter', {})).value).toBe('2'); // the session still answers
  });
});
