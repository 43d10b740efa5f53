import { createHash } from "node:crypto";
import type { RedisConnection } from "./redis-connection.js";

/**
 * The Lua scripts that make the proxy's compound changes atomic in Redis: however many instances
 * ask at once, Redis runs one script at a time. Each names every key it touches (KEYS), and
 * redis-store.ts puts all of a server's keys under one hash tag, so they also run on a cluster.
 */
export interface RedisScript {
  source: string;
  sha: string;
}

function script(source: string): RedisScript {
  return { source, sha: createHash("sha1").update(source).digest("hex") };
}

/**
 * Adds a one-time record unless its kind (KEYS[2]) or group (KEYS[3], optional) is full; the sets
 * hold each live record's key scored by its expiry, so expired ones stop counting.
 * ARGV: record, expires at, now, TTL ms, total limit, group limit, member.
 */
export const ADD_RECORD = script(`
local now = tonumber(ARGV[3])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[5]) then return 0 end
if KEYS[3] then
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', now)
  if redis.call('ZCARD', KEYS[3]) >= tonumber(ARGV[6]) then return 0 end
  redis.call('ZADD', KEYS[3], ARGV[2], ARGV[7])
  redis.call('PEXPIRE', KEYS[3], ARGV[4])
end
redis.call('ZADD', KEYS[2], ARGV[2], ARGV[7])
redis.call('PEXPIRE', KEYS[2], ARGV[4])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
return 1
`);

/**
 * Gets and removes a one-time record (nil if absent or expired) and its place in its group's set,
 * whose key is ARGV[5] followed by the group (under the same hash tag as KEYS, so in the same slot);
 * leaves ARGV[3] in its place for ARGV[4] ms when given.
 * ARGV: now, member, trace ('' for none), trace TTL ms, group key prefix.
 */
export const TAKE_RECORD = script(`
local raw = redis.call('GET', KEYS[1])
if not raw then return false end
redis.call('ZREM', KEYS[2], ARGV[2])
local record = cjson.decode(raw)
if type(record.g) == 'string' then redis.call('ZREM', ARGV[5] .. record.g, ARGV[2]) end
if tonumber(record.e) <= tonumber(ARGV[1]) then
  redis.call('DEL', KEYS[1])
  return false
end
if ARGV[3] ~= '' then
  redis.call('SET', KEYS[1], ARGV[3], 'PX', ARGV[4])
else
  redis.call('DEL', KEYS[1])
end
return raw
`);

/** Stores a new client unless MAX_CLIENTS are registered. KEYS: client, count. ARGV: client, limit. */
export const ADD_CLIENT = script(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if tonumber(redis.call('GET', KEYS[2]) or '0') >= tonumber(ARGV[2]) then return 0 end
redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1])
return 1
`);

/**
 * Replaces a refresh-token family only if it is live and still at generation ARGV[2] (compare and
 * set). ARGV: next family, generation, now, TTL ms.
 */
export const REPLACE_FAMILY = script(`
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local family = cjson.decode(raw)
if family.revoked or family.generation ~= tonumber(ARGV[2]) or family.expiresAt <= tonumber(ARGV[3]) then
  return 0
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[4])
return 1
`);

/**
 * Revokes a family, known or not: what stays is its id and the mark, until the later of ARGV[2] and
 * its own expiry. ARGV: id, until, now.
 */
export const REVOKE_FAMILY = script(`
local untilMs = tonumber(ARGV[2])
local raw = redis.call('GET', KEYS[1])
if raw then
  local family = cjson.decode(raw)
  if tonumber(family.expiresAt) and family.expiresAt > untilMs then untilMs = family.expiresAt end
end
local ttl = math.max(1, untilMs - tonumber(ARGV[3]))
local revoked = '{"id":' .. cjson.encode(ARGV[1]) .. ',"revoked":true,"expiresAt":' .. string.format('%d', untilMs) .. '}'
redis.call('SET', KEYS[1], revoked, 'PX', string.format('%d', ttl))
return 1
`);

/** Runs a script by its hash, sending its source only the first time Redis does not know it. */
export async function runScript(
  redis: RedisConnection,
  { source, sha }: RedisScript,
  keys: string[],
  args: (string | number)[],
): Promise<unknown> {
  const options = { keys, arguments: args.map(String) };
  try {
    return await redis.evalSha(sha, options);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith("NOSCRIPT"))) throw error;
    return redis.eval(source, options);
  }
}
