/**
 * Files API URIs used as input content. An `image`/`audio`/`video`/`document` part whose `uri` points at a
 * Files API resource (`…/files/<id>`) must name an ACTIVE file of the caller; other URIs pass through.
 */
import { InteractionsError } from '@interplay/protocol';
import type { Store } from '../store/store.ts';
import { effectiveFile } from './routes.ts';

const MEDIA_TYPES = new Set(['image', 'audio', 'video', 'document']);
/** `files/<id>` at the end of the path, with or without scheme/host/version. */
const FILE_PATH_RE = /(?:^|\/)(files\/[a-z0-9][a-z0-9-]*)$/;

interface FileRef {
  name: string;
  field: string;
}

/** The Files API name a URI refers to, if it refers to one. */
export function fileNameFromUri(uri: string): string | undefined {
  let path = uri;
  const cut = path.search(/[?#]/);
  if (cut >= 0) path = path.slice(0, cut);
  return FILE_PATH_RE.exec(path)?.[1];
}

/**
 * The file references in `value`, each with the field it is at. `path` is the way down to `value` (keys and
 * indexes), made into a field name only for a reference: every create walks its input, and most name no file.
 */
function collect(value: unknown, path: (string | number)[], out: FileRef[]): void {
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      path.push(i);
      collect(value[i], path, out);
      path.pop();
    }
    return;
  }
  if (value === null || typeof value !== 'object') return;
  const obj = value as Record<string, unknown>;
  if (typeof obj.type === 'string' && MEDIA_TYPES.has(obj.type) && typeof obj.uri === 'string') {
    const name = fileNameFromUri(obj.uri);
    if (name) out.push({ name, field: `${fieldName(path)}.uri` });
  }
  for (const key of Object.keys(obj)) {
    const v = obj[key];
    if (v !== null && typeof v === 'object') {
      path.push(key);
      collect(v, path, out);
      path.pop();
    }
  }
}

/** `['input', 0, 'content', 1]` → `input[0].content[1]`. */
function fieldName(path: readonly (string | number)[]): string {
  let name = '';
  for (const part of path) name += typeof part === 'number' ? `[${part}]` : name === '' ? part : `.${part}`;
  return name;
}

/**
 * Rejects with 404 `not_found` (unknown or another key's file) or 400 `failed_precondition` (not ACTIVE yet).
 * `undefined` when the input names no file: nothing to wait for (most creates).
 */
export function checkFileRefs(
  input: unknown,
  owner: string | null,
  store: Store,
  activationMs: number,
): Promise<void> | undefined {
  const refs: FileRef[] = [];
  collect(input, ['input'], refs);
  return refs.length === 0 ? undefined : checkEach(refs, owner, store, activationMs);
}

async function checkEach(
  refs: readonly FileRef[],
  owner: string | null,
  store: Store,
  activationMs: number,
): Promise<void> {
  for (const ref of refs) {
    const record = await store.getFile(ref.name, owner);
    if (!record) {
      throw new InteractionsError('not_found', `File ${ref.name} at '${ref.field}' was not found.`, {
        field: ref.field,
      });
    }
    const state = effectiveFile(record, activationMs).state;
    if (state !== 'ACTIVE') {
      throw new InteractionsError(
        'failed_precondition',
        `File ${ref.name} at '${ref.field}' is not in an ACTIVE state (it is ${state}); wait until it is ACTIVE.`,
        { field: ref.field },
      );
    }
  }
}
