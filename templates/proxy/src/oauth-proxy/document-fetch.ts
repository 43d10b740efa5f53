import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import { Agent, fetch } from "undici";
import { isPrivateAddress } from "./private-addresses.js";

/** Fetches a JSON document from a URL a client gave (its Client ID Metadata Document). */
export type DocumentFetch = (url: string) => Promise<unknown>;

/** The document could not be had; the message says why without echoing what the host answered. */
export class DocumentFetchError extends Error {
  override readonly name = "DocumentFetchError";
}

const MAX_BYTES = 5 * 1024;
const TIMEOUT_MS = 5_000;

/**
 * GET with limits: 5 s, 5 KiB, no redirects, https only (checked by the caller), and — unless
 * allowed — no loopback or private addresses, checked on the address actually connected to (so a
 * DNS name that resolves to 127.0.0.1 or 169.254.169.254 is refused too).
 */
export function createDocumentFetch(options: { allowPrivateNetwork: boolean }): DocumentFetch {
  const dispatcher = new Agent({
    connect: options.allowPrivateNetwork ? {} : { lookup: publicOnlyLookup },
    headersTimeout: TIMEOUT_MS,
    bodyTimeout: TIMEOUT_MS,
  });
  return async (url) => {
    const host = new URL(url).hostname.replace(/^\[|\]$/g, "");
    if (!options.allowPrivateNetwork && isIP(host) && isPrivateAddress(host)) {
      throw new DocumentFetchError("its host is a private or loopback address");
    }
    let response: Awaited<ReturnType<typeof fetch>>;
    try {
      response = await fetch(url, {
        dispatcher,
        redirect: "error",
        headers: { Accept: "application/json" },
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
    } catch (error) {
      throw new DocumentFetchError("it could not be fetched", { cause: error });
    }
    if (response.status !== 200) {
      await response.body?.cancel();
      throw new DocumentFetchError(`it answered HTTP ${response.status}`);
    }
    const text = await readAtMost(response, MAX_BYTES);
    try {
      return JSON.parse(text);
    } catch {
      throw new DocumentFetchError("it is not JSON");
    }
  };
}

async function readAtMost(response: Awaited<ReturnType<typeof fetch>>, limit: number): Promise<string> {
  if (!response.body) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = (await reader.read()) as { done: boolean; value?: Uint8Array };
    if (done || !value) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      throw new DocumentFetchError(`it is larger than ${limit} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** dns.lookup that fails for names resolving to a private address (every address is checked). */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
    if (error) return callback(error, "", 0);
    if (addresses.length === 0 || addresses.some((entry) => isPrivateAddress(entry.address))) {
      const refused = Object.assign(new Error(`${hostname} resolves to a private or loopback address`), {
        code: "EPRIVATEADDRESS",
      });
      return callback(refused, "", 0);
    }
    if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
    return callback(null, addresses[0]!.address, addresses[0]!.family);
  });
};
