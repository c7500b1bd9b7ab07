/**
 * Takes the inspector screenshots in docs/images/ with the browser the tests use:
 *
 *   node --experimental-strip-types packages/server/test/inspector/screenshot.ts
 *
 * A server with the inspector's scripted model, a few interactions (a chain, a function call, a failure), then
 * the list and one interaction's timeline.
 */
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInteractionsServer } from '../../src/server.ts';
import { launchBrowser } from './browser.ts';
import { create, inspectorScript, post, WEATHER_TOOL } from './fixtures.ts';

const docs = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../docs/images');
mkdirSync(docs, { recursive: true });

const server = createInteractionsServer({ host: '127.0.0.1', port: 0, script: inspectorScript() });
const { url } = await server.listen();
const browser = await launchBrowser();
try {
  const first = await create(url, { input: 'Hello there' });
  await post(url, { input: 'Please break', model: 'gemini-3-pro-preview' });
  const tides = await create(url, { input: 'What causes tides?', previous_interaction_id: first });
  const weather = await create(url, {
    input: 'And the weather in Paris?',
    tools: [WEATHER_TOOL],
    previous_interaction_id: tides,
  });
  await create(url, {
    input: [{ type: 'function_result', call_id: 'call_1', name: 'get_weather', result: 'sunny, 21 °C' }],
    previous_interaction_id: weather,
    tools: [WEATHER_TOOL],
  });

  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1200, height: 560 });
  await page.goto(`${url}/inspector/`);
  await page.locator('table.list tbody tr').nth(4).waitFor();
  await page.screenshot({ path: resolve(docs, 'inspector-list.png') });

  await page.setViewportSize({ width: 1200, height: 600 });
  await page.goto(`${url}/inspector/#/i/${tides}`);
  await page.locator('.step[data-step="model_output"] img.media-image').waitFor();
  await page.waitForFunction(() => {
    const audio = document.querySelector('audio');
    return audio !== null && audio.readyState >= 1;
  });
  await page.screenshot({ path: resolve(docs, 'inspector.png'), fullPage: true });
  process.stdout.write(`wrote ${resolve(docs, 'inspector.png')} and inspector-list.png\n`);
} finally {
  await browser.close();
  await server.close();
}
