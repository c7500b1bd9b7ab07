/** Tools an interaction may use (discriminator `type`), as both revisions send them. */

export type ToolChoiceMode = 'auto' | 'any' | 'none' | 'validated';
export type ToolChoice = ToolChoiceMode | { allowed_tools: { mode?: ToolChoiceMode; tools?: string[] } };

export interface FunctionTool {
  type: 'function';
  name?: string;
  description?: string;
  /** JSON Schema of the arguments. */
  parameters?: Record<string, unknown>;
  [extra: string]: unknown;
}
export interface CodeExecutionTool {
  type: 'code_execution';
  [extra: string]: unknown;
}
export interface UrlContextTool {
  type: 'url_context';
  [extra: string]: unknown;
}
export interface ComputerUseTool {
  type: 'computer_use';
  environment?: 'browser' | 'mobile' | 'desktop' | (string & {});
  /** camelCase in the legacy docs and SDK 1.x. */
  excludedPredefinedFunctions?: string[];
  /** snake_case in SDK 3.x. */
  excluded_predefined_functions?: string[];
  disabled_safety_policies?: string[];
  enable_prompt_injection_detection?: boolean;
  [extra: string]: unknown;
}
export interface AllowedTools {
  mode?: ToolChoiceMode;
  tools?: string[];
  [extra: string]: unknown;
}
export interface McpServerTool {
  type: 'mcp_server';
  name?: string;
  url?: string;
  headers?: Record<string, string>;
  allowed_tools?: AllowedTools[];
  [extra: string]: unknown;
}
export interface GoogleSearchTool {
  type: 'google_search';
  search_types?: ('web_search' | 'image_search' | 'enterprise_web_search')[];
  [extra: string]: unknown;
}
export interface FileSearchTool {
  type: 'file_search';
  file_search_store_names?: string[];
  top_k?: number;
  metadata_filter?: string;
  [extra: string]: unknown;
}
export interface GoogleMapsTool {
  type: 'google_maps';
  enable_widget?: boolean;
  latitude?: number;
  longitude?: number;
  [extra: string]: unknown;
}
export interface RetrievalTool {
  type: 'retrieval';
  retrieval_types?: string[];
  vertex_ai_search_config?: Record<string, unknown>;
  rag_store_config?: Record<string, unknown>;
  exa_ai_search_config?: Record<string, unknown>;
  parallel_ai_search_config?: Record<string, unknown>;
  [extra: string]: unknown;
}

/**
 * Lets the model load the request's function tools on demand instead of seeing them all up front (SDK 3.6).
 * `execution: 'server'` (default) searches the request's functions; `'client'` hands the model's call to the
 * client, described by `name`, `description` and `parameters`.
 */
export interface ToolSearchTool {
  type: 'tool_search';
  execution?: 'server' | 'client' | (string & {});
  name?: string;
  description?: string;
  parameters?: Record<string, unknown>;
  [extra: string]: unknown;
}

export type Tool =
  | FunctionTool
  | CodeExecutionTool
  | UrlContextTool
  | ComputerUseTool
  | McpServerTool
  | GoogleSearchTool
  | FileSearchTool
  | GoogleMapsTool
  | RetrievalTool
  | ToolSearchTool;

export type ToolType = Tool['type'];
export const TOOL_TYPES = [
  'function',
  'code_execution',
  'url_context',
  'computer_use',
  'mcp_server',
  'google_search',
  'file_search',
  'google_maps',
  'retrieval',
  'tool_search',
] as const satisfies readonly ToolType[];
