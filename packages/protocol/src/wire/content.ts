/**
 * Content blocks. In the legacy ("outputs") revision every output is one of these 20 variants;
 * in the steps revision only text/image/audio/document/video remain as content (the rest became steps).
 */
import type { Annotation } from './common.ts';

export interface TextContent {
  type: 'text';
  text: string;
  annotations?: Annotation[];
  [extra: string]: unknown;
}
interface MediaFields {
  data?: string;
  uri?: string;
  mime_type?: string;
  [extra: string]: unknown;
}
export interface ImageContent extends MediaFields {
  type: 'image';
  resolution?: 'low' | 'medium' | 'high' | 'ultra_high' | (string & {});
}
export interface AudioContent extends MediaFields {
  type: 'audio';
  rate?: number;
  sample_rate?: number;
  channels?: number;
}
export interface DocumentContent extends MediaFields {
  type: 'document';
}
export interface VideoContent extends MediaFields {
  type: 'video';
  resolution?: string;
  name?: string;
  processing?: unknown;
}
/** Content a user (or a model's answer) can carry in both revisions. */
export type MediaContent = TextContent | ImageContent | AudioContent | DocumentContent | VideoContent;

export interface ThoughtContent {
  type: 'thought';
  signature?: string;
  /** Text/image items; some doc previews show a bare string, which parsers accept too. */
  summary?: (TextContent | ImageContent)[] | string;
  [extra: string]: unknown;
}
export interface FunctionCallContent {
  type: 'function_call';
  id: string;
  name: string;
  arguments: Record<string, unknown>;
  signature?: string;
  [extra: string]: unknown;
}
/** A function's result: a string, text/image items, or any JSON value. */
export type FunctionResultValue = string | MediaContent[] | unknown;
export interface FunctionResultContent {
  type: 'function_result';
  call_id: string;
  result: FunctionResultValue;
  name?: string;
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export interface CodeExecutionCallContent {
  type: 'code_execution_call';
  id: string;
  arguments: { language?: 'python' | 'bash' | (string & {}); code?: string; [extra: string]: unknown };
  signature?: string;
  [extra: string]: unknown;
}
export interface CodeExecutionResultContent {
  type: 'code_execution_result';
  call_id: string;
  result: string | MediaContent[];
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export type UrlRetrievalStatus = 'success' | 'error' | 'paywall' | 'unsafe' | (string & {});
export interface UrlContextResultItem {
  url?: string;
  status?: UrlRetrievalStatus;
  [extra: string]: unknown;
}
export interface UrlContextCallContent {
  type: 'url_context_call';
  id: string;
  arguments: { urls?: string[]; [extra: string]: unknown };
  signature?: string;
  [extra: string]: unknown;
}
export interface UrlContextResultContent {
  type: 'url_context_result';
  call_id: string;
  result: UrlContextResultItem[];
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export type SearchType = 'web_search' | 'image_search' | 'enterprise_web_search';
export interface GoogleSearchCallContent {
  type: 'google_search_call';
  id: string;
  arguments: { queries?: string[]; [extra: string]: unknown };
  search_type?: SearchType | (string & {});
  signature?: string;
  [extra: string]: unknown;
}
export interface GoogleSearchResultItem {
  search_suggestions?: string;
  url?: string;
  title?: string;
  rendered_content?: string;
  [extra: string]: unknown;
}
export interface GoogleSearchResultContent {
  type: 'google_search_result';
  call_id: string;
  /** An array per the reference; one doc example shows a bare object, which is accepted too. */
  result: GoogleSearchResultItem[] | GoogleSearchResultItem;
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export interface McpServerToolCallContent {
  type: 'mcp_server_tool_call';
  id: string;
  name: string;
  server_name: string;
  arguments: Record<string, unknown>;
  signature?: string;
  [extra: string]: unknown;
}
export interface McpServerToolResultContent {
  type: 'mcp_server_tool_result';
  call_id: string;
  result: FunctionResultValue;
  name?: string;
  server_name?: string;
  is_error?: boolean;
  signature?: string;
  [extra: string]: unknown;
}
export interface FileSearchCallContent {
  type: 'file_search_call';
  id: string;
  signature?: string;
  [extra: string]: unknown;
}
export interface FileSearchResultContent {
  type: 'file_search_result';
  call_id: string;
  result?: unknown;
  signature?: string;
  [extra: string]: unknown;
}
export interface GoogleMapsCallContent {
  type: 'google_maps_call';
  id: string;
  arguments?: { queries?: string[]; [extra: string]: unknown };
  signature?: string;
  [extra: string]: unknown;
}
export interface GoogleMapsResultContent {
  type: 'google_maps_result';
  call_id: string;
  result?: { places?: unknown[]; widget_context_token?: string; [extra: string]: unknown }[];
  signature?: string;
  [extra: string]: unknown;
}

/** The 20 legacy content variants. Unknown `type`s are kept as opaque objects at runtime. */
export type Content =
  | MediaContent
  | ThoughtContent
  | FunctionCallContent
  | FunctionResultContent
  | CodeExecutionCallContent
  | CodeExecutionResultContent
  | UrlContextCallContent
  | UrlContextResultContent
  | GoogleSearchCallContent
  | GoogleSearchResultContent
  | McpServerToolCallContent
  | McpServerToolResultContent
  | FileSearchCallContent
  | FileSearchResultContent
  | GoogleMapsCallContent
  | GoogleMapsResultContent;

export type ContentType = Content['type'];

export const MEDIA_CONTENT_TYPES = ['text', 'image', 'audio', 'document', 'video'] as const;
export const CONTENT_TYPES = [
  ...MEDIA_CONTENT_TYPES,
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
] as const satisfies readonly ContentType[];

export const isMediaContent = (c: { type: string }): c is MediaContent =>
  (MEDIA_CONTENT_TYPES as readonly string[]).includes(c.type);

/** Legacy multi-turn input entry. */
export interface Turn {
  role?: 'user' | 'model' | (string & {});
  content?: string | Content[];
  [extra: string]: unknown;
}
