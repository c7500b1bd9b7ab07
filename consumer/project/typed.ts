// A user's TypeScript, checked under a strict configuration (tsconfig.json: strict, exactOptionalPropertyTypes,
// noPropertyAccessFromIndexSignature, NodeNext, skipLibCheck false). It imports every public entry point, so
// an error inside any of our .d.ts files, or a type from a package the user does not have, fails the check.

import { createTestEnvironment, type TestEnvironment } from '@interplay/cli/testing';
import { InteractionsClient } from '@interplay/client';
import { codeExecution, Runner, type RunResult, tool, z } from '@interplay/core';
import { mcpServer } from '@interplay/mcp';
import { type CanonicalInteraction, parseCreateRequest } from '@interplay/protocol';
import { StepsCreateRequestSchema } from '@interplay/protocol/schemas';
import { createInteractionsServer, type Provider, SqliteStore } from '@interplay/server';

const getWeather = tool({
  name: 'get_weather',
  description: 'The current temperature in a city',
  parameters: z.object({ location: z.string(), unit: z.enum(['C', 'F']).optional() }),
  execute: async ({ location, unit }) => {
    const city: string = location;
    // @ts-expect-error `unit` is 'C' | 'F' | undefined, not a number: the arguments are really typed.
    const wrong: number = unit;
    return { city, wrong, celsius: 21 };
  },
});

const Answer = z.object({ city: z.string(), fahrenheit: z.number() });

export async function run(env: TestEnvironment): Promise<number> {
  const runner = new Runner({
    client: env.client,
    model: 'test-model',
    tools: [getWeather, codeExecution()],
    responseFormat: Answer,
  });
  const result: RunResult<{ city: string; fahrenheit: number }> = await runner.run('Weather in Paris?');
  return result.output?.fahrenheit ?? Number.NaN;
}

export async function everyEntryPoint(): Promise<void> {
  const env = await createTestEnvironment({ builtins: { disable: ['code_execution'] } });
  const client = new InteractionsClient({ baseUrl: env.url, apiKey: 'test', revision: 'steps' });
  const { interaction }: { interaction: CanonicalInteraction } = await client.create({
    model: 'm',
    input: 'Hi',
  });
  const checked = parseCreateRequest({ model: 'm', input: 'hi' }, 'steps');
  const parsed = StepsCreateRequestSchema.safeParse({ model: 'm', input: 'hi' });
  const store = SqliteStore.open({ path: ':memory:' });
  const provider: Provider | undefined = undefined;
  const server = createInteractionsServer({ host: '127.0.0.1', port: 0, dbPath: ':memory:' });
  const handle = mcpServer({
    name: 'files',
    transport: { type: 'stdio', command: 'node', args: ['files.mjs'] },
  });
  console.log(
    interaction.status,
    checked.ok,
    parsed.success,
    store,
    provider,
    server,
    handle,
    await run(env),
  );
  await env.close();
}
