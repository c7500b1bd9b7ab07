/**
 * For the tests that show outbound traffic never leaves the machine (builtin-url-context.test.ts,
 * net-address-policy.test.ts): their one server listens on 127.0.0.1, and the `net.client.socket`
 * diagnostics channel lists where every client socket of this process actually connected.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';

/**
 * Every client socket that connected during the current test, as `address:port`: filled from the diagnostics
 * channel while the calling file's tests run, emptied before each test.
 */
export function watchClientSockets(): string[] {
  const connected: string[] = [];
  const onSocket = (message: unknown): void => {
    const socket = (message as { socket: Socket }).socket;
    socket.once('connect', () => connected.push(`${socket.remoteAddress}:${socket.remotePort}`));
  };
  beforeAll(() => subscribe('net.client.socket', onSocket));
  afterAll(() => {
    unsubscribe('net.client.socket', onSocket);
  });
  beforeEach(() => {
    connected.length = 0;
  });
  return connected;
}

/** Listens `server` on 127.0.0.1 on a free port, and returns the port. */
export async function listenOnLoopback(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** Closes `server` and the connections still open to it. */
export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
}

/** Only the local test server on `port` was ever connected to. */
export function expectOnlyLoopback(connected: string[], port: number): void {
  for (const target of connected) expect(target).toBe(`127.0.0.1:${port}`);
}
