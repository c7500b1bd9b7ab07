/**
 * Row ↔ record mapping. Optional fields are stored as NULL and come back absent (not `undefined`), so a record
 * read back deep-equals the one written.
 */

import type { SQLInputValue } from 'node:sqlite';
import type {
  CanonicalEvent,
  CanonicalRequest,
  ErrorBody,
  InteractionStatus,
  Item,
  Usage,
} from '@interplay/protocol';
import type { Row } from './statements.ts';
import type { FileRecord, InteractionPatch, InteractionRecord, StoredEvent } from './store.ts';

export const INTERACTION_COLUMNS =
  'id, owner, status, model, agent, created, updated, request_json, output_json, usage_json, error_json, ' +
  'previous_id, background, expires_at, input_json';

/** Everything but `data`. */
export const FILE_COLUMNS =
  'name, owner, display_name, mime_type, size_bytes, state, created, updated, expires_at, sha256';

const text = (value: unknown): string | undefined => (value == null ? undefined : String(value));
const json = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));
const parse = <T>(value: unknown): T | undefined =>
  value == null ? undefined : (JSON.parse(String(value)) as T);

/**
 * The request is stored without its input, which has its own column (`input_json`): a chain's history is read
 * from the inputs and outputs alone.
 */
export function interactionParams(r: InteractionRecord): SQLInputValue[] {
  const { input } = r.request;
  return [
    r.id,
    r.owner,
    r.status,
    r.model ?? null,
    r.agent ?? null,
    r.created,
    r.updated,
    // JSON.stringify leaves out a key whose value is undefined. (A copy made with a rest pattern is a
    // dictionary-mode object: slower to make and to serialize, and a request can be kilobytes.)
    JSON.stringify({ ...r.request, input: undefined }),
    JSON.stringify(r.output),
    json(r.usage),
    json(r.error),
    r.previousId ?? null,
    r.background ? 1 : 0,
    r.expiresAt,
    JSON.stringify(input ?? []),
  ];
}

/**
 * `patch` applied to `record`: each key it has, `undefined` values too, as `Object.assign` would. Named
 * keys, not a generic copy (the end of every create goes through here); interaction-patch.test-d.ts fails
 * when `InteractionPatch` gains a key.
 */
export function applyPatch(record: InteractionRecord, patch: InteractionPatch): void {
  if ('status' in patch) record.status = patch.status as InteractionRecord['status'];
  if ('updated' in patch) record.updated = patch.updated as string;
  if ('output' in patch) record.output = patch.output as Item[];
  if ('usage' in patch) record.usage = patch.usage;
  if ('error' in patch) record.error = patch.error;
  if ('expiresAt' in patch) record.expiresAt = patch.expiresAt as number;
}

export function toInteraction(row: Row): InteractionRecord {
  const request = parse<CanonicalRequest>(row.request_json)!;
  request.input = parse<Item[]>(row.input_json) ?? [];
  const record: InteractionRecord = {
    id: String(row.id),
    owner: text(row.owner) ?? null,
    status: String(row.status) as InteractionStatus,
    created: String(row.created),
    updated: String(row.updated),
    request,
    output: parse<Item[]>(row.output_json) ?? [],
    background: row.background === 1,
    expiresAt: Number(row.expires_at),
  };
  const model = text(row.model);
  if (model !== undefined) record.model = model;
  const agent = text(row.agent);
  if (agent !== undefined) record.agent = agent;
  const usage = parse<Usage>(row.usage_json);
  if (usage !== undefined) record.usage = usage;
  const error = parse<ErrorBody>(row.error_json);
  if (error !== undefined) record.error = error;
  const previousId = text(row.previous_id);
  if (previousId !== undefined) record.previousId = previousId;
  return record;
}

/** Column name and bound value for each patchable interaction field. */
export const INTERACTION_PATCH_COLUMNS: Record<
  keyof InteractionPatch,
  (v: unknown) => [string, SQLInputValue]
> = {
  status: (v: unknown) => ['status', String(v)],
  updated: (v: unknown) => ['updated', String(v)],
  output: (v: unknown) => ['output_json', JSON.stringify(v ?? [])],
  usage: (v: unknown) => ['usage_json', json(v)],
  error: (v: unknown) => ['error_json', json(v)],
  expiresAt: (v: unknown) => ['expires_at', Number(v)],
};

/** A stored event row (Postgres), the event with its `event_id` on it as the runtime stamped it. */
export function toStoredEvent(row: Row): StoredEvent {
  const eventId = String(row.event_id);
  const event = parse<CanonicalEvent & { event_id?: string }>(row.body_json)!;
  event.event_id ??= eventId;
  return { seq: Number(row.seq), eventId, event };
}

export function fileParams(r: FileRecord): SQLInputValue[] {
  return [
    r.name,
    r.owner,
    r.displayName ?? null,
    r.mimeType,
    r.sizeBytes,
    r.state,
    r.created,
    r.updated,
    r.expiresAt,
    r.sha256 ?? null,
  ];
}

export function toFile(row: Row): FileRecord {
  const record: FileRecord = {
    name: String(row.name),
    owner: text(row.owner) ?? null,
    mimeType: String(row.mime_type),
    sizeBytes: Number(row.size_bytes),
    state: String(row.state) as FileRecord['state'],
    created: String(row.created),
    updated: String(row.updated),
    expiresAt: Number(row.expires_at),
  };
  const displayName = text(row.display_name);
  if (displayName !== undefined) record.displayName = displayName;
  const sha256 = text(row.sha256);
  if (sha256 !== undefined) record.sha256 = sha256;
  return record;
}
