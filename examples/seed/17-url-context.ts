/**
 * Seed: "Built-in tools — URL context": the model reads a web page the prompt names.
 *
 *   node examples/seed/17-url-context.ts
 *
 * Live it summarizes https://www.wikipedia.org/ as in the seed. Offline it reads a local page (an article
 * served on 127.0.0.1): Interplay's server really fetches it — through its SSRF policy, which refuses
 * loopback addresses unless allowed (`allowHosts: ['127.0.0.1']`) — and returns the page's text in the
 * `url_context_result` step. The scripted model cannot summarize; it reports the fetch.
 */
import { lastText, setup } from '../_shared/setup.ts';

const env = await setup({ assets: true, allowLocalUrls: true });
try {
  const url = env.offline && env.assets ? env.assets.url('article.html') : 'https://www.wikipedia.org/';
  const { interaction } = await env.client.create({
    model: env.model,
    input: `Summarize the content of ${url}`,
    tools: [{ type: 'url_context' }],
  });

  for (const step of interaction.output) {
    if (step.type === 'url_context_call') console.log(`Fetching: ${step.arguments.urls?.join(', ')}`);
    if (step.type === 'url_context_result') {
      for (const page of step.result) {
        const { title, text } = page as { title?: string; text?: string };
        console.log(`  ${page.url} → ${page.status}${title ? `, title "${title}"` : ''}`);
        if (text) console.log(`  text: ${text.slice(0, 160).replace(/\s+/g, ' ')}…`);
      }
    }
  }
  // The text output (not the url_context_result step):
  console.log(lastText(interaction.output));
} finally {
  await env.close();
}
