import { randomBytes } from "node:crypto";

/** A new unguessable OAuth `state` for one authorization request. */
export function randomState(): string {
  return randomBytes(16).toString("base64url");
}
