/**
 * The requested output format, both revisions ⇄ `OutputFormat`.
 *
 * Steps `response_format` is one entry or a list of entries; a list marks explicit modalities (legacy
 * `response_modalities`), a single entry does not. That keeps "schema only" and "image_config only" legacy
 * requests exact through steps.
 */
import type { OutputFormat } from '../canonical.ts';
import type { ResponseFormatEntry } from '../wire/request.ts';
import { compact, isRecord } from './objects.ts';

/** The output-format fields of a request or interaction, in either revision (deprecated ones included). */
export interface OutputFormatFields {
  response_format?: unknown;
  response_mime_type?: string;
  response_modalities?: string[];
  /** From `generation_config.image_config`. */
  image_config?: Record<string, unknown>;
}

/** A JSON Schema's own `type` values: an object typed like this is a schema, not a steps entry. */
const JSON_SCHEMA_TYPES = new Set(['object', 'array', 'string', 'number', 'integer', 'boolean', 'null']);

const isEntry = (value: unknown): value is ResponseFormatEntry =>
  isRecord(value) && typeof value.type === 'string' && !JSON_SCHEMA_TYPES.has(value.type);

/** `listed`: the entry's type is already recorded in `modalities`, so a bare entry needs no option. */
function addEntry(format: OutputFormat, entry: ResponseFormatEntry, listed: boolean): void {
  const { type, ...fields } = entry;
  if (type !== 'text') {
    if (!listed || Object.keys(fields).length > 0) format.options = { ...format.options, [type]: fields };
    return;
  }
  const { mime_type, schema, ...other } = fields;
  if (mime_type !== undefined) format.mime_type = mime_type;
  if (schema !== undefined) format.schema = schema;
  // A lone bare `{type: 'text'}` is kept as an empty option so it is re-emitted.
  if (Object.keys(other).length > 0 || (!listed && mime_type === undefined && schema === undefined)) {
    format.options = { ...format.options, text: other };
  }
}

/** Read either revision's fields; steps entries win over the deprecated fields they replace. */
export function outputFormatFromFields(fields: OutputFormatFields): OutputFormat | undefined {
  const format: OutputFormat = {};
  const rf = fields.response_format;
  if (Array.isArray(rf) && rf.every(isEntry)) {
    format.modalities = rf.map((entry) => entry.type);
    for (const entry of rf) addEntry(format, entry, true);
  } else if (isEntry(rf)) {
    addEntry(format, rf, false);
  } else if (isRecord(rf)) {
    format.schema = rf;
  } else if (rf !== undefined) {
    format.raw = rf;
  }
  if (format.mime_type === undefined && fields.response_mime_type !== undefined) {
    format.mime_type = fields.response_mime_type;
  }
  if (format.modalities === undefined && fields.response_modalities !== undefined) {
    format.modalities = fields.response_modalities.map((m) => m.toLowerCase());
  }
  if (fields.image_config !== undefined) {
    format.options = { ...format.options, image: { ...fields.image_config, ...format.options?.image } };
  }
  return Object.keys(format).length > 0 ? format : undefined;
}

/** Legacy fields: schema, mime type and modalities as they are; `options.image` is the image_config. */
export function outputFormatToLegacyFields(format: OutputFormat | undefined): OutputFormatFields {
  if (format === undefined) return {};
  return compact({
    response_format: format.schema ?? format.raw,
    response_mime_type: format.mime_type,
    response_modalities: format.modalities,
    image_config: format.options?.image,
  });
}

/**
 * A steps client's `generation_config.image_config` (deprecated there, still sent) is read back where it was
 * sent: marks `format` so, unless the client's `response_format` gave image options itself.
 */
export function markStepsImageConfig(
  format: OutputFormat | undefined,
  fields: { response_format?: unknown; image_config?: unknown },
): void {
  if (format === undefined || fields.image_config === undefined) return;
  const entries = Array.isArray(fields.response_format) ? fields.response_format : [fields.response_format];
  if (entries.some((e) => isEntry(e) && e.type === 'image')) return;
  format.image_config_origin = 'generation_config';
}

/** The `generation_config.image_config` a steps body carries: the image options when the client sent them there. */
export function stepsImageConfig(format: OutputFormat | undefined): Record<string, unknown> | undefined {
  return format?.image_config_origin === 'generation_config' ? format.options?.image : undefined;
}

/** Steps `response_format`: a list when modalities are explicit, else a single entry when there is one. */
export function outputFormatToStepsResponseFormat(format: OutputFormat | undefined): unknown {
  if (format === undefined) return undefined;
  const entries = new Map<string, ResponseFormatEntry>();
  const entry = (type: string): ResponseFormatEntry => {
    let e = entries.get(type);
    if (e === undefined) {
      e = { type: type as ResponseFormatEntry['type'] };
      entries.set(type, e);
    }
    return e;
  };
  for (const modality of format.modalities ?? []) entry(modality);
  if (format.mime_type !== undefined || format.schema !== undefined) {
    Object.assign(entry('text'), compact({ mime_type: format.mime_type, schema: format.schema }));
  }
  for (const [type, options] of Object.entries(format.options ?? {})) {
    // Image options the client sent as generation_config.image_config go back there (stepsImageConfig).
    if (type === 'image' && format.image_config_origin === 'generation_config') continue;
    Object.assign(entry(type), options);
  }
  const list = [...entries.values()];
  if (format.modalities !== undefined) return list;
  if (list.length === 0) return format.raw;
  return list.length === 1 ? list[0] : list;
}
