/**
 * Typed helpers for the API's built-in tools. They are declarations only: the server runs
 * `google_search`, `code_execution` and `url_context` itself; `computer_use` actions come back to you as
 * ordinary function calls (the model's predefined computer functions) for your own tools to perform.
 *
 * @example
 * ```ts
 * const runner = new Runner({ client, model: 'gemini-3-flash-preview',
 *   tools: [googleSearch(), codeExecution(), urlContext(), getWeather] });
 * ```
 */
import type {
  CodeExecutionTool,
  ComputerUseTool,
  FileSearchTool,
  GoogleMapsTool,
  GoogleSearchTool,
  UrlContextTool,
} from '@interplay/protocol';

export function googleSearch(
  options: { searchTypes?: GoogleSearchTool['search_types'] } = {},
): GoogleSearchTool {
  return { type: 'google_search', ...(options.searchTypes ? { search_types: options.searchTypes } : {}) };
}

export function codeExecution(): CodeExecutionTool {
  return { type: 'code_execution' };
}

export function urlContext(): UrlContextTool {
  return { type: 'url_context' };
}

export interface ComputerUseOptions {
  environment?: 'browser' | 'mobile' | 'desktop';
  /** Predefined computer functions the model must not call, e.g. `['drag_and_drop']`. */
  excludedPredefinedFunctions?: string[];
  disabledSafetyPolicies?: string[];
  enablePromptInjectionDetection?: boolean;
}

/**
 * The computer-use tool. Written in the canonical (steps) spelling; the client renames
 * `excluded_predefined_functions` to the legacy revision's camelCase when it speaks legacy.
 */
export function computerUse(options: ComputerUseOptions = {}): ComputerUseTool {
  return {
    type: 'computer_use',
    ...(options.environment ? { environment: options.environment } : {}),
    ...(options.excludedPredefinedFunctions
      ? { excluded_predefined_functions: options.excludedPredefinedFunctions }
      : {}),
    ...(options.disabledSafetyPolicies ? { disabled_safety_policies: options.disabledSafetyPolicies } : {}),
    ...(options.enablePromptInjectionDetection === undefined
      ? {}
      : { enable_prompt_injection_detection: options.enablePromptInjectionDetection }),
  };
}

export function fileSearch(options: {
  storeNames: string[];
  topK?: number;
  metadataFilter?: string;
}): FileSearchTool {
  return {
    type: 'file_search',
    file_search_store_names: options.storeNames,
    ...(options.topK === undefined ? {} : { top_k: options.topK }),
    ...(options.metadataFilter === undefined ? {} : { metadata_filter: options.metadataFilter }),
  };
}

export function googleMaps(
  options: { latitude?: number; longitude?: number; enableWidget?: boolean } = {},
): GoogleMapsTool {
  return {
    type: 'google_maps',
    ...(options.latitude === undefined ? {} : { latitude: options.latitude }),
    ...(options.longitude === undefined ? {} : { longitude: options.longitude }),
    ...(options.enableWidget === undefined ? {} : { enable_widget: options.enableWidget }),
  };
}
