import { BlockList, isIPv4, isIPv6 } from "node:net";

/**
 * Addresses a Client ID Metadata Document URL must not reach unless the operator allows it
 * (PROXY_CIMD_ALLOW_PRIVATE_NETWORK): fetching a URL that anyone can put in a client_id would
 * otherwise let anyone probe this server's network (SSRF) — cloud metadata services included.
 * IPv6 addresses that carry an IPv4 one (mapped, translated, compatible, NAT64, 6to4) are judged by
 * the IPv4 address inside; special-purpose IPv6 ranges that can reach anything local are refused.
 */
const blocked = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8], // "this network"
  ["10.0.0.0", 8],
  ["100.64.0.0", 10], // carrier-grade NAT
  ["127.0.0.0", 8],
  ["169.254.0.0", 16], // link-local, cloud metadata services
  ["172.16.0.0", 12],
  ["192.0.0.0", 24], // IETF protocol assignments
  ["192.0.2.0", 24], // documentation
  ["192.88.99.0", 24], // 6to4 relays
  ["192.168.0.0", 16],
  ["198.18.0.0", 15], // benchmarking
  ["198.51.100.0", 24], // documentation
  ["203.0.113.0", 24], // documentation
  ["224.0.0.0", 3], // multicast, reserved, broadcast
] as const) {
  blocked.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["64:ff9b:1::", 48], // local-use NAT64 (RFC 8215): translates to whatever the operator chose
  ["100::", 64], // discard-only
  ["2001::", 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID, …
  ["2001:db8::", 32], // documentation
  ["3fff::", 20], // documentation
  ["5f00::", 16], // SRv6 segment identifiers
  ["fc00::", 7], // unique local
  ["fe80::", 10], // link-local
  ["fec0::", 10], // site-local (deprecated)
  ["ff00::", 8], // multicast
] as const) {
  blocked.addSubnet(network, prefix, "ipv6");
}

/** True for loopback, private, link-local, shared, multicast and reserved addresses. */
export function isPrivateAddress(address: string): boolean {
  const bare = address.replace(/%.*$/, "");
  if (isIPv4(bare)) return blocked.check(bare, "ipv4");
  if (!isIPv6(bare)) return true;
  const words = ipv6Words(bare);
  const inside = embeddedIpv4(words);
  if (inside) return isPrivateAddress(inside);
  return blocked.check(bare, "ipv6");
}

/** The IPv4 address an IPv6 address carries, where it carries one by a standard embedding. */
function embeddedIpv4(w: number[]): string | undefined {
  const zero = (from: number, to: number) => w.slice(from, to).every((word) => word === 0);
  const ipv4 = (high: number, low: number) => [high >> 8, high & 255, low >> 8, low & 255].join(".");
  if (zero(0, 5) && w[5] === 0xffff) return ipv4(w[6]!, w[7]!); // ::ffff:a.b.c.d, mapped
  if (zero(0, 4) && w[4] === 0xffff && w[5] === 0) return ipv4(w[6]!, w[7]!); // ::ffff:0:a.b.c.d, translated
  if (zero(0, 6)) return ipv4(w[6]!, w[7]!); // ::a.b.c.d, compatible (and :: and ::1, as 0.0.0.x)
  if (w[0] === 0x64 && w[1] === 0xff9b && zero(2, 6)) return ipv4(w[6]!, w[7]!); // 64:ff9b::/96, NAT64
  if (w[0] === 0x2002) return ipv4(w[1]!, w[2]!); // 2002::/16, 6to4
  return undefined;
}

/** The eight 16-bit words of a valid IPv6 address (`::` expanded, a dotted IPv4 tail converted). */
function ipv6Words(address: string): number[] {
  let text = address;
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string | undefined) =>
    part ? part.split(":").map((word) => Number.parseInt(word, 16)) : [];
  const first = parse(head);
  const last = parse(tail);
  const gap = tail === undefined ? [] : Array<number>(8 - first.length - last.length).fill(0);
  return [...first, ...gap, ...last];
}
