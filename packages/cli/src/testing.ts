/**
 * Testing kit: one call gives an in-process Interactions server with a scripted model, and a client for it,
 * so users' agent tests run offline over real HTTP, SSE and SQLite (`:memory:`).
 *
 * @example
 * ```ts
 * import { Runner, tool } from '@interplay/core';
 * import { createTestEnvironment } from '@interplay/cli/testing';
 * import { z } from 'zod';
 *
 * await using env = await createTestEnvironment({
 *   script: { rules: [
 *     { when: { input: 'weather', tools: ['get_weather'] },
 *       respond: [{ type: 'function_call', name: 'get_weather', arguments: { location: 'Paris' } }] },
 *     { when: { last: 'function_result' }, respond: [{ type: 'text', text: 'It is {{last.result}}.' }] },
 *   ] },
 * });
 * const getWeather = tool({ name: 'get_weather', description: 'Weather for a city',
 *   parameters: z.object({ location: z.string() }), execute: async () => 'sunny' });
 * const result = await new Runner({ client: env.client, model: 'test-model', tools: [getWeather] })
 *   .run('What is the weather in Paris?');
 * // result.text === 'It is sunny.'; env.modelCalls.length === 2
 * ```
 */
import { InteractionsClient } from '@interplay/client';
import type { Revision } from '@interplay/protocol';
import {
  type BuiltinToolsOptions,
  builtinTools,
  createEngine,
  createInteractionsServer,
  createScriptedProvider,
  createServerToolRegistry,
  type InteractionsServer,
  loadScript,
  type Provider,
  type ProviderRequest,
  type ScriptInput,
  type ServerTool,
} from '@interplay/server';

export interface TestEnvironmentOptions {
  /** The scripted model's rules (an object or a JSON file path). Default: the server's default script. */
  script?: ScriptInput | string;
  /** Revision the client speaks (the server speaks both). Default `steps`. */
  revision?: Revision;
  /** Run the built-in tools (Python, URL fetch, search). Off by default so tests stay fast. */
  builtins?: BuiltinToolsOptions | boolean;
  /** More server-executed tools, e.g. a test double for `code_execution`. */
  serverTools?: readonly ServerTool[];
  /** Milliseconds between the scripted model's streamed words (to test progress and cancel). Default 0. */
  delayMs?: number;
}

export interface TestEnvironment {
  /** `http://127.0.0.1:PORT` */
  readonly url: string;
  /** A client pointed at the server (API version `v1beta`). */
  readonly client: InteractionsClient<'steps'> | InteractionsClient<'legacy'>;
  /** Every request the scripted model received, oldest first: what your agent actually sent it. */
  readonly modelCalls: readonly ProviderRequest[];
  readonly server: InteractionsServer;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function createTestEnvironment(options: TestEnvironmentOptions = {}): Promise<TestEnvironment> {
  const modelCalls: ProviderRequest[] = [];
  const script = typeof options.script === 'string' ? await loadScript(options.script) : options.script;
  const scripted = createScriptedProvider({
    ...(script === undefined ? {} : { script }),
    ...(options.delayMs === undefined ? {} : { delayMs: options.delayMs }),
  });
  const recording: Provider = {
    ...scripted,
    generate(request, signal) {
      modelCalls.push(structuredClone(request));
      return scripted.generate(request, signal);
    },
  };
  const builtins = options.builtins
    ? builtinTools(options.builtins === true ? {} : options.builtins)
    : undefined;
  const engine = createEngine({
    providers: [recording],
    tools: createServerToolRegistry([...(builtins?.tools ?? []), ...(options.serverTools ?? [])]),
  });
  const server = createInteractionsServer({ host: '127.0.0.1', port: 0, dbPath: ':memory:', engine });
  const { url } = await server.listen();
  const common = { baseUrl: url, apiKey: 'test', apiVersion: 'v1beta', maxRetries: 0 } as const;
  const client =
    options.revision === 'legacy'
      ? new InteractionsClient({ ...common, revision: 'legacy' })
      : new InteractionsClient({ ...common, revision: 'steps' });
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closed ??= (async () => {
      await server.close();
      await builtins?.close();
    })();
    return closed;
  };
  return { url, client, modelCalls, server, close, [Symbol.asyncDispose]: close };
}
