import type { Client } from "@microsoft/microsoft-graph-client";
import { graphFailure } from "./graph-failure.js";
import { type RetryPolicy, withRetry } from "./graph-retry.js";

export type WriteMethod = "POST" | "PATCH" | "DELETE";

/** A write as it was made, or (in a dry run) as it would have been made. Bodies carry no secrets. */
export interface GraphWrite {
  method: WriteMethod;
  path: string;
  body?: unknown;
  purpose: string;
}

export interface CallOptions {
  /** Retry the errors Graph returns while a just-created object replicates. */
  replication?: boolean;
  headers?: Record<string, string>;
}

/**
 * The Graph calls `register` and its lifecycle commands make: reads (404 → undefined), writes with
 * retries, a count of round trips, and a dry-run mode that performs reads but only records writes.
 */
export class GraphApi {
  readonly writes: GraphWrite[] = [];
  roundTrips = 0;

  constructor(
    private readonly client: Client,
    private readonly policy: RetryPolicy,
    readonly dryRun = false,
  ) {}

  async get<T>(path: string, options: CallOptions = {}): Promise<T | undefined> {
    try {
      return await withRetry(
        `GET ${path}`,
        () => this.send<T>("GET", path, undefined, options),
        this.policy,
        {
          replication: options.replication,
        },
      );
    } catch (error) {
      if (graphFailure(error)?.status === 404) return undefined;
      throw error;
    }
  }

  /** GET of a collection: every page's `value`, following @odata.nextLink. */
  async list<T>(path: string, options: CallOptions = {}): Promise<T[]> {
    const items: T[] = [];
    let next: string | undefined = path;
    while (next) {
      const page: { value?: T[]; "@odata.nextLink"?: string } | undefined = await this.get(next, options);
      items.push(...(page?.value ?? []));
      next = page?.["@odata.nextLink"];
    }
    return items;
  }

  /**
   * A write. In a dry run nothing is sent: the write is recorded and `simulated` stands in for
   * Graph's answer so that later steps can be planned.
   */
  async write<T>(write: GraphWrite & CallOptions & { simulated?: T }): Promise<T> {
    const { simulated, ...recorded } = write;
    this.writes.push({
      method: recorded.method,
      path: recorded.path,
      body: recorded.body,
      purpose: recorded.purpose,
    });
    if (this.dryRun) return simulated as T;
    return withRetry(
      `${write.method} ${write.path}`,
      () => this.send<T>(write.method, write.path, write.body, write),
      this.policy,
      { replication: write.replication },
    );
  }

  private async send<T>(method: string, path: string, body: unknown, options: CallOptions): Promise<T> {
    this.roundTrips++;
    let request = this.client.api(path);
    if (options.headers) request = request.headers(options.headers);
    switch (method) {
      case "GET":
        return request.get();
      case "POST":
        return request.post(body ?? {});
      case "PATCH":
        return request.patch(body ?? {});
      default:
        return request.delete();
    }
  }
}
