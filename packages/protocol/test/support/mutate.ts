/**
 * Random mutations of wire values for property tests: odd values swapped in, fields deleted or retyped,
 * values wrapped, cycles added. Seeded, so a failure replays.
 */
/** mulberry32: small, seeded, good enough to pick mutations reproducibly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function deepNest(depth: number): unknown {
  let v: unknown = { type: 'text', text: 'bottom' };
  for (let i = 0; i < depth; i++) v = i % 2 ? [v] : { type: 'text', text: v, content: [v] };
  return v;
}

export const throwingProxy = new Proxy(
  {},
  {
    get() {
      throw new Error('boom');
    },
    ownKeys() {
      throw new Error('boom');
    },
  },
);

export const ODD_VALUES: (() => unknown)[] = [
  () => null,
  () => undefined,
  () => 0,
  () => -1.5,
  () => Number.NaN,
  () => '',
  () => 'x'.repeat(100_000),
  () => true,
  () => [],
  () => ({}),
  () => [null, 1, 'a'],
  () => ({ type: 'text' }),
  () => ({ type: 'function_call', id: 1 }),
  () => ({ type: 'no_such_type', a: 1 }),
  () => ({ role: 'model', content: [{ type: 'thought', summary: 5 }] }),
  () => JSON.parse('{"__proto__": {"polluted": true}, "type": "text", "text": "x"}'),
  () => deepNest(5_000),
  () => 10n,
  () => Symbol('s'),
  () => () => 1,
  () => throwingProxy,
  () => new Date(0),
  () => new Map([['type', 'text']]),
];

const KNOWN_TYPES = [
  'text',
  'image',
  'function_call',
  'function_result',
  'thought',
  'user_input',
  'google_search',
  'dynamic',
];

/** Paths to the nodes of a value, down to a small depth (mutations add cycles and deep nesting). */
function nodes(
  value: unknown,
  path: (string | number)[] = [],
  out: (string | number)[][] = [],
): (string | number)[][] {
  out.push(path);
  if (path.length >= 8 || value === throwingProxy) return out;
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value))
      nodes(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

export function mutate(value: unknown, rand: () => number): unknown {
  const root = { v: structuredClone(value) as unknown };
  const count = 1 + Math.floor(rand() * 3);
  for (let n = 0; n < count; n++) {
    const all = nodes(root.v);
    const path = all[Math.floor(rand() * all.length)] ?? [];
    const parentPath = path.slice(0, -1);
    const key = path.at(-1);
    let parent: unknown = root;
    for (const p of ['v', ...parentPath]) parent = (parent as Record<string | number, unknown>)[p];
    const holder = (key === undefined ? root : parent) as Record<string | number, unknown>;
    const slot = key === undefined ? 'v' : key;
    const pick = rand();
    if (pick < 0.45) holder[slot] = ODD_VALUES[Math.floor(rand() * ODD_VALUES.length)]?.();
    else if (pick < 0.6 && !Array.isArray(holder)) delete holder[slot];
    else if (pick < 0.75) holder[slot] = KNOWN_TYPES[Math.floor(rand() * KNOWN_TYPES.length)];
    else if (pick < 0.85) holder[slot] = [holder[slot], holder[slot]];
    else if (pick < 0.95)
      holder[slot] = { type: KNOWN_TYPES[Math.floor(rand() * KNOWN_TYPES.length)], inner: holder[slot] };
    else holder[slot] = root.v; // a cycle
  }
  return root.v;
}
