/** The Files API over raw HTTP and through both official SDK generations; file URIs as interaction input. */
import { GoogleGenAI } from '@google/genai';
import { GoogleGenAI as GoogleGenAI36 } from 'genai-3-6';
import { GoogleGenAI as LegacyGoogleGenAI } from 'genai-legacy';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, closeAll, startServer, type TestServer, textScript, waitFor } from './helpers/server.ts';

let t: TestServer;
const KEY = { 'x-goog-api-key': 'files-key' };

beforeAll(async () => {
  t = await startServer({
    apiKeys: ['files-key', 'other-key'],
    script: textScript('I see it.'),
    fileActivationMs: 30,
  });
});
afterAll(closeAll);

async function startUpload(
  size: number,
  mime = 'text/plain',
  extra: Record<string, string> = {},
  body: unknown = { file: { displayName: 'notes.txt' } },
) {
  return call(`${t.url}/upload/v1beta/files`, {
    body,
    headers: {
      ...KEY,
      'x-goog-upload-protocol': 'resumable',
      'x-goog-upload-command': 'start',
      'x-goog-upload-header-content-length': String(size),
      'x-goog-upload-header-content-type': mime,
      ...extra,
    },
  });
}

async function uploadRaw(
  data: string,
  mime = 'text/plain',
  key = KEY,
): Promise<{ name: string; uri: string }> {
  const start = await call(`${t.url}/upload/v1beta/files`, {
    body: {},
    headers: {
      ...key,
      'x-goog-upload-protocol': 'resumable',
      'x-goog-upload-command': 'start',
      'x-goog-upload-header-content-length': String(Buffer.byteLength(data)),
      'x-goog-upload-header-content-type': mime,
    },
  });
  const done = await call(start.headers.get('x-goog-upload-url') as string, {
    raw: data,
    headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '0' },
  });
  return done.json.file;
}

describe('raw HTTP', () => {
  it('resumable upload in two chunks → PROCESSING, then ACTIVE; get, list, delete', async () => {
    const start = await startUpload(10);
    expect(start.status).toBe(200);
    expect(start.headers.get('x-goog-upload-status')).toBe('active');
    const uploadUrl = start.headers.get('x-goog-upload-url') as string;
    expect(uploadUrl).toMatch(
      new RegExp(`^${t.url}/upload/v1beta/files\\?upload_id=[\\w-]+&upload_protocol=resumable$`),
    );

    // A chunk needs no API key: the session URL is the capability.
    const first = await call(uploadUrl, {
      raw: 'hello',
      headers: { 'x-goog-upload-command': 'upload', 'x-goog-upload-offset': '0' },
    });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-goog-upload-status')).toBe('active');
    expect(first.headers.get('x-goog-upload-size-received')).toBe('5');
    const mismatch = await call(uploadUrl, {
      raw: 'world',
      headers: { 'x-goog-upload-command': 'upload', 'x-goog-upload-offset': '3' },
    });
    expect(mismatch.status).toBe(400);
    const last = await call(uploadUrl, {
      raw: 'world',
      headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '5' },
    });
    expect(last.status).toBe(200);
    expect(last.headers.get('x-goog-upload-status')).toBe('final');
    const file = last.json.file;
    expect(file).toMatchObject({
      name: expect.stringMatching(/^files\/[a-z0-9]+$/),
      displayName: 'notes.txt',
      mimeType: 'text/plain',
      sizeBytes: '10',
      state: 'PROCESSING',
      source: 'UPLOADED',
    });
    expect(file.uri).toBe(`${t.url}/v1beta/${file.name}`);
    expect(file.sha256Hash).toBe(
      Buffer.from('936a185caaa266bb9cbe981e9e05cb78cd732b0b3280eb944412bb6f8f8f07af').toString('base64'),
    );
    // The session is gone once finalized.
    expect((await call(uploadUrl, { raw: 'x', headers: { 'x-goog-upload-command': 'upload' } })).status).toBe(
      404,
    );

    const active = await waitFor(async () => {
      const got = await call(`${t.url}/v1beta/${file.name}`, { headers: KEY });
      return got.json.state === 'ACTIVE' ? got.json : undefined;
    });
    expect(active.name).toBe(file.name);

    const del = await call(`${t.url}/v1beta/${file.name}`, { method: 'DELETE', headers: KEY });
    expect(del.status).toBe(200);
    expect(del.json).toEqual({});
    const gone = await call(`${t.url}/v1beta/${file.name}`, { headers: KEY });
    expect(gone.status).toBe(404);
    expect(gone.json).toEqual({ error: { code: 404, message: expect.any(String), status: 'NOT_FOUND' } });
  });

  it('lists with paging, only the caller’s files', async () => {
    const key = { 'x-goog-api-key': 'other-key' };
    const names = [];
    for (const data of ['a', 'b', 'c']) names.push((await uploadRaw(data, 'text/plain', key)).name);
    const seen: string[] = [];
    let token: string | undefined;
    do {
      const page = await call(`${t.url}/v1beta/files?pageSize=2${token ? `&pageToken=${token}` : ''}`, {
        headers: key,
      });
      expect(page.status).toBe(200);
      expect(page.json.files.length).toBeLessThanOrEqual(2);
      seen.push(...page.json.files.map((f: { name: string }) => f.name));
      token = page.json.nextPageToken;
    } while (token);
    expect(seen).toEqual(names);
    const mine = await call(`${t.url}/v1beta/files`, { headers: KEY });
    expect((mine.json.files ?? []).map((f: { name: string }) => f.name)).not.toContain(names[0]);
    expect((await call(`${t.url}/v1beta/${names[0]}`, { headers: KEY })).status).toBe(404);
    expect((await call(`${t.url}/v1beta/files?pageToken=garbage`, { headers: key })).status).toBe(400);
  });

  it('names are per key: another key’s file name is no oracle, only the caller’s own name conflicts', async () => {
    const other = { 'x-goog-api-key': 'other-key' };
    /** An upload named `name` by `key`: the start reply, then (if it started) the finalize reply. */
    const named = async (key: Record<string, string>, name: string, data: string) => {
      const start = await call(`${t.url}/upload/v1beta/files`, {
        body: { file: { name } },
        headers: {
          ...key,
          'x-goog-upload-protocol': 'resumable',
          'x-goog-upload-command': 'start',
          'x-goog-upload-header-content-type': 'text/plain',
        },
      });
      if (start.status !== 200) return { start };
      const done = await call(start.headers.get('x-goog-upload-url') as string, {
        raw: data,
        headers: { 'x-goog-upload-command': 'upload, finalize', 'x-goog-upload-offset': '0' },
      });
      return { start, done };
    };
    const mine = await named(KEY, 'quarterly-report', 'mine');
    expect(mine.done?.json.file.name).toBe('files/quarterly-report');
    // Another key uses the same name freely: nothing tells it the name is taken elsewhere.
    const theirs = await named(other, 'quarterly-report', 'theirs!');
    expect(theirs.start.status).toBe(200);
    expect(theirs.done?.status).toBe(200);
    expect(theirs.done?.json.file.name).toBe('files/quarterly-report');
    // Each key sees its own file under the name.
    const a = await call(`${t.url}/v1beta/files/quarterly-report`, { headers: KEY });
    const b = await call(`${t.url}/v1beta/files/quarterly-report`, { headers: other });
    expect([a.json.sizeBytes, b.json.sizeBytes]).toEqual(['4', '7']);
    // The caller's own name still conflicts, at start; so does a name its own unfinished upload holds.
    const again = await named(KEY, 'quarterly-report', 'x');
    expect(again.start.status).toBe(409);
    expect(again.start.json.error.message).toBe('A file named files/quarterly-report already exists.');
    const draft = await call(`${t.url}/upload/v1beta/files`, {
      body: { file: { name: 'draft-1' } },
      headers: { ...KEY, 'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start' },
    });
    expect(draft.status).toBe(200);
    expect((await named(KEY, 'draft-1', 'x')).start.status).toBe(409);
    expect((await named(other, 'draft-1', 'x')).done?.status).toBe(200);
    // Deleting one key's file leaves the other's.
    expect(
      (await call(`${t.url}/v1beta/files/quarterly-report`, { method: 'DELETE', headers: other })).status,
    ).toBe(200);
    expect((await call(`${t.url}/v1beta/files/quarterly-report`, { headers: KEY })).status).toBe(200);
  });

  it('rejects non-resumable uploads and oversized declarations', async () => {
    const plain = await call(`${t.url}/upload/v1beta/files`, { raw: 'data', headers: KEY });
    expect(plain.status).toBe(400);
    expect(plain.json.error.status).toBe('INVALID_ARGUMENT');
    const huge = await startUpload(10 * 1024 * 1024 * 1024);
    expect(huge.status).toBe(413);
  });
});

describe('file URIs as input', () => {
  it('an ACTIVE file of the caller is accepted as image/document uri', async () => {
    const file = await uploadRaw('\x89PNG fake', 'image/png');
    await new Promise((r) => setTimeout(r, 40));
    for (const type of ['image', 'document']) {
      const reply = await call(`${t.url}/v1beta/interactions`, {
        body: {
          model: 'm',
          input: [
            { type: 'text', text: 'What is this?' },
            { type, uri: file.uri, mime_type: type === 'image' ? 'image/png' : 'application/pdf' },
          ],
        },
        headers: KEY,
      });
      expect(reply.status).toBe(200);
    }
    // Steps-era Step[] input, nested under user_input.content.
    const steps = await call(`${t.url}/v1beta/interactions`, {
      body: {
        model: 'm',
        input: [{ type: 'user_input', content: [{ type: 'image', uri: file.uri, mime_type: 'image/png' }] }],
      },
      headers: KEY,
    });
    expect(steps.status).toBe(200);
  });

  it('an unknown file, or another key’s, is 404 naming the field; a PROCESSING one is 400', async () => {
    const create = (input: unknown[]) =>
      call(`${t.url}/v1beta/interactions`, { body: { model: 'm', input }, headers: KEY });
    const unknown = await create([
      { type: 'text', text: 'x' },
      { type: 'image', uri: `${t.url}/v1beta/files/nope`, mime_type: 'image/png' },
    ]);
    expect(unknown.status).toBe(404);
    expect(unknown.json.error.code).toBe('not_found');
    expect(unknown.json.error.message).toContain('input[1].uri');
    const nested = await create([
      {
        type: 'user_input',
        content: [
          { type: 'text', text: 'x' },
          { type: 'document', uri: `${t.url}/v1beta/files/nope`, mime_type: 'application/pdf' },
        ],
      },
    ]);
    expect(nested.status).toBe(404);
    expect(nested.json.error.message).toContain("'input[0].content[1].uri'");

    const theirs = await uploadRaw('x', 'image/png', { 'x-goog-api-key': 'other-key' });
    await new Promise((r) => setTimeout(r, 40));
    const foreign = await create([{ type: 'image', uri: theirs.uri, mime_type: 'image/png' }]);
    expect(foreign.status).toBe(404);
    expect(foreign.json.error.message).toContain('input[0].uri');

    const slow = await startServer({ fileActivationMs: 60_000 });
    const start = await call(`${slow.url}/upload/v1beta/files`, {
      body: {},
      headers: { 'x-goog-upload-protocol': 'resumable', 'x-goog-upload-command': 'start' },
    });
    const done = await call(start.headers.get('x-goog-upload-url') as string, {
      raw: 'img',
      headers: { 'x-goog-upload-command': 'upload, finalize' },
    });
    const processing = await call(`${slow.url}/v1beta/interactions`, {
      body: { model: 'm', input: [{ type: 'image', uri: done.json.file.uri, mime_type: 'image/png' }] },
    });
    expect(processing.status).toBe(400);
    expect(processing.json.error.code).toBe('failed_precondition');
    expect(processing.json.error.message).toContain('input[0].uri');
  });
});

describe('official SDKs', () => {
  const clients = {
    '@google/genai 3.1': () => new GoogleGenAI({ apiKey: 'files-key', httpOptions: { baseUrl: t.url } }),
    '@google/genai 3.6': () => new GoogleGenAI36({ apiKey: 'files-key', httpOptions: { baseUrl: t.url } }),
    '@google/genai 1.52': () =>
      new LegacyGoogleGenAI({ apiKey: 'files-key', httpOptions: { baseUrl: t.url, apiVersion: 'v1beta' } }),
  };
  for (const [label, make] of Object.entries(clients)) {
    it(`${label}: files.upload / get / list / delete`, async () => {
      const ai = make();
      const blob = new Blob(['sdk file contents'], { type: 'text/plain' });
      const uploaded = await ai.files.upload({ file: blob, config: { displayName: `from ${label}` } });
      expect(uploaded.name).toMatch(/^files\/[a-z0-9]+$/);
      expect(uploaded.sizeBytes).toBe('17');
      expect(uploaded.displayName).toBe(`from ${label}`);
      const got = await ai.files.get({ name: uploaded.name as string });
      expect(got.mimeType).toBe('text/plain');
      const names: string[] = [];
      const pager = await ai.files.list({ config: { pageSize: 1 } });
      for await (const f of pager) names.push(f.name as string);
      expect(names).toContain(uploaded.name);
      await ai.files.delete({ name: uploaded.name as string });
      await expect(ai.files.get({ name: uploaded.name as string })).rejects.toThrow();
    });
  }
});
