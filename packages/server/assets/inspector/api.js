/**
 * The inspector's calls to its server. The API key, when the server has keys, lives in this module (and in
 * sessionStorage when the reader asks to keep it for the tab); it is sent in the `x-goog-api-key` header
 * and never put in a URL. Interactions are read in the steps revision.
 */

const KEY_ITEM = 'interplay.inspector.key';
const STEPS_REVISION = '2026-05-20';
/** The server's root (where `/v1beta` is), from the page's own address: the inspector is at `/inspector/`. */
const ROOT = new URL('../', location.href);
const INSPECTOR = new URL('./', location.href);

let key = readStoredKey();

function readStoredKey() {
  try {
    return sessionStorage.getItem(KEY_ITEM) || undefined;
  } catch {
    return undefined;
  }
}

export const hasKey = () => key !== undefined;

/** Use `value` from now on; `remember` keeps it in sessionStorage (this tab only) across reloads. */
export function setKey(value, remember) {
  key = value || undefined;
  try {
    if (key && remember) sessionStorage.setItem(KEY_ITEM, key);
    else sessionStorage.removeItem(KEY_ITEM);
  } catch {
    // Storage may be disabled; the key still lives in memory.
  }
}

/** An error answer of the server: `status` is the HTTP status, `code` the Interactions error code. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

async function call(url, init = {}) {
  const headers = { 'Api-Revision': STEPS_REVISION, ...init.headers };
  if (key) headers['x-goog-api-key'] = key;
  const response = await fetch(url, { ...init, headers, cache: 'no-store' });
  if (!response.ok) {
    let body;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const error = body?.error ?? {};
    throw new ApiError(
      response.status,
      error.code ?? 'http_error',
      error.message ?? `HTTP ${response.status}`,
    );
  }
  return response;
}

const interactionUrl = (id, suffix = '') =>
  new URL(`v1beta/interactions/${encodeURIComponent(id)}${suffix}`, ROOT);

/** A page of interactions: `{ interactions, next_page_token? }` (see docs/observability.md). */
export async function listInteractions(params, signal) {
  const url = new URL('api/interactions', INSPECTOR);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') url.searchParams.set(name, value);
  }
  return (await call(url, { signal })).json();
}

/** The interaction resource (steps revision: its input steps first, then its output steps). */
export async function getInteraction(id, signal) {
  return (await call(interactionUrl(id), { signal })).json();
}

/** `{ background, input_count, continued_by }`: what the resource does not tell. */
export async function getExtras(id, signal) {
  return (await call(new URL(`api/interactions/${encodeURIComponent(id)}`, INSPECTOR), { signal })).json();
}

export async function cancelInteraction(id) {
  return (await call(interactionUrl(id, '/cancel'), { method: 'POST' })).json();
}

export async function deleteInteraction(id) {
  await call(interactionUrl(id), { method: 'DELETE' });
}

/** The event stream of an interaction, from the start or after `lastEventId`; resolves to the Response. */
export function openEventStream(id, lastEventId, signal) {
  const url = interactionUrl(id);
  url.searchParams.set('stream', 'true');
  if (lastEventId) url.searchParams.set('last_event_id', lastEventId);
  return call(url, { signal, headers: { accept: 'text/event-stream' } });
}
