import { request } from "node:https";

export interface JsonResponse {
  status: number;
  body: unknown;
}

/**
 * A GET over HTTPS that trusts only the given CA (the dev tenant's). Built on node:https so that
 * `tenant status` stays fast; mcp-entra's other clients use trustedFetch.
 */
export function getJson(
  url: string,
  options: { caPem: string; headers?: Record<string, string>; timeoutMs?: number },
): Promise<JsonResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: "GET",
        ca: options.caPem,
        headers: { accept: "application/json", ...options.headers },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString("utf8");
          try {
            resolve({ status: res.statusCode ?? 0, body: text ? JSON.parse(text) : undefined });
          } catch {
            resolve({ status: res.statusCode ?? 0, body: text });
          }
        });
        res.on("error", reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 2000, () => req.destroy(new Error(`No answer from ${url}`)));
    req.on("error", reject);
    req.end();
  });
}

/** The tenant id reported by /health, or undefined when nothing healthy answers. */
export async function healthyTenantId(
  url: string,
  caPem: string,
  timeoutMs = 2000,
): Promise<string | undefined> {
  try {
    const { status, body } = await getJson(`${url}/health`, { caPem, timeoutMs });
    const tenantId = (body as { tenantId?: unknown } | undefined)?.tenantId;
    return status === 200 && typeof tenantId === "string" ? tenantId : undefined;
  } catch {
    return undefined;
  }
}
