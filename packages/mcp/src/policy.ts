/** The policy's rules, as small pure functions shared by the hosted and client-side paths. */
import type { McpApproval, McpPolicy, McpToolFilter, McpToolInfo } from './options.ts';

const matches = (filter: McpToolFilter, tool: McpToolInfo): boolean =>
  typeof filter === 'function' ? filter(tool) : filter.includes(tool.name);

/** Allowed by `allowTools` (when set) and not denied by `denyTools`. */
export function isToolAllowed(policy: McpPolicy, tool: McpToolInfo): boolean {
  if (policy.allowTools !== undefined && !matches(policy.allowTools, tool)) return false;
  if (policy.denyTools !== undefined && matches(policy.denyTools, tool)) return false;
  return true;
}

/**
 * The tool names a hosted declaration can list without asking the server: only a plain name list with no
 * deny filter. `undefined` means the filter needs the server's tool list (predicates, deny lists).
 */
export function staticAllowList(policy: McpPolicy): readonly string[] | undefined {
  if (policy.denyTools !== undefined) return undefined;
  return Array.isArray(policy.allowTools) ? (policy.allowTools as readonly string[]) : undefined;
}

/** Whether the policy can ever ask for approval (hosted calls cannot pause). */
export const mayNeedApproval = (approval: McpApproval | undefined): boolean =>
  approval === undefined || approval === false ? false : !(Array.isArray(approval) && approval.length === 0);

/** Approval for one call, as core's `needsApproval` of the bridged tool. */
export function approvalFor(
  approval: McpApproval | undefined,
  tool: McpToolInfo,
): boolean | ((args: Record<string, unknown>) => boolean | Promise<boolean>) {
  if (approval === undefined || typeof approval === 'boolean') return approval ?? false;
  if (typeof approval === 'function') return (args) => approval(tool, args);
  return (approval as readonly string[]).includes(tool.name);
}
