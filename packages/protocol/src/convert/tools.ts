/**
 * Tool lists across revisions. The only renamed field is computer_use's excluded functions: camelCase in the
 * legacy docs and SDK ≤ 2.0, snake_case in later steps SDKs (canonical).
 */
import type { Tool } from '../wire/tool.ts';

type ComputerUseFields = {
  excludedPredefinedFunctions?: string[];
  excluded_predefined_functions?: string[];
};

/** Either spelling in, snake_case out. */
export function toolsToCanonical(tools: Tool[] | undefined): Tool[] | undefined {
  return tools?.map((tool) => {
    if (tool.type !== 'computer_use' || tool.excludedPredefinedFunctions === undefined) return tool;
    const { excludedPredefinedFunctions, ...rest }: Tool & ComputerUseFields = tool;
    return {
      ...rest,
      excluded_predefined_functions: rest.excluded_predefined_functions ?? excludedPredefinedFunctions,
    };
  });
}

/** snake_case in, legacy camelCase out. */
export function toolsToLegacy(tools: Tool[] | undefined): Tool[] | undefined {
  return tools?.map((tool) => {
    if (tool.type !== 'computer_use' || tool.excluded_predefined_functions === undefined) return tool;
    const { excluded_predefined_functions, ...rest }: Tool & ComputerUseFields = tool;
    return { ...rest, excludedPredefinedFunctions: excluded_predefined_functions };
  });
}
