/** The types of `tool()`: `execute`'s arguments from each kind of schema, and its context. */
import { describe, expectTypeOf, it } from 'vitest';
import { z } from 'zod';
import { z as z3 } from 'zod-v3';
import {
  type ApprovalContext,
  jsonSchema,
  type ToolContext,
  type ToolDefinition,
  tool,
} from '../src/index.ts';

describe('tool() types', () => {
  it('types execute arguments from zod v4, zod v3 and jsonSchema<T>()', () => {
    tool({
      name: 'a',
      description: '',
      parameters: z.object({ n: z.number(), s: z.string().optional() }),
      execute: (args, ctx) => {
        expectTypeOf(args).toEqualTypeOf<{ n: number; s?: string | undefined }>();
        expectTypeOf(ctx).toEqualTypeOf<ToolContext<unknown>>();
        expectTypeOf(ctx.signal).toEqualTypeOf<AbortSignal>();
      },
    });
    tool({
      name: 'b',
      description: '',
      parameters: z3.object({ when: z3.date() }),
      execute: (args) => expectTypeOf(args).toEqualTypeOf<{ when: Date }>(),
    });
    tool({
      name: 'c',
      description: '',
      parameters: jsonSchema<{ city: string }>({ type: 'object', properties: { city: { type: 'string' } } }),
      execute: (args) => expectTypeOf(args).toEqualTypeOf<{ city: string }>(),
    });
    tool({
      name: 'd',
      description: '',
      parameters: { type: 'object', properties: {} },
      execute: (args) => expectTypeOf(args).toEqualTypeOf<Record<string, unknown>>(),
    });
  });

  it('types the context and needsApproval from the tool’s context type', () => {
    const t = tool<z.ZodObject<{ path: z.ZodString }>, string, { user: string }>({
      name: 'delete_file',
      description: '',
      parameters: z.object({ path: z.string() }),
      needsApproval: (args, ctx) => {
        expectTypeOf(args).toEqualTypeOf<{ path: string }>();
        expectTypeOf(ctx).toEqualTypeOf<ApprovalContext<{ user: string }>>();
        expectTypeOf(ctx).not.toHaveProperty('signal');
        return ctx.context.user !== 'admin';
      },
      execute: ({ path }, ctx) => {
        expectTypeOf(ctx.context).toEqualTypeOf<{ user: string }>();
        // A plain object: a copy keeps every field, the signal included.
        const copy = { ...ctx };
        expectTypeOf(copy).toEqualTypeOf<ToolContext<{ user: string }>>();
        return path;
      },
    });
    expectTypeOf(t).toEqualTypeOf<ToolDefinition<{ path: string }, string, { user: string }>>();
  });
});
