/** Which rows of a chain read are the head's ancestors (the same whether the rows came in chain order or not), and
 * the history their items make. */
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { ancestry, type ChainRow, chainHistory, turnItems } from '../src/store/chain-rows.ts';
import { CHAIN_ITEMS_SQL } from '../src/store/migrations.ts';

const row = (id: string, previous: string | null, depth: number): ChainRow => ({
  id,
  previous_id: previous,
  depth,
  expires_at: 0,
  items: '',
});
const ids = (rows: ChainRow[]) => rows.map((r) => r.id);

describe('ancestry', () => {
  const chain = [row('r', null, 0), row('a1', 'r', 1), row('a2', 'a1', 2), row('a3', 'a2', 3)];

  it('keeps rows that are the chain to the head as read, in order', () => {
    expect(ids(ancestry('a3', chain))).toEqual(['r', 'a1', 'a2', 'a3']);
    // Without the root (expired): the chain begins at its first turn still there.
    expect(ids(ancestry('a3', chain.slice(1)))).toEqual(['a1', 'a2', 'a3']);
    // Not the head's chain when the last row is another turn: only the head's ancestors.
    expect(ids(ancestry('a2', chain))).toEqual(['r', 'a1', 'a2']);
  });

  it('drops other branches and ends at a missing link, whatever the order of the rows', () => {
    const branched = [
      chain[0],
      row('b1', 'r', 1),
      chain[1],
      row('b2', 'b1', 2),
      chain[2],
      chain[3],
    ] as ChainRow[];
    expect(ids(ancestry('a3', branched))).toEqual(['r', 'a1', 'a2', 'a3']);
    expect(ids(ancestry('b2', branched))).toEqual(['r', 'b1', 'b2']);
    const gap = [chain[0], chain[1], chain[3]] as ChainRow[]; // a2 deleted
    expect(ids(ancestry('a3', gap))).toEqual(['a3']);
    // A link to a row at the same or a greater depth is not followed (a corrupt loop ends there).
    const loop = [row('x', 'y', 1), row('y', 'x', 1)];
    expect(ids(ancestry('y', loop))).toEqual(['y']);
  });
});

describe('turn items', () => {
  const user = { type: 'user_input', content: [{ type: 'text', text: 'hé, [x]' }] };
  const model = { type: 'model_output', content: [{ type: 'text', text: 'ok' }] };
  const call = { type: 'function_call', id: 'c1', name: 'f', arguments: { q: '],[' } };
  const cases: [unknown[], unknown[]][] = [
    [[], []],
    [[user], []],
    [[], [model]],
    [[user], [model, call]],
    [[user, call], [model]],
  ];

  it('are what SQLite computes for the chain index, and splice into the history in order', () => {
    const db = new DatabaseSync(':memory:');
    const sql = db.prepare(
      `SELECT ${CHAIN_ITEMS_SQL} AS items FROM (SELECT ? AS input_json, ? AS output_json)`,
    );
    const rows = cases.map(([input, output], depth) => {
      const [inputJson, outputJson] = [JSON.stringify(input), JSON.stringify(output)];
      const items = turnItems(inputJson, outputJson);
      expect(sql.get(inputJson, outputJson)).toEqual({ items });
      return {
        id: `t${depth}`,
        previous_id: depth === 0 ? null : `t${depth - 1}`,
        depth,
        expires_at: 9,
        items,
      };
    });
    db.close();
    const history = chainHistory(rows);
    expect(history.items).toEqual(cases.flatMap(([input, output]) => [...input, ...output]));
    expect(history.ids).toEqual(['t0', 't1', 't2', 't3', 't4']);
    expect(chainHistory([rows[0] as ChainRow]).items).toEqual([]);
  });
});
