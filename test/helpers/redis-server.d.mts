export interface RedisServer {
  /** redis://127.0.0.1:<port> */
  url: string;
  /** Ends it (SIGTERM by default: it saves its data first). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port, with the data it saved. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a redis-server on a free port with a folder of its own; resolves once it accepts connections. */
export function startRedisServer(): Promise<RedisServer>;

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number>;
