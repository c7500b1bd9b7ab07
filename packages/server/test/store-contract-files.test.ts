/** The store contract for uploaded files (store/store.ts), on every store. */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FileRecord } from '../src/store/store.ts';
import { storeKinds } from './helpers/store-kinds.ts';

const FAR = Date.now() + 86_400_000;

const file = (name: string, over: Partial<FileRecord> = {}): FileRecord => ({
  name,
  owner: 'key-a',
  mimeType: 'application/pdf',
  sizeBytes: 3,
  state: 'PROCESSING',
  created: '2026-01-01T00:00:00Z',
  updated: '2026-01-01T00:00:00Z',
  expiresAt: FAR,
  ...over,
});

describe.each(storeKinds())('store contract: files ($name)', (kind) => {
  it('create / get / read / update / delete', async () => {
    const store = await kind.open();
    const data = new Uint8Array(randomBytes(200_000));
    const record = file('files/abc', {
      displayName: 'Report ü.pdf',
      sizeBytes: data.byteLength,
      sha256: 'ff00',
    });
    await store.createFile(record, data);

    expect(await store.getFile('files/abc', 'key-a')).toStrictEqual(record);
    expect(Buffer.from((await store.readFileData('files/abc', 'key-a'))!).equals(data)).toBe(true);
    // Optional fields absent stay absent.
    await store.createFile(file('files/bare'), new Uint8Array([1, 2, 3]));
    expect(await store.getFile('files/bare', 'key-a')).toStrictEqual(file('files/bare'));

    await store.updateFile('files/abc', 'key-a', { state: 'ACTIVE', updated: '2026-01-01T00:01:00Z' });
    expect(await store.getFile('files/abc', 'key-a')).toStrictEqual({
      ...record,
      state: 'ACTIVE',
      updated: '2026-01-01T00:01:00Z',
    });
    await store.updateFile('files/abc', 'key-a', { state: 'FAILED' });
    expect((await store.getFile('files/abc', 'key-a'))?.updated).toBe('2026-01-01T00:01:00Z');

    await expect(store.createFile(record, data)).rejects.toMatchObject({ code: 'conflict' });

    expect(await store.deleteFile('files/abc', 'key-a')).toBe(true);
    expect(await store.getFile('files/abc', 'key-a')).toBeUndefined();
    expect(await store.readFileData('files/abc', 'key-a')).toBeUndefined();
    expect(await store.deleteFile('files/abc', 'key-a')).toBe(false);
  });

  it('isolates owners', async () => {
    const store = await kind.open();
    await store.createFile(file('files/a', { owner: 'key-a' }), new Uint8Array([1]));
    await store.createFile(file('files/open', { owner: null }), new Uint8Array([2]));

    expect(await store.getFile('files/a', 'key-b')).toBeUndefined();
    expect(await store.getFile('files/a', null)).toBeUndefined();
    expect(await store.readFileData('files/a', 'key-b')).toBeUndefined();
    expect(await store.getFile('files/open', 'key-a')).toBeUndefined();
    expect(await store.deleteFile('files/a', 'key-b')).toBe(false);
    expect((await store.listFiles('key-a', 10)).files.map((f) => f.name)).toEqual(['files/a']);
    expect((await store.listFiles(null, 10)).files.map((f) => f.name)).toEqual(['files/open']);
    expect((await store.listFiles('key-c', 10)).files).toEqual([]);
  });

  it('names are per owner: the same name for two owners, a conflict only within one', async () => {
    const store = await kind.open();
    await store.createFile(file('files/report', { owner: 'key-a', sizeBytes: 1 }), new Uint8Array([1]));
    await store.createFile(file('files/report', { owner: 'key-b', sizeBytes: 2 }), new Uint8Array([2, 2]));
    await store.createFile(file('files/report', { owner: null, sizeBytes: 3 }), new Uint8Array([3, 3, 3]));
    for (const owner of ['key-a', 'key-b', null]) {
      await expect(
        store.createFile(file('files/report', { owner }), new Uint8Array([9])),
      ).rejects.toMatchObject({
        code: 'conflict',
      });
    }
    expect((await store.getFile('files/report', 'key-b'))?.sizeBytes).toBe(2);
    expect([...((await store.readFileData('files/report', null)) ?? [])]).toEqual([3, 3, 3]);
    await store.updateFile('files/report', 'key-b', { state: 'ACTIVE' });
    expect((await store.getFile('files/report', 'key-b'))?.state).toBe('ACTIVE');
    expect((await store.getFile('files/report', 'key-a'))?.state).toBe('PROCESSING');
    expect(await store.deleteFile('files/report', 'key-a')).toBe(true);
    expect((await store.getFile('files/report', 'key-b'))?.sizeBytes).toBe(2);
  });

  it('paginates by (created, name) without gaps or repeats', async () => {
    const store = await kind.open();
    const names: string[] = [];
    // Three files per second so ties on `created` must be broken by name.
    for (let i = 24; i >= 0; i--) {
      const name = `files/f${String(i).padStart(2, '0')}`;
      const created = `2026-01-01T00:00:${String(Math.floor(i / 3)).padStart(2, '0')}Z`;
      await store.createFile(file(name, { created }), new Uint8Array([i]));
      names.push(name);
    }
    await store.createFile(file('files/zz', { owner: 'key-b' }), new Uint8Array([0]));

    const pages: string[][] = [];
    let token: string | undefined;
    do {
      const page = await store.listFiles('key-a', 10, token);
      pages.push(page.files.map((f) => f.name));
      token = page.nextPageToken;
    } while (token);

    expect(pages.map((p) => p.length)).toEqual([10, 10, 5]);
    expect(pages.flat()).toEqual(names.sort());

    // Exactly one page's worth: no token promising an empty page.
    expect((await store.listFiles('key-a', 25)).nextPageToken).toBeUndefined();
    await expect(store.listFiles('key-a', 10, 'not-a-token')).rejects.toMatchObject({
      code: 'invalid_page_token',
    });
  });
});
