// Run as a child process (node jws-signing.mjs '<claims JSON>'): the dev tenant's hand-built JWS
// (SigningKeys.sign from dist/, node:crypto's callback form) against jose's SignJWT (WebCrypto) with
// the same key, header and claims, 16 signatures in flight as the token endpoint has under load.
// Alternating slices (A B A B …); per slice, this process's CPU time per signature (process.cpuUsage:
// every thread, the thread pool that signs included) and signatures per second. Prints one JSON line:
// { hand: [slices], jose: [slices] }, each slice { cpuMs, perSecond }.
import { SignJWT } from "jose";
import { newSigningKey, SigningKeys } from "../../dist/tenant/tokens/signing-keys.js";

const claims = JSON.parse(process.argv[2]);
const ROUNDS = Number(process.argv[3] ?? 7);
const SLICE_MS = Number(process.argv[4] ?? 1500);
const IN_FLIGHT = 16;

const keys = new SigningKeys(() => [record]);
const record = newSigningKey(new Date().toISOString());
const key = keys.active();

const signers = {
  hand: (payload) => keys.sign(payload),
  jose: (payload) =>
    new SignJWT(payload)
      .setProtectedHeader({ typ: "JWT", alg: "RS256", kid: key.record.kid })
      .sign(key.privateKey),
};

/** Signs fresh claims back to back for `ms`, IN_FLIGHT at a time; CPU ms per signature and rate. */
async function slice(sign, ms) {
  let count = 0;
  let stop = false;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const worker = async () => {
    while (!stop) {
      const now = Math.floor(Date.now() / 1000);
      await sign({ ...claims, iat: now, nbf: now, exp: now + 3600 });
      count++;
    }
  };
  const workers = Array.from({ length: IN_FLIGHT }, worker);
  await new Promise((resolve) => setTimeout(resolve, ms));
  stop = true;
  await Promise.all(workers);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return { cpuMs: (cpu.user + cpu.system) / 1000 / count, perSecond: count / seconds };
}

// Both produce the same token shape (checked once), and both warm up before measuring.
const [hand, jose] = await Promise.all([signers.hand(claims), signers.jose(claims)]);
if (hand.split(".")[0] !== jose.split(".")[0]) throw new Error("the two signers' headers differ");
await slice(signers.hand, 300);
await slice(signers.jose, 300);
const results = { hand: [], jose: [] };
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 ? ["jose", "hand"] : ["hand", "jose"];
  for (const name of order) results[name].push(await slice(signers[name], SLICE_MS));
}
process.stdout.write(`${JSON.stringify(results)}\n`);
