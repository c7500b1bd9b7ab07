/** FileRecord → the Files API `File` resource (camelCase, as the Gemini Files API serves it). */
import type { FileRecord } from '../store/store.ts';

export interface FileResource {
  name: string;
  displayName?: string;
  mimeType: string;
  sizeBytes: string;
  createTime: string;
  updateTime: string;
  expirationTime: string;
  sha256Hash?: string;
  uri: string;
  state: FileRecord['state'];
  source: 'UPLOADED';
}

/** `files/<id>` → `<base>/v1beta/files/<id>`. */
export const fileUri = (baseUrl: string, name: string): string => `${baseUrl}/v1beta/${name}`;

export function fileResource(record: FileRecord, baseUrl: string): FileResource {
  return {
    name: record.name,
    ...(record.displayName === undefined ? {} : { displayName: record.displayName }),
    mimeType: record.mimeType,
    sizeBytes: String(record.sizeBytes),
    createTime: record.created,
    updateTime: record.updated,
    expirationTime: new Date(record.expiresAt).toISOString(),
    // The Files API reports the hex digest, base64-encoded.
    ...(record.sha256 === undefined ? {} : { sha256Hash: Buffer.from(record.sha256).toString('base64') }),
    uri: fileUri(baseUrl, record.name),
    state: record.state,
    source: 'UPLOADED',
  };
}
