/**
 * MCP tool names → function names Gemini accepts, and back. MCP allows names Gemini rejects (`fs/read-file`,
 * `2fa.check`, 100-character names); we keep only `[A-Za-z0-9_]`, start with a letter or `_`, and stay within
 * 64 characters. Names that collide after cleaning get a short hash of the original, so the mapping is stable.
 */
import { createHash } from 'node:crypto';

const MAX_LENGTH = 64;
const VALID = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** Whether `name` can be sent as a function name as it is. */
export const isValidFunctionName = (name: string): boolean => VALID.test(name);

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);

function clean(name: string): string {
  let out = name.replace(/[^A-Za-z0-9_]/g, '_');
  if (out === '') out = 'tool';
  if (!/^[A-Za-z_]/.test(out)) out = `_${out}`;
  return out;
}

function withHash(base: string, original: string): string {
  const suffix = `_${shortHash(original)}`;
  return `${base.slice(0, MAX_LENGTH - suffix.length)}${suffix}`;
}

/** `prefix` + `_` + `name` (no doubled `_`); an empty prefix changes nothing. */
export function joinPrefix(prefix: string | undefined, name: string): string {
  if (!prefix) return name;
  return prefix.endsWith('_') ? `${prefix}${name}` : `${prefix}_${name}`;
}

/** Two-way mapping between function names and MCP tool names for one server. */
export interface NameMap {
  toFunction: ReadonlyMap<string, string>;
  toMcp: ReadonlyMap<string, string>;
}

/**
 * Function names for `mcpNames` (one server). Valid names claim themselves first, so a name that needs no
 * change never gets a hash because a cleaned one happened to come earlier.
 *
 * @example
 * mapToolNames(['get-weather', 'fs/read'], 'wx').toFunction.get('fs/read'); // 'wx_fs_read'
 */
export function mapToolNames(mcpNames: readonly string[], prefix?: string): NameMap {
  const toFunction = new Map<string, string>();
  const toMcp = new Map<string, string>();
  const claim = (mcpName: string, fnName: string) => {
    toFunction.set(mcpName, fnName);
    toMcp.set(fnName, mcpName);
  };
  const unique = [...new Set(mcpNames)];
  const candidates = unique.map((name) => ({ name, wanted: joinPrefix(prefix, name) }));
  for (const { name, wanted } of candidates) {
    if (isValidFunctionName(wanted) && !toMcp.has(wanted)) claim(name, wanted);
  }
  for (const { name, wanted } of candidates) {
    if (toFunction.has(name)) continue;
    let fnName = clean(wanted);
    if (fnName.length > MAX_LENGTH || toMcp.has(fnName)) fnName = withHash(fnName, name);
    claim(name, fnName);
  }
  return { toFunction, toMcp };
}
