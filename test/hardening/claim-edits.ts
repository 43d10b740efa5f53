import type { FuzzContext } from "./token-mutations.js";

/** Claim edits for forged tokens: the ones no signer may get past the validator, and harmless ones. */

export const OTHER_GUID = "0b5b5c1e-7b9e-4a47-9a39-2c8c1a7f0d11";

export const DELETE = Symbol("delete");

/** Claims set to a value (computed from the context), or deleted. */
export type Edit = [claims: string[], value: (ctx: FuzzContext) => unknown];

export function edit(claims: string | string[], value: (ctx: FuzzContext) => unknown): Edit;
export function edit(claims: string | string[], value: unknown): Edit;
export function edit(claims: string | string[], value: unknown): Edit {
  return [
    typeof claims === "string" ? [claims] : claims,
    typeof value === "function" ? (value as (ctx: FuzzContext) => unknown) : () => value,
  ];
}

export function applyEdit([claims, value]: Edit, target: Record<string, unknown>, ctx: FuzzContext): string {
  const v = value(ctx);
  for (const claim of claims) {
    if (v === DELETE) delete target[claim];
    else target[claim] = v;
  }
  const shown = v === DELETE ? "deleted" : `= ${JSON.stringify(v)?.slice(0, 80)}`;
  return `${claims.join(", ")} ${shown}`;
}

export const now = () => Math.floor(Date.now() / 1000);

/** Claim changes that make a token unacceptable even when the tenant itself signed it. */
export const FATAL_EDITS: Edit[] = [
  edit("iss", (x) => x.issuer.replace(x.tenantId, OTHER_GUID)),
  edit("iss", (x) => x.v1Issuer),
  edit("iss", (x) => `${x.issuer}/`),
  edit("iss", (x) => x.issuer.toUpperCase()),
  edit("iss", (x) => x.issuer.replace(/\/v2\.0$/, "")),
  edit("iss", (x) => `https://login.microsoftonline.com/${x.tenantId}/v2.0`),
  edit("iss", (x) => [x.issuer]),
  edit("iss", ""),
  edit("iss", 42),
  edit("iss", DELETE),
  edit("aud", OTHER_GUID),
  edit("aud", `api://${OTHER_GUID}`),
  edit("aud", (x) => `${x.appIdUri}/`),
  edit("aud", (x) => x.apiAppId.toUpperCase()),
  edit("aud", []),
  edit("aud", [OTHER_GUID]),
  edit("aud", (x) => ({ aud: x.apiAppId })),
  edit("aud", 1),
  edit("aud", DELETE),
  edit("tid", OTHER_GUID),
  edit("tid", (x) => [x.tenantId]),
  edit("tid", (x) => ({ toString: x.tenantId })),
  edit("tid", 7),
  edit("tid", null),
  edit("tid", DELETE),
  edit("exp", () => now() - 120),
  edit("exp", 0),
  edit("exp", () => String(now() + 3600)),
  edit("exp", null),
  edit("exp", DELETE),
  edit("nbf", () => now() + 600),
  edit("nbf", "0"),
  edit(["azp", "appid"], DELETE),
  edit("azp", 12345),
  edit("azp", (x) => [x.apiAppId]),
  edit("azp", null),
  edit("oid", 1),
  edit("scp", 1),
  edit("scp", ["access_as_user"]),
  edit("scp", { access_as_user: true }),
  edit("roles", "Tools.Read"),
  edit("roles", [1, "Tools.Read"]),
  edit("roles", { 0: "Tools.Read", length: 1 }),
  edit("roles", [["Tools.Read"]]),
];

/** Claim changes of any kind (fatal or not): without the tenant's key the signature fails anyway. */
export const ANY_EDITS: Edit[] = [
  ...FATAL_EDITS,
  edit("ver", "1.0"),
  edit("ver", 2),
  edit("ver", DELETE),
  edit("scp", "access_as_user Admin.All"),
  edit("roles", ["Tools.Admin"]),
  edit("exp", () => now() + 10 * 365 * 86400),
  edit("oid", OTHER_GUID),
  edit("name", "Mallory"),
  edit("tid", (x) => x.tenantId.toUpperCase()),
  edit("aud", (x) => [OTHER_GUID, x.apiAppId]),
];
