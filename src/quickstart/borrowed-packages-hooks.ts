/**
 * Module resolution hooks (node:module register) for borrowed-packages.ts: a bare specifier that the
 * importing project cannot resolve is resolved again from mcp-entra's package root. Relative, absolute
 * and URL specifiers, and every other failure, are left as they are.
 */

interface ResolveContext {
  parentURL?: string;
  conditions: string[];
  importAttributes: Record<string, string>;
}
type NextResolve = (specifier: string, context?: Partial<ResolveContext>) => Promise<unknown>;

let fallbackParentURL: string | undefined;

export function initialize(data: { parentURL: string }): void {
  fallbackParentURL = data.parentURL;
}

export async function resolve(
  specifier: string,
  context: ResolveContext,
  nextResolve: NextResolve,
): Promise<unknown> {
  try {
    return await nextResolve(specifier, context);
  } catch (error) {
    const notFound = (error as NodeJS.ErrnoException | undefined)?.code === "ERR_MODULE_NOT_FOUND";
    if (!notFound || !fallbackParentURL || !isBareSpecifier(specifier)) throw error;
    return nextResolve(specifier, { ...context, parentURL: fallbackParentURL });
  }
}

/** `express` or `@scope/name/sub`, not `./x`, `/x`, `node:fs` or `file:///x`. */
function isBareSpecifier(specifier: string): boolean {
  return !/^[./]/.test(specifier) && !/^[a-z][a-z0-9+.-]*:/i.test(specifier);
}
