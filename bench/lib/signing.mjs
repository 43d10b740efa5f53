import { generateKeyPairSync, sign } from "node:crypto";
import { Worker } from "node:worker_threads";
import { round } from "./stats.mjs";

/** A payload the size of a typical access token. */
const PAYLOAD = Buffer.from(
  `eyJhbGciOiJSUzI1NiIsInR5cCI6IkpXVCJ9.${Buffer.from(JSON.stringify({ aud: "x".repeat(36), iss: "y".repeat(60), scp: "user_impersonation", oid: "z".repeat(36), tid: "t".repeat(36), iat: 1, nbf: 1, exp: 2 })).toString("base64url")}`,
);

/** Raw RS256 (2048-bit) signatures per second on one thread, for `ms` milliseconds. */
export function signRateOneThread(ms = 2000) {
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const end = performance.now() + ms;
  let count = 0;
  while (performance.now() < end) {
    sign("sha256", PAYLOAD, privateKey);
    count++;
  }
  return count / (ms / 1000);
}

/** The machine's RS256 signing limit: one signing thread per core, all at once. */
export async function signRateAllCores(threads, ms = 2000) {
  const source = `
    const { parentPort, workerData } = require("node:worker_threads");
    const { generateKeyPairSync, sign } = require("node:crypto");
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
    const payload = Buffer.from(workerData.payload, "base64");
    const end = performance.now() + workerData.ms;
    let count = 0;
    while (performance.now() < end) { sign("sha256", payload, privateKey); count++; }
    parentPort.postMessage(count);
  `;
  const counts = await Promise.all(
    Array.from(
      { length: threads },
      () =>
        new Promise((resolve, reject) => {
          const worker = new Worker(source, {
            eval: true,
            workerData: { payload: PAYLOAD.toString("base64"), ms },
          });
          worker.once("message", resolve);
          worker.once("error", reject);
        }),
    ),
  );
  return round(counts.reduce((a, b) => a + b, 0) / (ms / 1000), 0);
}
