/**
 * Schema v6: every interaction stores its event log. Schema v2 let a foreground unary create be stored without
 * one (`event_log = 'derived'`) and derived its events from the final state on replay; v6 writes those logs
 * into the events table once, as that replay produced them (the lifecycle events, one `step.start`/`delta`/
 * `stop` group per output item, each text part as one delta, `event_id`s `evt_1` … `evt_n`), so a replay or a
 * `last_event_id` resume reads the same events before and after the upgrade. Then the column goes.
 *
 * Self-contained on purpose: a shipped migration must keep producing the same rows, whatever later changes
 * the runtime's event writers.
 */
import type { Statements } from './statements.ts';

type Json = Record<string, unknown>;

/** Rows converted per query, so an old database is never read into memory whole. */
const PAGE = 500;
/** Size of the `arguments_delta` fragments a function call's arguments were streamed in. */
const ARGUMENT_FRAGMENT = 32;

export function writeDerivedLogs(sql: Statements): void {
  let after = '';
  for (;;) {
    const rows = sql.all(
      `SELECT id, status, model, agent, created, updated, output_json, usage_json, error_json
         FROM interactions WHERE event_log = 'derived' AND id > ? ORDER BY id LIMIT ? + 0`,
      after,
      PAGE,
    );
    for (const row of rows) {
      const id = String(row.id);
      const events = derivedEvents(row);
      const params = events.flatMap((event, i) => {
        const eventId = `evt_${i + 1}`;
        return [id, i + 1, eventId, JSON.stringify({ ...event, event_id: eventId })];
      });
      const values = events.map(() => '(?, ?, ?, ?)').join(', ');
      sql.run(`INSERT INTO events (interaction_id, seq, event_id, body_json) VALUES ${values}`, ...params);
      after = id;
    }
    if (rows.length < PAGE) break;
  }
  sql.exec('ALTER TABLE interactions DROP COLUMN event_log');
}

function derivedEvents(row: Record<string, unknown>): Json[] {
  const id = String(row.id);
  const parse = (column: unknown): unknown => (column == null ? undefined : JSON.parse(String(column)));
  const output = (parse(row.output_json) ?? []) as Json[];
  const usage = parse(row.usage_json);
  const error = parse(row.error_json) as { code: string; message: string } | undefined;
  const source =
    row.agent != null ? { agent: String(row.agent) } : row.model != null ? { model: String(row.model) } : {};
  const withUsage = usage === undefined ? {} : { usage };
  const created = String(row.created);
  const events: Json[] = [
    {
      event_type: 'interaction.created',
      interaction: { id, status: 'in_progress', object: 'interaction', ...source, created, updated: created },
    },
    { event_type: 'interaction.status_update', interaction_id: id, status: 'in_progress' },
  ];
  output.forEach((item, index) => {
    events.push(...stepEvents(item, index));
  });
  if (error) events.push({ event_type: 'error', error: { code: error.code, message: error.message } });
  events.push(
    { event_type: 'interaction.status_update', interaction_id: id, status: row.status, ...withUsage },
    {
      event_type: 'interaction.completed',
      interaction: {
        id,
        status: row.status,
        object: 'interaction',
        ...source,
        created,
        updated: String(row.updated),
        ...withUsage,
      },
    },
  );
  return events;
}

/** The events of one output item at `index`, as the engine's step writer streamed that kind of item. */
function stepEvents(item: Json, index: number): Json[] {
  const start = (step: unknown): Json => ({ event_type: 'step.start', index, step });
  const delta = (d: Json): Json => ({ event_type: 'step.delta', index, delta: d });
  const stop: Json = { event_type: 'step.stop', index };
  const content = item.content as Json[] | undefined;
  if (item.type === 'model_output' && Array.isArray(content) && content.length > 0) {
    const events = [start({ type: 'model_output', content: [] })];
    for (const part of content) {
      if (part.type !== 'text') {
        events.push(delta({ ...part }));
        continue;
      }
      const annotations = part.annotations as unknown[] | undefined;
      if (part.text) events.push(delta({ type: 'text', text: part.text }));
      if (annotations?.length) events.push(delta({ type: 'text_annotation_delta', annotations }));
    }
    return [...events, stop];
  }
  if (item.type === 'thought' && typeof item.summary !== 'string') {
    const step = { type: 'thought', ...(item.summary ? { summary: item.summary } : {}), signature: '' };
    const signature = item.signature as string | undefined;
    return [start(step), ...(signature ? [delta({ type: 'thought_signature', signature })] : []), stop];
  }
  if (item.type === 'function_call') {
    const chars = Array.from(JSON.stringify(item.arguments ?? {}));
    const events = [start({ ...item, arguments: {} })];
    for (let i = 0; i < chars.length; i += ARGUMENT_FRAGMENT) {
      events.push(
        delta({ type: 'arguments_delta', arguments: chars.slice(i, i + ARGUMENT_FRAGMENT).join('') }),
      );
    }
    return [...events, stop];
  }
  return [start(item), stop];
}
