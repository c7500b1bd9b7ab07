/**
 * The inspector in a real browser: Debian's headless Chromium driven by playwright-core, against our server
 * over loopback. List, filter, search, open a timeline, follow a chain, watch a background run finish live
 * (through a dropped connection), cancel and delete, keys mode, and hostile model output.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createInteractionsServer, type InteractionsServer } from '../src/server.ts';
import { LIST_SCAN_LIMIT } from '../src/store/store.ts';
import { call, closeAll, startServer } from './helpers/server.ts';
import { type Browser, browserSkipReason, launchBrowser } from './inspector/browser.ts';
import {
  create,
  HOSTILE_TEXT,
  heldTool,
  inspectorScript,
  LOOKUP_ANSWER,
  post,
  WEATHER_TOOL,
} from './inspector/fixtures.ts';

const BROWSER_TEST_MS = 90_000;
/** Launched by the first test that needs it: without Chromium each test fails with how to install it. */
let browser: Promise<Browser> | undefined;
/** Errors the page reported (exceptions, console errors — content-policy violations among them). */
let pageErrors: string[] = [];
/** Console errors a scenario causes on purpose (a refused key, a connection it cuts). */
let expectedErrors: RegExp[] = [];
const pages: Page[] = [];

async function newPage(): Promise<Page> {
  browser ??= launchBrowser();
  const page = await (await browser).context.newPage();
  page.on('pageerror', (error) => pageErrors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') pageErrors.push(`console: ${message.text()}`);
  });
  pages.push(page);
  return page;
}

/** The ids of the list's rows, top to bottom. */
const rowIds = (page: Page) =>
  page.locator('table.list tbody tr').evaluateAll((rows) => rows.map((r) => (r as HTMLElement).dataset.id));

/** Waits until the list shows exactly `ids`, in that order. */
async function expectRows(page: Page, ids: string[]): Promise<void> {
  await page.waitForFunction(
    (want) =>
      document.querySelector('.list-status')?.textContent !== 'Loading…' &&
      JSON.stringify(
        Array.from(document.querySelectorAll('table.list tbody tr')).map(
          (r) => (r as HTMLElement).dataset.id,
        ),
      ) === JSON.stringify(want),
    ids,
  );
}

/** Waits until the interaction header shows `status`. */
const headerStatus = (page: Page, status: string) =>
  page.locator(`.detail-head h1 .status[data-status="${status}"]`).waitFor();

const skip = browserSkipReason();

describe.skipIf(skip !== undefined)('the inspector in Chromium', () => {
  afterEach(async () => {
    for (const page of pages.splice(0)) await page.close();
    const errors = pageErrors.filter((e) => !expectedErrors.some((pattern) => pattern.test(e)));
    pageErrors = [];
    expectedErrors = [];
    await closeAll();
    expect(errors).toEqual([]);
  });
  afterAll(async () => {
    await (await browser?.catch(() => undefined))?.close();
  });

  it(
    'lists, filters, searches, opens a timeline and follows the chain',
    async () => {
      const t = await startServer({ script: inspectorScript() });
      const hello = await create(t.url, { input: 'Hello there' });
      const broken = await post(t.url, { input: 'please break', model: 'gemini-3-pro-preview' });
      expect(broken.status).toBe(500);
      const tides = await create(t.url, { input: 'What causes tides?', previous_interaction_id: hello });
      const weather = await create(t.url, {
        input: 'weather in Paris',
        tools: [WEATHER_TOOL],
        previous_interaction_id: tides,
      });
      // A client replaying a code execution statelessly: the timeline shows the code and its output.
      const python = await create(t.url, {
        input: [
          { type: 'user_input', content: [{ type: 'text', text: 'Run some Python' }] },
          { type: 'code_execution_call', id: 'ce1', arguments: { language: 'python', code: 'print(6 * 7)' } },
          { type: 'code_execution_result', call_id: 'ce1', result: '42\n' },
        ],
      });
      const listed = (await call(`${t.url}/inspector/api/interactions`)).json.interactions.map(
        (i: { id: string }) => i.id,
      );
      expect(listed).toHaveLength(5);
      const failed = listed[3] as string;

      const page = await newPage();
      await page.goto(`${t.url}/inspector`);
      await expectRows(page, [python, weather, tides, failed, hello]);
      expect(await page.locator(`tr[data-id="${failed}"] .status`).textContent()).toBe('failed');

      // Filter by status: the select applies at once, and the address keeps the filter.
      await page.selectOption('select[name="status"]', 'failed');
      await expectRows(page, [failed]);
      expect(new URL(page.url()).hash).toBe('#/?status=failed');
      await page.reload();
      await expectRows(page, [failed]);
      await page.click('button:has-text("Clear")');
      await expectRows(page, [python, weather, tides, failed, hello]);

      // Model, then text search (case-insensitive).
      await page.fill('input[name="model"]', 'gemini-3-pro-preview');
      await page.press('input[name="model"]', 'Enter');
      await expectRows(page, [failed]);
      await page.click('button:has-text("Clear")');
      await page.fill('input[name="q"]', 'TIDES');
      await page.press('input[name="q"]', 'Enter');
      await expectRows(page, [tides]);

      // Open it: the whole timeline.
      await page.click(`tr[data-id="${tides}"]`);
      await page.locator('.step[data-step="model_output"] .markdown h2').waitFor();
      expect(await page.locator('.interaction-id').textContent()).toBe(tides);
      await headerStatus(page, 'completed');
      const steps = await page
        .locator('ol.timeline > li.step')
        .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.step));
      expect(steps).toEqual(['user_input', 'thought', 'model_output']);
      expect(await page.locator('.step[data-step="user_input"]').textContent()).toContain(
        'What causes tides?',
      );
      expect(await page.locator('.step[data-step="thought"] strong').textContent()).toBe('sources');
      const model = page.locator('.step[data-step="model_output"]');
      expect(await model.locator('h2').textContent()).toBe('Tides in brief');
      expect(await model.locator('.markdown ul li').count()).toBe(2);
      expect(await model.locator('.markdown ul code').textContent()).toBe('~12 h 25 min');
      // Citations: numbered links after the text they support, and the sources below.
      const marks = await model
        .locator('sup.cite a')
        .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href')]));
      expect(marks).toEqual([
        ['[1]', 'https://example.org/tides'],
        ['[2]', 'https://example.org/spring'],
      ]);
      const prose = (await model.locator('.markdown p').first().textContent()) ?? '';
      expect(prose).toContain('Moon’s gravity[1];');
      expect(prose).toContain('Spring tides happen when both line up.[2]');
      expect(await model.locator('ol.sources a').allTextContents()).toEqual([
        'How tides work',
        'Spring tides',
      ]);
      // The image is decoded, the speech playable (0.25 s of 24 kHz PCM, wrapped as WAV).
      await page.waitForFunction(() => {
        const img = document.querySelector<HTMLImageElement>('img.media-image');
        return img?.complete && img.naturalWidth > 0;
      });
      expect(
        await model.locator('img.media-image').evaluate((img) => (img as HTMLImageElement).naturalWidth),
      ).toBe(96);
      await page.waitForFunction(() => (document.querySelector('audio')?.readyState ?? 0) >= 1);
      expect(await model.locator('audio').evaluate((a) => (a as HTMLAudioElement).duration)).toBeCloseTo(
        0.25,
        2,
      );
      // Usage and times.
      const resource = (await call(`${t.url}/v1beta/interactions/${tides}`)).json;
      expect(await page.locator('[data-usage="total_tokens"]').textContent()).toBe(
        resource.usage.total_tokens.toLocaleString('en-US'),
      );
      expect(await page.locator('dl.meta').textContent()).toContain('gemini-3-flash-preview');

      // Along the chain: back to the first turn, then forward again.
      await page.click('.chain a.previous');
      await page.waitForFunction(
        (id) => document.querySelector('.interaction-id')?.textContent === id,
        hello,
      );
      await page.locator('.chain .next a').first().click();
      await page.waitForFunction(
        (id) => document.querySelector('.interaction-id')?.textContent === id,
        tides,
      );
      await page.click(`.chain .next a:has-text("${weather}")`);
      await page.waitForFunction(
        (id) => document.querySelector('.interaction-id')?.textContent === id,
        weather,
      );
      await headerStatus(page, 'requires_action');
      const callStep = page.locator('.step[data-step="function_call"]');
      expect(await callStep.locator('.step-name').textContent()).toBe('get_weather');
      expect(JSON.parse((await callStep.locator('pre.json').textContent()) ?? '')).toEqual({
        location: 'Paris',
      });

      // Code and its output.
      await page.goto(`${t.url}/inspector/#/i/${python}`);
      await page.locator('.step[data-step="model_output"]').waitFor();
      expect(await page.locator('.step[data-step="code_execution_call"] pre.code').textContent()).toBe(
        'print(6 * 7)',
      );
      expect(await page.locator('.step[data-step="code_execution_result"] pre').textContent()).toBe('42\n');
      expect(await page.locator('.step[data-step="model_output"]').textContent()).toContain(
        'Python printed 42',
      );
    },
    BROWSER_TEST_MS,
  );

  it(
    'follows a background run live to its end, through a dropped connection',
    async () => {
      const first = heldTool('retrieval');
      const second = heldTool('google_maps');
      const t = await tappedServer({ script: inspectorScript(10), serverTools: [first.tool, second.tool] });
      const id = await create(t.url, {
        input: 'lookup the harbour',
        background: true,
        tools: [{ type: 'retrieval' }, { type: 'google_maps' }],
      });
      await first.started;

      expectedErrors = [/ERR_INCOMPLETE_CHUNKED_ENCODING/];
      const page = await newPage();
      const stream = t.nextStream();
      await page.goto(`${t.url}/inspector/#/i/${id}`);
      await headerStatus(page, 'in_progress');
      await page.locator('.live[data-live="following"]').waitFor();
      await page.locator('.step[data-step="retrieval_call"]').waitFor();
      expect(await page.locator('.step[data-step="thought"]').textContent()).toContain(
        'Checking the archive first',
      );

      // The connection drops: the page reconnects after the last event it had.
      const dropped = await stream;
      expect(dropped.url).not.toContain('last_event_id');
      const resumed = t.nextStream();
      dropped.res.socket?.destroy();
      expect((await resumed).url).toMatch(/[?&]last_event_id=evt_\d+/);

      // The run goes on while the page watches: the first tool answers, the model writes, the second tool holds.
      first.release();
      await page.waitForFunction(() =>
        document
          .querySelector('.step[data-step="model_output"]')
          ?.textContent?.includes('Found it in the archive.'),
      );
      await headerStatus(page, 'in_progress');
      await page.locator('.step[data-step="google_maps_call"]').waitFor();
      // Each step once, although the stream was opened twice.
      expect(
        await page
          .locator('ol.timeline > li.step')
          .evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.step)),
      ).toEqual([
        'user_input',
        'thought',
        'retrieval_call',
        'retrieval_result',
        'model_output',
        'google_maps_call',
      ]);

      second.release();
      await headerStatus(page, 'completed');
      await page.waitForFunction(
        (text) =>
          Array.from(document.querySelectorAll('.step[data-step="model_output"]'))
            .at(-1)
            ?.textContent?.includes(text),
        LOOKUP_ANSWER,
      );
      await page.locator('.live').waitFor({ state: 'detached' });
      expect((await call(`${t.url}/v1beta/interactions/${id}`)).json.status).toBe('completed');
    },
    BROWSER_TEST_MS,
  );

  it(
    'pages through older interactions, and continues a search past its bound',
    async () => {
      const t = await startServer({ script: inspectorScript() });
      const store = t.server.store!;
      // More than one search window (1,000): only the oldest mentions the needle.
      const count = LIST_SCAN_LIMIT + 30;
      const ids: string[] = [];
      await Promise.all(
        Array.from({ length: count }, (_, n) => {
          const created = new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString().replace('.000', '');
          const id = `v1_page${String(n).padStart(5, '0')}`;
          ids.push(id);
          const text = n === 0 ? 'the needle is here' : `hay ${n}`;
          return store.createInteraction({
            id,
            owner: null,
            status: 'completed',
            model: 'gemini-3-flash-preview',
            created,
            updated: created,
            request: {
              model: 'gemini-3-flash-preview',
              input: [{ type: 'user_input', content: [{ type: 'text', text }] }],
            },
            output: [],
            background: false,
            expiresAt: Date.now() + 86_400_000,
          });
        }),
      );
      const newest = ids.slice().reverse();
      const page = await newPage();
      await page.goto(`${t.url}/inspector/`);
      await expectRows(page, newest.slice(0, 20));
      await page.click('button.older');
      await expectRows(page, newest.slice(20, 40));
      await page.click('button.older');
      await expectRows(page, newest.slice(40, 60));
      await page.click('button.newer');
      await expectRows(page, newest.slice(20, 40));

      await page.fill('input[name="q"]', 'needle');
      await page.press('input[name="q"]', 'Enter');
      await page.locator('.list-status:has-text("not searched yet")').waitFor();
      expect(await rowIds(page)).toEqual([]);
      expect(await page.locator('button.older').textContent()).toBe('Search older →');
      await page.click('button.older');
      await expectRows(page, [ids[0] as string]);
      expect(await page.locator('button.older').count()).toBe(0);
    },
    BROWSER_TEST_MS,
  );

  it(
    'cancels a running background interaction, then deletes it',
    async () => {
      const held = heldTool('retrieval');
      const t = await startServer({ script: inspectorScript(), serverTools: [held.tool] });
      const id = await create(t.url, {
        input: 'lookup forever',
        background: true,
        tools: [{ type: 'retrieval' }],
      });
      await held.started;

      const page = await newPage();
      await page.goto(`${t.url}/inspector/#/i/${id}`);
      await headerStatus(page, 'in_progress');
      await page.click('button.cancel');
      await headerStatus(page, 'cancelled');
      expect(await page.locator('button.cancel').count()).toBe(0);
      expect((await call(`${t.url}/v1beta/interactions/${id}`)).json.status).toBe('cancelled');

      page.once('dialog', (dialog) => void dialog.accept());
      await page.click('button.delete');
      await page.waitForFunction(() => location.hash === '#/');
      await page.locator('.list-status:has-text("No interactions yet.")').waitFor();
      expect((await call(`${t.url}/v1beta/interactions/${id}`)).status).toBe(404);
    },
    BROWSER_TEST_MS,
  );

  it(
    'with keys, asks for one, sends it only in a header, and shows only that key’s interactions',
    async () => {
      const t = await startServer({ apiKeys: ['key-a', 'key-b'], script: inspectorScript() });
      expectedErrors = [/status of 401 \(Unauthorized\)/];
      const first = await create(t.url, { input: 'first of A' }, 'key-a');
      const second = await create(t.url, { input: 'second of A' }, 'key-a');
      const page = await newPage();
      const requests: { url: string; key: string | undefined }[] = [];
      page.on('request', (r) => requests.push({ url: r.url(), key: r.headers()['x-goog-api-key'] }));

      await page.goto(`${t.url}/inspector/`);
      await page.locator('dialog#key-dialog[open]').waitFor();
      await page.fill('#key-input', 'key-b');
      await page.click('#key-form button[type="submit"]');
      await page.locator('.list-status:has-text("No interactions yet.")').waitFor();
      expect(await rowIds(page)).toEqual([]);

      // A wrong key is refused and asked for again.
      await page.click('#change-key');
      await page.fill('#key-input', 'not-a-key');
      await page.click('#key-form button[type="submit"]');
      await page.locator('#key-message:has-text("refused")').waitFor();
      await page.fill('#key-input', 'key-a');
      await page.check('#key-remember');
      await page.click('#key-form button[type="submit"]');
      await expectRows(page, [second, first]);
      await page.click(`tr[data-id="${first}"]`);
      await page.locator('.step[data-step="model_output"]').waitFor();
      expect(await page.locator('.step[data-step="user_input"]').textContent()).toContain('first of A');

      // Kept for this tab: a reload needs no prompt. A new tab asks again.
      await page.reload();
      await page.locator('.step[data-step="model_output"]').waitFor();
      expect(await page.locator('dialog#key-dialog[open]').count()).toBe(0);
      const other = await newPage();
      await other.goto(`${t.url}/inspector/`);
      await other.locator('dialog#key-dialog[open]').waitFor();

      for (const r of requests) {
        expect(r.url).not.toMatch(/key-a|key-b|not-a-key/);
      }
      const apiCalls = requests.filter((r) => /\/(v1beta|inspector\/api)\//.test(r.url));
      expect(apiCalls.length).toBeGreaterThan(3);
      expect(new Set(apiCalls.map((r) => r.key))).toEqual(
        new Set([undefined, 'key-b', 'not-a-key', 'key-a']),
      );
    },
    BROWSER_TEST_MS,
  );

  it(
    'renders hostile model output inert: no script runs, nothing loads from elsewhere',
    async () => {
      // DOMPurify parses in a DOMParser document, which Chromium holds to the page's policy: it reports the
      // handlers and the style it met there as blocked. Nothing of it reaches the page (checked below).
      expectedErrors = [/violates the following Content Security Policy directive/];
      const t = await startServer({ script: inspectorScript() });
      const id = await create(t.url, { input: 'something hostile' });
      const page = await newPage();
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));
      await page.goto(`${t.url}/inspector/#/i/${id}`);
      const text = page.locator('.step[data-step="model_output"] .markdown');
      await text.waitFor();
      expect(await text.textContent()).toContain('Click');
      expect(await page.evaluate(() => (window as { __pwned?: unknown }).__pwned)).toBeUndefined();
      expect(await text.locator('script, iframe, style, img, [onclick], [onerror]').count()).toBe(0);
      const links = await text
        .locator('a')
        .evaluateAll((as) => as.map((a) => [a.textContent, a.getAttribute('href'), a.getAttribute('rel')]));
      expect(links).toContainEqual(['that', 'https://example.org/ok', 'noopener noreferrer']);
      expect(links).toContainEqual([
        '[image: tracker]',
        'https://example.org/pixel.png?leak=secret',
        'noopener noreferrer',
      ]);
      expect(links.some(([, href]) => href?.startsWith('javascript:'))).toBe(false);
      expect(requests.every((url) => url.startsWith(t.url))).toBe(true);
      expect(HOSTILE_TEXT).toContain('<script>');
    },
    BROWSER_TEST_MS,
  );
});

interface TappedServer {
  url: string;
  /** The next `?stream=true` request the server receives: its URL and its response (to cut it). */
  nextStream(): Promise<{ url: string; res: ServerResponse }>;
}

/** Our server behind a plain `http.Server` that shows the test each stream request, so it can drop one. */
async function tappedServer(options: Parameters<typeof createInteractionsServer>[0]): Promise<TappedServer> {
  const server: InteractionsServer = createInteractionsServer({
    host: '127.0.0.1',
    port: 0,
    shutdownGraceMs: 50,
    ...options,
  });
  await server.ready();
  const waiting: ((stream: { url: string; res: ServerResponse }) => void)[] = [];
  const front: Server = createServer((req, res) => {
    if (req.url?.includes('stream=true')) waiting.shift()?.({ url: req.url, res });
    server.handler(req, res);
  });
  await new Promise<void>((resolve) => front.listen(0, '127.0.0.1', resolve));
  tapped.push({ front, server });
  return {
    url: `http://127.0.0.1:${(front.address() as AddressInfo).port}`,
    nextStream: () => new Promise((resolve) => waiting.push(resolve)),
  };
}

const tapped: { front: Server; server: InteractionsServer }[] = [];
afterEach(async () => {
  for (const { front, server } of tapped.splice(0)) {
    front.closeAllConnections();
    await new Promise((resolve) => front.close(resolve));
    await server.close();
  }
});
