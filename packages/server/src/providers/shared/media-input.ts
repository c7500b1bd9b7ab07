/**
 * Media parts of the conversation, made ready for an upstream: a part of a type the upstream does not take is
 * a 400 naming the type and the provider (never dropped); a `uri` the upstream cannot fetch is downloaded by
 * this server (through {@link MediaFetcher}) and sent inline; inline `data` passes as it is.
 *
 * @example
 * const media = mediaInput({ provider: 'openai', accepts: ['image'], passPublicUris: [], fetcher });
 * const ready = await media.prepare(part, signal); // { data, mimeType } or { uri, mimeType }
 */
import { InteractionsError, type MediaContent } from '@interplay/protocol';
import { fileNameFromUri } from '../../files/refs.ts';
import type { MediaFetcher } from './media-fetch.ts';

export type MediaType = 'image' | 'audio' | 'document' | 'video';

export interface MediaInputOptions {
  provider: string;
  /** The media types the upstream takes. */
  accepts: readonly MediaType[];
  /** Types whose public http(s) URIs go to the upstream as they are (it fetches them); all else is inlined. */
  passPublicUris: readonly MediaType[];
  fetcher: MediaFetcher;
}

/** A media part as the upstream gets it: inline bytes, or a URI it fetches itself. */
export type ReadyMedia =
  | { kind: 'data'; type: MediaType; data: string; mimeType: string }
  | { kind: 'uri'; type: MediaType; uri: string; mimeType: string | undefined };

export interface MediaInput {
  /** Throws a 400 for a type the upstream does not take, or a URI that cannot be fetched. */
  prepare(part: MediaContent, signal: AbortSignal): Promise<ReadyMedia>;
}

const DEFAULT_MIME: Record<MediaType, string> = {
  image: 'image/png',
  audio: 'audio/wav',
  document: 'application/pdf',
  video: 'video/mp4',
};

export function mediaInput(options: MediaInputOptions): MediaInput {
  const accepts = new Set<string>(options.accepts);
  const passes = new Set<string>(options.passPublicUris);
  return {
    async prepare(part, signal) {
      const type = part.type as MediaType;
      if (!accepts.has(type)) {
        throw new InteractionsError(
          'invalid_request',
          `'input': '${type}' content cannot be sent to the '${options.provider}' provider: its upstream takes ` +
            `${['text', ...options.accepts].join(', ')} (set the route's "input" option if it takes more).`,
          { field: 'input' },
        );
      }
      const declared = typeof part.mime_type === 'string' ? part.mime_type : undefined;
      if (typeof part.data === 'string' && part.data !== '') {
        return { kind: 'data', type, data: part.data, mimeType: declared ?? DEFAULT_MIME[type] };
      }
      const uri = typeof part.uri === 'string' ? part.uri : '';
      if (!uri) {
        throw new InteractionsError(
          'invalid_request',
          `'input': a '${type}' part has neither data nor uri.`,
          {
            field: 'input',
          },
        );
      }
      if (fileNameFromUri(uri)) {
        throw new InteractionsError(
          'invalid_request',
          `'input': Files API URIs (${uri}) cannot be sent to the '${options.provider}' provider yet; ` +
            `send the ${type} inline as base64 'data'.`,
          { field: 'input' },
        );
      }
      if (passes.has(type) && /^https?:\/\//i.test(uri) && !isPrivateLiteral(uri)) {
        return { kind: 'uri', type, uri, mimeType: declared };
      }
      const fetched = await options.fetcher.fetch(uri, signal, 'input');
      return {
        kind: 'data',
        type,
        data: fetched.data,
        mimeType: declared ?? fetched.mimeType ?? DEFAULT_MIME[type],
      };
    },
  };
}

/** A URI the upstream surely cannot reach: loopback and private literals, `localhost`. */
function isPrivateLiteral(uri: string): boolean {
  const host = new URL(uri).hostname.replace(/^\[|\]$/g, '');
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^(127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0\.)/.test(host) ||
    host === '::1'
  );
}
