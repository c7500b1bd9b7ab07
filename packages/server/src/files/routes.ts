/** Files API routes: resumable upload, get, list (paged), delete. */
import { createHash } from 'node:crypto';
import { InteractionsError } from '@interplay/protocol';
import { BodyTooLargeError, readBody } from '../http/body.ts';
import type { RequestContext, Services } from '../http/context.ts';
import { badRequest, sendJson } from '../http/respond.ts';
import { type FileRecord, StoreError } from '../store/store.ts';
import { FILE_NAME_RE, newFileId } from './upload.ts';
import { fileResource } from './view.ts';

const START_BODY_LIMIT = 64 * 1024;

/** The state a file shows: PROCESSING turns ACTIVE once `fileActivationMs` has passed, even across restarts. */
export function effectiveFile(record: FileRecord, activationMs: number): FileRecord {
  if (record.state !== 'PROCESSING' || Date.now() - Date.parse(record.created) < activationMs) return record;
  return { ...record, state: 'ACTIVE' };
}

/** `abc`, `files/abc` or a full file URI → `files/abc`. */
export function fileNameFromId(id: string): string {
  const tail = id.slice(id.lastIndexOf('/') + 1);
  return `files/${tail}`;
}

function header(ctx: RequestContext, name: string): string | undefined {
  const v = ctx.req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export async function handleUpload(ctx: RequestContext): Promise<void> {
  const uploadId = ctx.query.get('upload_id');
  if (uploadId) await uploadChunk(ctx, uploadId);
  else await startUpload(ctx);
}

async function startUpload(ctx: RequestContext): Promise<void> {
  const { services, res } = ctx;
  const protocol = header(ctx, 'x-goog-upload-protocol')?.toLowerCase();
  const command = header(ctx, 'x-goog-upload-command')?.toLowerCase() ?? '';
  if (protocol !== 'resumable' || !command.split(',').some((c) => c.trim() === 'start')) {
    throw badRequest(
      'Only resumable uploads are supported: send X-Goog-Upload-Protocol: resumable and X-Goog-Upload-Command: start.',
    );
  }
  const raw = await readBody(ctx.req, START_BODY_LIMIT);
  let body: Record<string, unknown> = {};
  if (raw.length > 0) {
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      throw badRequest('Invalid JSON payload received in the upload start request.');
    }
  }
  const file = (body && typeof body === 'object' ? body.file : undefined) ?? {};
  if (typeof file !== 'object' || file === null || Array.isArray(file)) {
    throw badRequest("'file' must be an object.", 'file');
  }
  const meta = file as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const mimeType =
    str(header(ctx, 'x-goog-upload-header-content-type')) ??
    str(meta.mimeType) ??
    str(meta.mime_type) ??
    'application/octet-stream';
  const sizeHeader = header(ctx, 'x-goog-upload-header-content-length');
  let declaredSize: number | undefined;
  if (sizeHeader !== undefined) {
    declaredSize = Number(sizeHeader);
    if (!Number.isSafeInteger(declaredSize) || declaredSize < 0) {
      throw badRequest('X-Goog-Upload-Header-Content-Length must be a non-negative integer.');
    }
    if (declaredSize > services.options.fileSizeLimit)
      throw new BodyTooLargeError(services.options.fileSizeLimit);
  }
  let name = `files/${newFileId()}`;
  const wanted = str(meta.name);
  if (wanted !== undefined) {
    name = wanted.startsWith('files/') ? wanted : `files/${wanted}`;
    if (!FILE_NAME_RE.test(name)) {
      throw badRequest(
        'File name must be 1-40 lower-case letters, digits or dashes, not starting or ending with a dash.',
        'file.name',
      );
    }
    // Names are per owner: only the caller's own files and uploads can be in the way.
    if (
      (await services.uploads.nameTaken(name, ctx.owner)) ||
      (await services.store.getFile(name, ctx.owner))
    ) {
      throw new InteractionsError('conflict', `A file named ${name} already exists.`, { field: 'file.name' });
    }
  }
  const displayName =
    str(meta.displayName) ?? str(meta.display_name) ?? str(header(ctx, 'x-goog-upload-file-name'));
  const session = await services.uploads.create({
    owner: ctx.owner,
    name,
    mimeType,
    ...(displayName === undefined ? {} : { displayName }),
    ...(declaredSize === undefined ? {} : { declaredSize }),
  });
  const version = ctx.route.version ?? 'v1beta';
  const uploadUrl = `${ctx.baseUrl}/upload/${version}/files?upload_id=${session.id}&upload_protocol=resumable`;
  res.writeHead(200, {
    'x-goog-upload-url': uploadUrl,
    'x-goog-upload-status': 'active',
    'x-goog-upload-chunk-granularity': '262144',
    'content-length': 0,
  });
  res.end();
}

async function uploadChunk(ctx: RequestContext, uploadId: string): Promise<void> {
  const { services, res } = ctx;
  const session = await services.uploads.get(uploadId);
  if (!session) {
    ctx.req.resume();
    throw new InteractionsError('not_found', 'Upload session not found or expired.');
  }
  const commands = new Set(
    (header(ctx, 'x-goog-upload-command') ?? '')
      .toLowerCase()
      .split(',')
      .map((c) => c.trim())
      .filter((c) => c !== ''),
  );
  const active = (extra: Record<string, string> = {}) => {
    res.writeHead(200, {
      'x-goog-upload-status': 'active',
      'x-goog-upload-size-received': String(session.received),
      'content-length': 0,
      ...extra,
    });
    res.end();
  };
  if (commands.has('cancel')) {
    ctx.req.resume();
    await services.uploads.delete(session.id);
    res.writeHead(200, { 'x-goog-upload-status': 'cancelled', 'content-length': 0 });
    res.end();
    return;
  }
  if (commands.has('query')) {
    ctx.req.resume();
    active();
    return;
  }
  if (!commands.has('upload') && !commands.has('finalize')) {
    ctx.req.resume();
    throw badRequest(
      "X-Goog-Upload-Command must be 'upload', 'upload, finalize', 'finalize', 'query' or 'cancel'.",
    );
  }
  if (commands.has('upload')) {
    const offsetHeader = header(ctx, 'x-goog-upload-offset');
    const offset = offsetHeader === undefined ? session.received : Number(offsetHeader);
    if (offset !== session.received) {
      ctx.req.resume();
      throw badRequest(
        `X-Goog-Upload-Offset ${offsetHeader} does not match the ${session.received} bytes received so far.`,
      );
    }
    const room = services.options.fileSizeLimit - session.received;
    let chunk: Buffer;
    try {
      chunk = await readBody(ctx.req, Math.max(room, 0));
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        await services.uploads.delete(session.id);
        throw new BodyTooLargeError(services.options.fileSizeLimit);
      }
      throw err;
    }
    if (chunk.length > 0) {
      if (!(await services.uploads.append(session.id, offset, chunk))) {
        throw new InteractionsError('conflict', 'Another request added to this upload at the same offset.');
      }
      session.received += chunk.length;
    }
  } else {
    ctx.req.resume();
  }
  if (!commands.has('finalize')) {
    active();
    return;
  }
  if (session.declaredSize !== undefined && session.declaredSize !== session.received) {
    throw badRequest(
      `Received ${session.received} bytes but X-Goog-Upload-Header-Content-Length declared ${session.declaredSize}.`,
    );
  }
  const data = await services.uploads.take(session.id);
  if (!data) throw new InteractionsError('not_found', 'Upload session not found or expired.');
  const now = Date.now();
  const stamp = new Date(now).toISOString();
  const record: FileRecord = {
    name: session.name,
    owner: session.owner,
    ...(session.displayName === undefined ? {} : { displayName: session.displayName }),
    mimeType: session.mimeType,
    sizeBytes: data.length,
    state: 'PROCESSING',
    created: stamp,
    updated: stamp,
    expiresAt: now + services.options.fileRetentionMs,
    sha256: createHash('sha256').update(data).digest('hex'),
  };
  try {
    await services.store.createFile(record, data);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'conflict') {
      throw new InteractionsError('conflict', `A file named ${record.name} already exists.`);
    }
    throw err;
  }
  scheduleActivation(services, record.name, record.owner);
  sendJson(
    res,
    200,
    { file: fileResource(record, ctx.baseUrl) },
    { 'x-goog-upload-status': 'final', 'x-goog-upload-size-received': String(session.received) },
  );
}

function scheduleActivation(services: Services, name: string, owner: string | null): void {
  const timer = setTimeout(() => {
    services.activations.delete(timer);
    services.store
      .updateFile(name, owner, { state: 'ACTIVE', updated: new Date().toISOString() })
      .catch((err: unknown) => services.logger.warn({ err }, 'could not activate an uploaded file'));
  }, services.options.fileActivationMs);
  timer.unref();
  services.activations.add(timer);
}

export async function handleGetFile(ctx: RequestContext): Promise<void> {
  const { services } = ctx;
  const name = fileNameFromId(ctx.route.id ?? '');
  const record = await services.store.getFile(name, ctx.owner);
  if (!record) throw new InteractionsError('not_found', `File ${name} was not found.`);
  sendJson(ctx.res, 200, fileResource(effectiveFile(record, services.options.fileActivationMs), ctx.baseUrl));
}

export async function handleListFiles(ctx: RequestContext): Promise<void> {
  const { services, query } = ctx;
  const sizeParam = query.get('pageSize') ?? query.get('page_size');
  let pageSize = 10;
  if (sizeParam !== null && sizeParam !== '') {
    pageSize = Number(sizeParam);
    if (!Number.isInteger(pageSize) || pageSize < 1)
      throw badRequest('pageSize must be a positive integer.', 'pageSize');
    pageSize = Math.min(pageSize, 100);
  }
  const token = query.get('pageToken') ?? query.get('page_token') ?? undefined;
  let page: { files: FileRecord[]; nextPageToken?: string };
  try {
    page = await services.store.listFiles(ctx.owner, pageSize, token || undefined);
  } catch (err) {
    if (err instanceof StoreError && err.code === 'invalid_page_token') {
      throw badRequest('Invalid page token.', 'pageToken');
    }
    throw err;
  }
  const files = page.files.map((f) =>
    fileResource(effectiveFile(f, services.options.fileActivationMs), ctx.baseUrl),
  );
  sendJson(ctx.res, 200, {
    ...(files.length > 0 ? { files } : {}),
    ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
  });
}

export async function handleDeleteFile(ctx: RequestContext): Promise<void> {
  const name = fileNameFromId(ctx.route.id ?? '');
  const removed = await ctx.services.store.deleteFile(name, ctx.owner);
  if (!removed) throw new InteractionsError('not_found', `File ${name} was not found.`);
  sendJson(ctx.res, 200, {});
}
