/** Freezes a JSON-like value and everything in it, so shared values cannot be changed by one of their users. */
export function deepFreeze(value: unknown): void {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return;
  if (ArrayBuffer.isView(value)) return; // typed arrays with elements cannot be frozen
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (const v of value) deepFreeze(v);
  } else {
    for (const key in value) deepFreeze((value as Record<string, unknown>)[key]);
  }
}
