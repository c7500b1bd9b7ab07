/**
 * A server-executed tool: the server, not the client, runs the model's call and records the result
 * (`code_execution`, `url_context`, `google_search`, hosted `mcp_server`, …). See docs/server/tools.md.
 */
import type { Item, Tool } from '@interplay/protocol';

export interface ServerToolContext {
  /** The request's tool declaration that offered this tool (e.g. the `mcp_server` entry with its url). */
  declaration: Tool;
  /** Aborted when the interaction is cancelled, the server shuts down, or the tool times out. */
  signal: AbortSignal;
  interactionId: string;
  /** Every tool the request declares (a tool searching the request's own tools reads them here). */
  tools?: readonly Tool[];
  /**
   * Whose interaction it is: the API key's owner id (its SHA-256), or null in open mode. Tools that share a
   * capacity between keys (the Python sandbox) schedule by it. Absent when a tool is called directly.
   */
  owner?: string | null;
}

export interface ServerTool {
  /** The declaration `type` it serves, e.g. `code_execution`, `mcp_server`. */
  readonly toolType: string;
  /** The call step type it runs, e.g. `code_execution_call`. */
  readonly callType: string;
  /**
   * The declaration that offers `call`, if any. Default: the first declaration of `toolType` whose `name`
   * equals the call's `server_name` when the call names a server (hosted MCP), else the first of `toolType`.
   */
  findDeclaration?(call: Item, tools: readonly Tool[]): Tool | undefined;
  /**
   * Run the call and return the matching result step (`code_execution_result`, …) with `call_id` set.
   * Report a failure the model should see as a result with `is_error: true`; a throw becomes one too.
   */
  execute(call: Item, ctx: ServerToolContext): Promise<Item>;
}
