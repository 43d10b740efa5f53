import type { IncomingMessage } from "node:http";

export interface LoadBalancer {
  /** Where it listens, on 127.0.0.1. */
  port: number;
  /** Scripts where requests go: the index of an instance, or undefined for the next in turn. */
  route(chooser: ((request: IncomingMessage) => number | undefined) | undefined): void;
  close(): Promise<void>;
}

/** Balances over the instances listening on 127.0.0.1 at `ports`. */
export function startLoadBalancer(ports: number[]): Promise<LoadBalancer>;
