/**
 * The webhook tables' rows as both stores (SQLite and Postgres) read and write them: the columns, the record
 * each row is, the columns a patch sets, and the page of `listWebhooks` (keyset-paged like the stores' lists,
 * store/page-tokens.ts, with the webhooks API's own error for a bad token).
 */
import { decodePosition, keysetPage } from '../store/page-tokens.ts';
import {
  type DeliveryRecord,
  type WebhookPage,
  type WebhookPatch,
  type WebhookRecord,
  type WebhookState,
  WebhookStoreError,
} from './store.ts';

type Row = Record<string, unknown>;

export const WEBHOOK_COLUMNS =
  'id, owner, name, uri, events_json, state, secrets_json, failed_deliveries, created, updated';
export const DELIVERY_COLUMNS =
  'id, owner, webhook_id, uri, body, attempts, next_attempt_at, created_at, last_error';

/** The column each patch field sets, and the value stored for it. */
const WEBHOOK_PATCH_COLUMNS: Record<
  keyof WebhookPatch,
  (value: unknown) => [string, string | number | null]
> = {
  name: (v) => ['name', (v as string | undefined) ?? null],
  uri: (v) => ['uri', v as string],
  subscribedEvents: (v) => ['events_json', JSON.stringify(v)],
  state: (v) => ['state', v as string],
  secrets: (v) => ['secrets_json', JSON.stringify(v)],
  failedDeliveries: (v) => ['failed_deliveries', v as number],
  updated: (v) => ['updated', v as string],
};

/** The `[column, value]` pairs a patch sets, its unknown fields left out. */
export function patchAssignments(patch: WebhookPatch): [string, string | number | null][] {
  return (Object.keys(patch) as (keyof WebhookPatch)[])
    .filter((k) => Object.hasOwn(WEBHOOK_PATCH_COLUMNS, k))
    .map((k) => WEBHOOK_PATCH_COLUMNS[k](patch[k]));
}

/** The values of `WEBHOOK_COLUMNS` for a new row. */
export function webhookParams(r: WebhookRecord): (string | number | null)[] {
  return [
    r.id,
    r.owner,
    r.name ?? null,
    r.uri,
    JSON.stringify(r.subscribedEvents),
    r.state,
    JSON.stringify(r.secrets),
    r.failedDeliveries,
    r.created,
    r.updated,
  ];
}

/** The values of `DELIVERY_COLUMNS` for a new row. */
export function deliveryParams(d: DeliveryRecord): (string | number | null)[] {
  return [
    d.id,
    d.owner,
    d.webhookId ?? null,
    d.uri,
    d.body,
    d.attempts,
    d.nextAttemptAt,
    d.createdAt,
    d.lastError ?? null,
  ];
}

export function toWebhook(row: Row): WebhookRecord {
  const record: WebhookRecord = {
    id: row.id as string,
    owner: (row.owner as string | null) ?? null,
    uri: row.uri as string,
    subscribedEvents: JSON.parse(row.events_json as string) as string[],
    state: row.state as WebhookState,
    secrets: JSON.parse(row.secrets_json as string) as WebhookRecord['secrets'],
    failedDeliveries: Number(row.failed_deliveries),
    created: row.created as string,
    updated: row.updated as string,
  };
  if (typeof row.name === 'string') record.name = row.name;
  return record;
}

/** Numbers may come back as strings (Postgres BIGINT), so every one goes through `Number`. */
export function toDelivery(row: Row): DeliveryRecord {
  const record: DeliveryRecord = {
    id: row.id as string,
    owner: (row.owner as string | null) ?? null,
    uri: row.uri as string,
    body: row.body as string,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    createdAt: Number(row.created_at),
  };
  if (typeof row.webhook_id === 'string') record.webhookId = row.webhook_id;
  if (typeof row.last_error === 'string') record.lastError = row.last_error;
  return record;
}

/** Where a page starts: after this `(created, id)`; the first page starts after `('', '')`. */
export function decodeWebhookPageToken(pageToken: string | undefined): [string, string] {
  if (pageToken === undefined) return ['', ''];
  try {
    return decodePosition(pageToken);
  } catch {
    throw new WebhookStoreError('invalid_page_token', `'page_token' is not a token this server issued.`);
  }
}

/** A page of `pageSize` from `rows` (read with one extra row, which says whether another page follows). */
export function webhookPage(rows: readonly Row[], pageSize: number): WebhookPage {
  const page = keysetPage(rows, pageSize, toWebhook, (w) => [w.created, w.id]);
  return page.nextPageToken === undefined
    ? { webhooks: page.items }
    : { webhooks: page.items, nextPageToken: page.nextPageToken };
}
