/**
 * zod v3 and v4 issues → `ValidationIssue`s phrased for a model to act on: a field path (`items[0].name`) and
 * a short lower-case reason ("expected string, received number", "required", "must be one of …").
 */
import type { ValidationIssue } from '../errors.ts';
import { isSchemaObject } from './json-schema.ts';

type RawIssue = Record<string, unknown> & { path?: unknown; message?: unknown; code?: unknown };

const lowerFirst = (s: string): string => (s ? s.charAt(0).toLowerCase() + s.slice(1) : s);

function reason(issue: RawIssue): string {
  const message = typeof issue.message === 'string' ? issue.message : 'invalid value';
  if (issue.code === 'invalid_type') {
    const expected = typeof issue.expected === 'string' ? issue.expected : undefined;
    const missing =
      issue.received === 'undefined' || /received undefined$/.test(message) || message === 'Required';
    if (missing) return expected ? `required (expected ${expected})` : 'required';
  }
  if (issue.code === 'invalid_union') {
    const alternatives = unionAlternatives(issue);
    if (alternatives.length > 0 && !/discriminator/i.test(message)) {
      return `does not match any allowed shape (${[...new Set(alternatives)].join(' | ')})`;
    }
  }
  return lowerFirst(message.replace(/^Invalid input: /, '').replace(/^Invalid option: /, ''));
}

/** The first problem of each union branch (v4 `errors: Issue[][]`, v3 `unionErrors: ZodError[]`). */
function unionAlternatives(issue: RawIssue): string[] {
  const branches: unknown[][] = [];
  if (Array.isArray(issue.errors)) for (const b of issue.errors) if (Array.isArray(b)) branches.push(b);
  if (Array.isArray(issue.unionErrors)) {
    for (const e of issue.unionErrors)
      if (isSchemaObject(e) && Array.isArray(e.issues)) branches.push(e.issues);
  }
  return branches.flatMap((list) => {
    const first = list[0];
    if (!isSchemaObject(first)) return [];
    const sub = normalizeIssue(first as RawIssue, []);
    return [sub.path.length ? `${formatPath(sub.path)}: ${sub.message}` : sub.message];
  });
}

function normalizeIssue(issue: RawIssue, prefix: (string | number)[]): ValidationIssue {
  const own = Array.isArray(issue.path)
    ? issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')
    : [];
  const out: ValidationIssue = { path: [...prefix, ...own], message: reason(issue) };
  if (typeof issue.code === 'string') out.code = issue.code;
  return out;
}

/** Normalize the issues of a zod (v3 or v4) error. */
export function fromZodIssues(issues: readonly unknown[]): ValidationIssue[] {
  return issues.filter(isSchemaObject).map((i) => normalizeIssue(i as RawIssue, []));
}

/** `a.b[0].c`; the root is `arguments`. */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return 'arguments';
  return path
    .map((p, i) =>
      typeof p === 'number'
        ? `[${p}]`
        : /^[A-Za-z_$][\w$]*$/.test(p)
          ? i
            ? `.${p}`
            : p
          : `[${JSON.stringify(p)}]`,
    )
    .join('');
}

/** `location: expected string; unit: must be one of "c" | "f"`. */
export const formatIssues = (issues: readonly ValidationIssue[]): string =>
  issues.map((i) => `${formatPath(i.path)}: ${i.message}`).join('; ');
