/**
 * Steps revision (`Api-Revision: 2026-05-20`): an interaction is a typed timeline of steps.
 * Tool calls and results keep the same fields they had as legacy content.
 */
import type {
  CodeExecutionCallContent,
  CodeExecutionResultContent,
  FileSearchCallContent,
  FileSearchResultContent,
  FunctionCallContent,
  FunctionResultContent,
  GoogleMapsCallContent,
  GoogleMapsResultContent,
  GoogleSearchCallContent,
  GoogleSearchResultContent,
  McpServerToolCallContent,
  McpServerToolResultContent,
  MediaContent,
  ThoughtContent,
  UrlContextCallContent,
  UrlContextResultContent,
} from './content.ts';
import type { FunctionTool } from './tool.ts';

export interface UserInputStep {
  type: 'user_input';
  content?: MediaContent[];
  [extra: string]: unknown;
}
export interface RpcStatus {
  code?: number;
  message?: string;
  details?: Record<string, unknown>[];
  [extra: string]: unknown;
}
export interface ModelOutputStep {
  type: 'model_output';
  content?: MediaContent[];
  error?: RpcStatus;
  [extra: string]: unknown;
}
export type ThoughtStep = ThoughtContent;
export type FunctionCallStep = FunctionCallContent;
export type FunctionResultStep = FunctionResultContent;
export type CodeExecutionCallStep = CodeExecutionCallContent;
export type CodeExecutionResultStep = CodeExecutionResultContent;
export type UrlContextCallStep = UrlContextCallContent;
export type UrlContextResultStep = UrlContextResultContent;
export type GoogleSearchCallStep = GoogleSearchCallContent;
export type GoogleSearchResultStep = GoogleSearchResultContent;
export type McpServerToolCallStep = McpServerToolCallContent;
export type McpServerToolResultStep = McpServerToolResultContent;
export type FileSearchCallStep = FileSearchCallContent;
export type FileSearchResultStep = FileSearchResultContent;
export type GoogleMapsCallStep = GoogleMapsCallContent;
export type GoogleMapsResultStep = GoogleMapsResultContent;
export interface RetrievalCallStep {
  type: 'retrieval_call';
  id: string;
  arguments?: { queries?: string[]; [extra: string]: unknown };
  retrieval_type?: string;
  signature?: string;
  [extra: string]: unknown;
}
export interface RetrievalResultStep {
  type: 'retrieval_result';
  call_id: string;
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export interface ProcessingCallStep {
  type: 'processing_call';
  id: string;
  signature?: string;
  [extra: string]: unknown;
}
export interface ProcessingResultStep {
  type: 'processing_result';
  call_id: string;
  signature?: string;
  [extra: string]: unknown;
}

/**
 * `tool_search` (SDK 3.6): the model asks for tools by name; the result carries their declarations, which are
 * offered to the model from then on.
 */
export interface ToolSearchCallStep {
  type: 'tool_search_call';
  id: string;
  arguments: { function_names?: string[]; query?: string; [extra: string]: unknown };
  signature?: string;
  [extra: string]: unknown;
}
export interface ToolSearchResultStep {
  type: 'tool_search_result';
  call_id: string;
  /** The function declarations found. */
  result?: FunctionTool[];
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}

export type Step =
  | UserInputStep
  | ModelOutputStep
  | ThoughtStep
  | FunctionCallStep
  | FunctionResultStep
  | CodeExecutionCallStep
  | CodeExecutionResultStep
  | UrlContextCallStep
  | UrlContextResultStep
  | GoogleSearchCallStep
  | GoogleSearchResultStep
  | McpServerToolCallStep
  | McpServerToolResultStep
  | FileSearchCallStep
  | FileSearchResultStep
  | GoogleMapsCallStep
  | GoogleMapsResultStep
  | RetrievalCallStep
  | RetrievalResultStep
  | ProcessingCallStep
  | ProcessingResultStep
  | ToolSearchCallStep
  | ToolSearchResultStep;

export type StepType = Step['type'];

export const STEP_TYPES = [
  'user_input',
  'model_output',
  'thought',
  'function_call',
  'function_result',
  'code_execution_call',
  'code_execution_result',
  'url_context_call',
  'url_context_result',
  'google_search_call',
  'google_search_result',
  'mcp_server_tool_call',
  'mcp_server_tool_result',
  'file_search_call',
  'file_search_result',
  'google_maps_call',
  'google_maps_result',
  'retrieval_call',
  'retrieval_result',
  'processing_call',
  'processing_result',
  'tool_search_call',
  'tool_search_result',
] as const satisfies readonly StepType[];

/** Calls the server runs itself (built-in tools and hosted MCP); `function_call` is the client's. */
export const SERVER_TOOL_CALL_TYPES = [
  'code_execution_call',
  'url_context_call',
  'google_search_call',
  'mcp_server_tool_call',
  'file_search_call',
  'google_maps_call',
  'retrieval_call',
] as const;
