/** The small pure pieces of the HTTP runtime: routing, ids, body guards, durations, loopback, query booleans. */
import { describe, expect, it } from 'vitest';
import { collectKeys, isLoopbackHost, KeyRing, ownerOfKey } from '../src/auth/keys.ts';
import { parseDuration } from '../src/config.ts';
import { fileNameFromUri } from '../src/files/refs.ts';
import { jsonNestsDeeper, parseJsonObject } from '../src/http/body.ts';
import { boolParam } from '../src/http/interactions.ts';
import { matchRoute } from '../src/http/router.ts';
import { eventIdFor, isoSeconds, newCallId, newInteractionId, parseEventId } from '../src/runtime/ids.ts';

describe('router', () => {
  it('matches every route, version and the Vertex prefix', () => {
    expect(matchRoute('POST', '/v1beta/interactions')).toEqual({
      ok: true,
      route: { kind: 'interactions.create', version: 'v1beta' },
    });
    // The create path's shortcut answers as the general matcher does (a trailing slash takes the latter).
    for (const version of ['v1beta', 'v1', 'v1alpha', 'v1beta1']) {
      expect(matchRoute('POST', `/${version}/interactions`)).toEqual(
        matchRoute('POST', `/${version}/interactions/`),
      );
    }
    expect(matchRoute('GET', '/v1beta/interactions')).toMatchObject({ ok: false, status: 405 });
    expect(matchRoute('GET', '/v1/interactions/v1_a')).toMatchObject({
      ok: true,
      route: { kind: 'interactions.get', id: 'v1_a' },
    });
    expect(matchRoute('DELETE', '/v1alpha/interactions/v1_a/')).toMatchObject({
      route: { kind: 'interactions.delete' },
    });
    expect(matchRoute('POST', '/v1beta/interactions/v1_a/cancel')).toMatchObject({
      route: { kind: 'interactions.cancel', id: 'v1_a' },
    });
    expect(matchRoute('POST', '/v1beta/interactions/v1_a:cancel')).toMatchObject({
      route: { kind: 'interactions.cancel', id: 'v1_a' },
    });
    expect(matchRoute('GET', '/v1beta1/projects/p/locations/l/interactions/x')).toMatchObject({
      route: { kind: 'interactions.get', id: 'x' },
    });
    expect(matchRoute('POST', '/upload/v1beta/files')).toMatchObject({ route: { kind: 'files.upload' } });
    expect(matchRoute('GET', '/v1beta/files')).toMatchObject({ route: { kind: 'files.list' } });
    expect(matchRoute('DELETE', '/v1beta/files/abc')).toMatchObject({
      route: { kind: 'files.delete', id: 'abc' },
    });
    expect(matchRoute('HEAD', '/healthz')).toMatchObject({ route: { kind: 'health' } });
  });

  it('404 for unknown paths, 405 with the allowed methods', () => {
    for (const path of [
      '/',
      '/v2/interactions',
      '/v1beta/things',
      '/v1beta/interactions/a/b/c',
      '/v1beta/interactions/%E0%A4%A',
    ]) {
      expect(matchRoute('GET', path)).toEqual({ ok: false, status: 404 });
    }
    expect(matchRoute('PATCH', '/v1beta/interactions/x')).toEqual({
      ok: false,
      status: 405,
      allow: ['GET', 'DELETE'],
    });
  });
});

describe('ids', () => {
  it('interaction ids sort by creation time and keep 96 random bits', () => {
    expect(newInteractionId()).toMatch(/^v1_[A-Za-z0-9_-]{24}$/);
    const times = [0, 1, 63, 64, 4095, 4096, Date.UTC(2026, 10, 21), Date.UTC(2026, 10, 21) + 1, 2 ** 48 - 1];
    const ids = times.map((t) => newInteractionId(t));
    // Plain string order (what SQLite's BINARY collation compares) is creation order.
    expect([...ids].sort()).toEqual(ids);
    const sameMs = Array.from({ length: 500 }, () => newInteractionId(1_800_000_000_000));
    expect(new Set(sameMs.map((id) => id.slice(0, 11))).size).toBe(1);
    expect(new Set(sameMs.map((id) => id.slice(11))).size).toBe(500);
    for (const id of sameMs) expect(Buffer.from(id.slice(11), 'base64url')).toHaveLength(12);
  });

  it('an interaction id begins with its creation time in base 64, most significant digit first', () => {
    const digits = '-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz';
    const timeOf = (id: string) => [...id.slice(3, 11)].reduce((ms, c) => ms * 64 + digits.indexOf(c), 0);
    const times = [
      0,
      1,
      63,
      64,
      2 ** 18 - 1,
      2 ** 18,
      2 ** 36 - 1,
      2 ** 36,
      Date.UTC(2026, 11, 7, 22, 45, 3, 950),
    ];
    for (const t of [...times, 2 ** 48 - 1]) expect(timeOf(newInteractionId(t))).toBe(t);
  });

  it('call ids keep 72 random bits, distinct across refills of the shared random pool', () => {
    // Interaction and call ids drawn in turn: 1,000 × (12 + 9) bytes cross several 4 KiB refills.
    const calls = Array.from({ length: 1_000 }, () => {
      newInteractionId();
      return newCallId();
    });
    expect(new Set(calls).size).toBe(1_000);
    for (const id of calls) {
      expect(id).toMatch(/^call_[A-Za-z0-9_-]{12}$/);
      expect(Buffer.from(id.slice(5), 'base64url')).toHaveLength(9);
    }
    expect(newCallId('gemini_call_')).toMatch(/^gemini_call_[A-Za-z0-9_-]{12}$/);
  });

  it('timestamps, event ids', () => {
    expect(isoSeconds(Date.UTC(2026, 4, 20, 1, 2, 3, 456))).toBe('2026-05-20T01:02:03Z');
    // The reused stamp of the same second, then a new one (also before 1970, where floor matters).
    expect(isoSeconds(Date.UTC(2026, 4, 20, 1, 2, 3, 999))).toBe('2026-05-20T01:02:03Z');
    expect(isoSeconds(Date.UTC(2026, 4, 20, 1, 2, 4, 0))).toBe('2026-05-20T01:02:04Z');
    expect(isoSeconds(-1)).toBe('1969-12-31T23:59:59Z');
    expect(eventIdFor(7)).toBe('evt_7');
    expect(eventIdFor(7, 2)).toBe('evt_7_2');
    // The first ids come from a table made once; past its end they are made as asked.
    for (const seq of [1, 1023, 1024, 1025, 123_456]) expect(eventIdFor(seq)).toBe(`evt_${seq}`);
    expect(parseEventId('evt_7_2')).toEqual({ seq: 7, sub: 2 });
    expect(parseEventId('evt_12')).toEqual({ seq: 12, sub: 0 });
    for (const bad of ['evt_0', 'evt_', 'evt_1_0', 'x', 'evt_01', 'evt_1e3'])
      expect(parseEventId(bad)).toBeUndefined();
  });
});

describe('body guards', () => {
  it('counts the nesting of arrays and objects, not brackets inside strings', () => {
    const nested = (text: string) => jsonNestsDeeper(JSON.parse(text), 3);
    expect(nested('{"a":"[[[[[[[[[["}')).toBe(false);
    expect(nested('[[[1]]]')).toBe(false);
    expect(nested('[[[[1]]]]')).toBe(true);
    expect(nested('{"a":{"b":{"c":1}}}')).toBe(false);
    expect(nested('{"a":{"b":{"c":{}}}}')).toBe(true);
    expect(nested('{"a":[1,"x",{"b":2}]}')).toBe(false);
    expect(nested('{"a":[1,"x",{"b":[]}]}')).toBe(true);
    expect(nested('{"a":1,"b":[{"c":[{}]}]}')).toBe(true);
    expect(nested('{"__proto__":{"a":{"b":{}}}}')).toBe(true);
    expect(jsonNestsDeeper('text', 0)).toBe(false);
  });

  it('parseJsonObject names the problem', () => {
    expect(() => parseJsonObject(Buffer.from(''))).toThrow(/empty/);
    expect(() => parseJsonObject(Buffer.from('{"a":'))).toThrow(/Invalid JSON/);
    expect(() => parseJsonObject(Buffer.from('[1]'))).toThrow(/an array/);
    expect(() => parseJsonObject(Buffer.from('null'))).toThrow(/null/);
    expect(() => parseJsonObject(Buffer.from(`${'['.repeat(300)}${']'.repeat(300)}`))).toThrow(/deeper/);
    // A million levels: parsed without recursion, rejected after 256 levels of the walk.
    const deep = `{"a":${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}}`;
    expect(() => parseJsonObject(Buffer.from(deep))).toThrow(/nests deeper than 256 levels/);
    expect(parseJsonObject(Buffer.from('{"a":1}'))).toEqual({ a: 1 });
  });
});

describe('config and auth helpers', () => {
  it('parseDuration', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('55d')).toBe(55 * 86_400_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('90')).toBe(90_000);
    for (const bad of ['', 'soon', '5x', '0s', '-1s']) expect(() => parseDuration(bad)).toThrow();
  });

  it('keys: loopback, collection, hashing', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]'])
      expect(isLoopbackHost(h)).toBe(true);
    for (const h of ['0.0.0.0', '::', '192.168.1.2', 'example.com']) expect(isLoopbackHost(h)).toBe(false);
    expect(collectKeys(['a', ' b '], 'b,c,, ')).toEqual(['a', 'b', 'c']);
    const ring = new KeyRing(['k']);
    expect(ring.authenticate({ 'x-goog-api-key': 'k' }, undefined)).toBe(ownerOfKey('k'));
    expect(ring.authenticate({}, new URLSearchParams('key=k'))).toBe(ownerOfKey('k'));
    expect(ring.authenticate({ authorization: 'bearer k' }, undefined)).toBe(ownerOfKey('k'));
    expect(() => ring.authenticate({}, undefined)).toThrow(/Missing API key/);
    expect(new KeyRing([]).authenticate({}, undefined)).toBeNull();
  });

  it('boolParam and file URIs', () => {
    const q = new URLSearchParams('a=true&b=0&c=FALSE&d=yes');
    expect([boolParam(q, 'a'), boolParam(q, 'b'), boolParam(q, 'c'), boolParam(q, 'zz', true)]).toEqual([
      true,
      false,
      false,
      true,
    ]);
    expect(() => boolParam(q, 'd')).toThrow(/'d'/);
    expect(fileNameFromUri('http://127.0.0.1:1/v1beta/files/abc-1')).toBe('files/abc-1');
    expect(fileNameFromUri('https://generativelanguage.googleapis.com/v1beta/files/x9?alt=media')).toBe(
      'files/x9',
    );
    expect(fileNameFromUri('files/abc')).toBe('files/abc');
    expect(fileNameFromUri('https://example.com/cat.png')).toBeUndefined();
  });
});
