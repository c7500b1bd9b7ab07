/** The two wire revisions and how a request selects one (reference §1). */

export type Revision = 'legacy' | 'steps';

/** Of a type each revision has its own of, the one of revision `R` (either, when `R` is not narrowed). */
export type ByRevision<R extends Revision, Legacy, Steps> = R extends 'legacy'
  ? Legacy
  : R extends 'steps'
    ? Steps
    : Legacy | Steps;

export const API_REVISION_HEADER = 'Api-Revision';

/** The `Api-Revision` header value that selects each revision. */
export const REVISION_DATES: Readonly<Record<Revision, string>> = {
  legacy: '2026-05-07',
  steps: '2026-05-20',
};

/**
 * Revision named by an `Api-Revision` header value, or `undefined` when the header is absent.
 * Dates before the steps revision mean legacy; that date or later means steps.
 */
export function revisionFromHeader(value: string | null | undefined): Revision | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (v === 'legacy' || v === 'steps') return v;
  return v < REVISION_DATES.steps ? 'legacy' : 'steps';
}
