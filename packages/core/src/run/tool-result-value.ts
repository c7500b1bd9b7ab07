/**
 * A tool's return value → the `function_result.result` sent to the model: strings as they are; other values
 * as JSON (dates become ISO strings, `undefined` fields vanish); `undefined`/`null` as `{}`.
 */
export function toResultValue(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (value === undefined || value === null) return {};
  try {
    const json = JSON.stringify(value);
    return json === undefined ? {} : JSON.parse(json);
  } catch {
    return String(value);
  }
}
