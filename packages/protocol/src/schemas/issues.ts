/** Turns zod issues into the API's human-readable `invalid_request` errors, naming the field path. */
import type { z } from 'zod';
import { InteractionsError } from '../errors.ts';
import type { IssueParams } from './context.ts';

/** `["tools", 0, "parameters"]` → `tools[0].parameters`; other keys are quoted: `headers["x-key"]`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'symbol') out += `[${key.toString()}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(key)}]`;
  }
  return out;
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'an object',
  record: 'an object',
  array: 'an array',
  null: 'null',
};

/** What a value is, for messages: "a number", "null", "an array". */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number' && !Number.isInteger(value)) return 'a number';
  if (typeof value === 'number') return 'an integer';
  return EXPECTED[typeof value] ?? `a ${typeof value}`;
}

/** `'text'` for strings (clipped), plain for numbers/booleans. */
const quote = (v: unknown) =>
  typeof v === 'string' ? `'${v.length > 80 ? `${v.slice(0, 80)}…` : v}'` : String(v);

/** A value outside an enum: the API's sentence for a string, "expected one of …, got <kind>" otherwise. */
function notInEnum(path: readonly PropertyKey[], input: unknown, values: readonly unknown[]): string {
  const list = values.map(quote).join(', ');
  if (typeof input === 'string')
    return `The value ${quote(input)} is not supported ${forKeyAt(path)}. Expected one of: ${list}.`;
  return `Expected one of ${list} at '${formatIssuePath(path)}', got ${describeValue(input)}.`;
}

/** "for 'type' at 'tools[0]'" — the API's own phrasing for a bad value. */
function forKeyAt(path: readonly PropertyKey[]): string {
  const last = path.at(-1);
  const parent = formatIssuePath(path.slice(0, -1));
  const key = typeof last === 'number' ? `[${last}]` : String(last);
  return parent ? `for '${key}' at '${parent}'` : `for '${key}'`;
}

/**
 * The union branch the caller meant: the one whose first error is deepest, or at the root the one
 * that got the right kind of value (a bad enum value rather than a wrong type). None if every branch
 * rejected the value's type.
 */
function bestUnionIssue(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue | undefined {
  const score = (i: z.core.$ZodIssue) => i.path.length * 2 + (i.code === 'invalid_type' ? 0 : 1);
  let best: z.core.$ZodIssue | undefined;
  for (const branch of issue.errors) {
    const first = branch[0];
    if (first && score(first) > 0 && (!best || score(first) > score(best))) best = first;
  }
  return best && { ...best, path: [...issue.path, ...best.path] };
}

/** One issue as a sentence. `subject` names the root value ("request body", "event"). */
export function issueMessage(issue: z.core.$ZodIssue, subject: string): string {
  const where = formatIssuePath(issue.path);
  const input = (issue as { input?: unknown }).input;
  switch (issue.code) {
    case 'invalid_type': {
      if (input === undefined && where) return `'${where}' is required.`;
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (!where) return `The ${subject} must be ${expected}, got ${describeValue(input)}.`;
      return `Expected ${expected} at '${where}', got ${describeValue(input)}.`;
    }
    case 'invalid_value':
      return notInEnum(issue.path, input, issue.values);
    case 'invalid_union': {
      const best = bestUnionIssue(issue);
      if (best) return issueMessage(best, subject);
      const expected = issue.errors
        .map((b) => b[0])
        .filter((i) => i?.code === 'invalid_type')
        .map((i) => EXPECTED[(i as z.core.$ZodIssueInvalidType).expected] ?? 'a valid value');
      const list = [...new Set(expected)].join(' or ') || 'a valid value';
      return `Expected ${list} at '${where || subject}', got ${describeValue(input)}.`;
    }
    case 'custom': {
      const params = issue.params as IssueParams | undefined;
      switch (params?.kind) {
        case 'unsupported':
          return `The value ${quote(params.value)} is not supported ${forKeyAt(issue.path)}.`;
        case 'enum':
          return notInEnum(issue.path, input, params.values);
        case 'expected':
          return where
            ? `Expected ${params.expected} at '${where}', got ${describeValue(input)}.`
            : `The ${subject} must be ${params.expected}, got ${describeValue(input)}.`;
        case 'rule':
          return params.message;
      }
      return where
        ? `Invalid value at '${where}': ${issue.message}.`
        : `Invalid ${subject}: ${issue.message}.`;
    }
    default:
      return where
        ? `Invalid value at '${where}': ${issue.message}.`
        : `Invalid ${subject}: ${issue.message}.`;
  }
}

/** The field an issue is about; a union mismatch is attributed to its best branch. */
function issueField(issue: z.core.$ZodIssue): string | undefined {
  const best = issue.code === 'invalid_union' ? bestUnionIssue(issue) : undefined;
  return best ? issueField(best) : formatIssuePath(issue.path) || undefined;
}

/** The first issue as an `invalid_request` error with its `field`. */
export function issuesToError(issues: readonly z.core.$ZodIssue[], subject: string): InteractionsError {
  const first = issues[0];
  if (!first) return new InteractionsError('invalid_request', `Invalid ${subject}.`);
  return new InteractionsError('invalid_request', issueMessage(first, subject), { field: issueField(first) });
}
