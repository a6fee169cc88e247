import { Logger } from '@nestjs/common';
import { DomainError } from '../errors';

export interface UpstreamOptions {
  /** Shown in errors, logs and /api/health: `reddit`, `lemmy`, `rocket-league`. */
  name: string;
  timeoutMs: number;
  /** Larger answers are cut off and refused. */
  maxBytes: number;
  /** Further tries after a 5xx, a 429 or a network failure. */
  retries: number;
  /** The first retry's wait, doubled each time; a Retry-After (up to 5 s) wins. */
  retryBaseMs: number;
  userAgent: string;
  /** Sent with every call (an API key). */
  headers?: Record<string, string>;
}

export interface UpstreamHealth {
  status: 'ok' | 'warning';
  last_success: string | null;
  last_failure: string | null;
  last_error: string | null;
}

const MAX_RETRY_AFTER_MS = 5000;

/**
 * JSON over HTTP from a service outside Guildhall (Reddit, Lemmy, the Rocket League tracker), with
 * the manners every such call needs: a timeout, a size cap, retries with backoff for 5xx and 429
 * (honouring Retry-After), and a record of the last success and failure for /api/health. Failures
 * become coded errors: 504 UPSTREAM_TIMEOUT, 502 UPSTREAM_ERROR; `notFound` answers are left to
 * the caller (null).
 */
export class UpstreamClient {
  private readonly logger: Logger;
  private lastSuccess: Date | null = null;
  private lastFailure: Date | null = null;
  private lastError: string | null = null;

  constructor(readonly options: UpstreamOptions) {
    this.logger = new Logger(`Upstream ${options.name}`);
  }

  /** The parsed JSON body, or null for a 404. */
  getJson(url: string): Promise<unknown> {
    return this.call(url);
  }

  /** The same for a POST of a JSON body. */
  postJson(url: string, body: unknown): Promise<unknown> {
    return this.call(url, { method: 'POST', body: JSON.stringify(body) });
  }

  private async call(url: string, init?: { method: string; body: string }): Promise<unknown> {
    const { retries, retryBaseMs } = this.options;
    for (let attempt = 0; ; attempt += 1) {
      try {
        const result = await this.once(url, init);
        this.lastSuccess = new Date();
        return result;
      } catch (error) {
        const retry = error instanceof Retryable && attempt < retries;
        if (!retry) {
          const failure = this.failed(error);
          throw failure;
        }
        const wait = error.retryAfterMs ?? retryBaseMs * 2 ** attempt;
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, MAX_RETRY_AFTER_MS)));
      }
    }
  }

  health(): UpstreamHealth {
    const failing =
      this.lastFailure !== null &&
      (this.lastSuccess === null || this.lastFailure > this.lastSuccess);
    return {
      status: failing ? 'warning' : 'ok',
      last_success: this.lastSuccess?.toISOString() ?? null,
      last_failure: this.lastFailure?.toISOString() ?? null,
      last_error: this.lastError,
    };
  }

  private async once(url: string, init?: { method: string; body: string }): Promise<unknown> {
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    let res: Response;
    try {
      res = await fetch(url, {
        signal,
        method: init?.method ?? 'GET',
        body: init?.body,
        headers: {
          ...this.options.headers,
          'User-Agent': this.options.userAgent,
          Accept: 'application/json',
          ...(init ? { 'Content-Type': 'application/json' } : {}),
        },
      });
    } catch (error) {
      if (signal.aborted) throw new Timeout();
      throw new Retryable(`network: ${(error as Error).message}`);
    }
    if (res.status === 404) {
      await res.body?.cancel();
      return null;
    }
    if (res.status === 429 || res.status >= 500) {
      await res.body?.cancel();
      const after = Number(res.headers.get('retry-after'));
      throw new Retryable(
        `HTTP ${res.status}`,
        Number.isFinite(after) && after >= 0 ? after * 1000 : undefined,
      );
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new Refused(`HTTP ${res.status}`);
    }
    const text = await this.readCapped(res, signal);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new Refused('not JSON');
    }
  }

  private async readCapped(res: Response, signal: AbortSignal): Promise<string> {
    const declared = Number(res.headers.get('content-length') ?? 0);
    if (declared > this.options.maxBytes) {
      await res.body?.cancel();
      throw new Refused(`answer larger than ${this.options.maxBytes} bytes`);
    }
    const reader = (res.body as ReadableStream<Uint8Array> | null)?.getReader();
    if (!reader) return '';
    const chunks: Uint8Array[] = [];
    let size = 0;
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.length;
        if (size > this.options.maxBytes) {
          await reader.cancel();
          throw new Refused(`answer larger than ${this.options.maxBytes} bytes`);
        }
        chunks.push(value);
      }
    } catch (error) {
      if (error instanceof Refused) throw error;
      if (signal.aborted) throw new Timeout();
      throw new Retryable(`network: ${(error as Error).message}`);
    }
    return Buffer.concat(chunks).toString('utf8');
  }

  private failed(error: unknown): DomainError {
    this.lastFailure = new Date();
    this.lastError = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      { upstream: this.options.name, detail: this.lastError },
      'Upstream call failed',
    );
    const name = this.options.name;
    const failure =
      error instanceof Timeout
        ? new DomainError('UPSTREAM_TIMEOUT', 504, `${name} did not answer in time`)
        : new DomainError('UPSTREAM_ERROR', 502, `${name} failed: ${this.lastError}`);
    // An outage of someone else's service passes by itself: the client may try again later.
    failure.retryAfterSeconds = 30;
    return failure;
  }
}

class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}
class Refused extends Error {}
class Timeout extends Error {
  constructor() {
    super('timed out');
  }
}
