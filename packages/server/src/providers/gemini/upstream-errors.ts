/**
 * What Gemini's error bodies (`google.rpc.Status`: `{error: {code, message, status, details}}`) add to the
 * common mapping (shared/upstream-error.ts): the wait a 429 asks for in `RetryInfo.retryDelay` (Gemini sends no
 * `Retry-After` header), and a bad API key, which Gemini answers with 400 `API_KEY_INVALID` rather than 401.
 */
import { type UpstreamError, type UpstreamHttpFailure, upstreamHttpError } from '../shared/upstream-error.ts';

interface StatusBody {
  error?: { details?: { '@type'?: string; retryDelay?: string; reason?: string }[] };
}

function details(body: string): NonNullable<NonNullable<StatusBody['error']>['details']> {
  try {
    const parsed = JSON.parse(body) as StatusBody | StatusBody[];
    // Gemini's streaming endpoint may wrap the status in a one-element array.
    const status = Array.isArray(parsed) ? parsed[0] : parsed;
    return Array.isArray(status?.error?.details) ? status.error.details : [];
  } catch {
    return [];
  }
}

/** `RetryInfo.retryDelay` ("20s", "1.5s") in ms, if the body has one. */
export function retryInfoDelayMs(body: string): number | undefined {
  const info = details(body).find((d) => d['@type']?.endsWith('google.rpc.RetryInfo'));
  const match = /^(\d+(?:\.\d+)?)s$/.exec(info?.retryDelay ?? '');
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}

/** A 400 whose `ErrorInfo.reason` is `API_KEY_INVALID` is refused credentials, mapped as a 401. */
export function geminiHttpError(failure: UpstreamHttpFailure): UpstreamError | undefined {
  if (failure.status !== 400) return undefined;
  const invalidKey = details(failure.body).some((d) => d.reason === 'API_KEY_INVALID');
  return invalidKey ? upstreamHttpError({ ...failure, status: 401 }) : undefined;
}
