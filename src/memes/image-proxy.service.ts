import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { BlockList, isIP } from 'node:net';
import { Injectable, Logger, type OnApplicationShutdown } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { AppConfig } from '../core/env';
import { DomainError } from '../core/errors';

export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
const MAX_REDIRECTS = 3;

export interface ProxiedImage {
  body: Buffer;
  contentType: string;
}

const UrlRequired = () => new DomainError('URL_REQUIRED', 400, "Missing 'url' parameter");
const BadUrl = () =>
  new DomainError('INVALID_URL', 400, 'url must be an absolute http or https URL');
const DomainNotAllowed = () => new DomainError('DOMAIN_NOT_ALLOWED', 403, 'URL domain not allowed');
const AddressNotAllowed = () =>
  new DomainError('ADDRESS_NOT_ALLOWED', 403, 'URL address not allowed');
const NotAnImage = () => new DomainError('NOT_AN_IMAGE', 502, 'The URL does not point to an image');
const TooLarge = () =>
  new DomainError(
    'IMAGE_TOO_LARGE',
    502,
    `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB`,
  );
const UpstreamFailed = (detail: string) =>
  new DomainError('UPSTREAM_ERROR', 502, `Could not fetch the image: ${detail}`);
const UpstreamTimeout = () => new DomainError('UPSTREAM_TIMEOUT', 504, 'Image request timed out');

/** Loopback, private, link-local (cloud metadata), carrier-grade NAT, multicast and unspecified. */
const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 3],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  BLOCKED.addSubnet(net, prefix, 'ipv6');

export function isBlockedAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return BLOCKED.check(mapped[1], 'ipv4');
  const family = isIP(address);
  return family === 0 || BLOCKED.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * The image proxy of the web app (contract §2.9), safe where HazeBot's was not: the host must be
 * an allowed host or a subdomain of one (never a substring), the address it resolves to must be
 * public (checked when connecting, so a DNS answer cannot change between check and use),
 * redirects go only to allowed hosts, the body must be an image of at most 5 MB. Recent images
 * are kept in memory, bounded in bytes.
 */
@Injectable()
export class ImageProxyService implements OnApplicationShutdown {
  private readonly logger = new Logger('ImageProxy');
  private readonly cache: LRUCache<string, ProxiedImage> | undefined;
  /**
   * Connections of this proxy's own: a kept-alive socket is reused without a new lookup, so one
   * opened by any other client of the process (the global agent's) would skip the address check.
   */
  private readonly agents = {
    http: new HttpAgent({ keepAlive: true, maxSockets: 32 }),
    https: new HttpsAgent({ keepAlive: true, maxSockets: 32 }),
  };

  constructor(private readonly config: AppConfig) {
    const bytes = config.imageProxy.cacheBytes;
    this.cache =
      bytes > 0
        ? new LRUCache({ maxSize: bytes, sizeCalculation: (image) => image.body.length || 1 })
        : undefined;
  }

  onApplicationShutdown(): void {
    this.agents.http.destroy();
    this.agents.https.destroy();
  }

  async fetch(raw: string | undefined): Promise<ProxiedImage> {
    if (!raw) throw UrlRequired();
    let url = this.allowed(raw);
    const cached = this.cache?.get(url.href);
    if (cached) return cached;
    const deadline = AbortSignal.timeout(this.config.imageProxy.timeoutMs);
    for (let hop = 0; ; hop += 1) {
      const response = await this.get(url, deadline);
      const location = response.headers.location;
      if (
        response.statusCode &&
        response.statusCode >= 300 &&
        response.statusCode < 400 &&
        location
      ) {
        response.resume();
        if (hop >= MAX_REDIRECTS) throw UpstreamFailed('too many redirects');
        url = this.allowed(new URL(location, url).href);
        continue;
      }
      const image = await this.read(response, deadline);
      this.cache?.set(url.href, image);
      return image;
    }
  }

  /** The URL, if its scheme and host may be proxied. */
  private allowed(raw: string): URL {
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      throw BadUrl();
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw BadUrl();
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    const ok = this.config.imageProxy.allowedHosts.some(
      (allowed) => host === allowed || host.endsWith(`.${allowed}`),
    );
    if (!ok) throw DomainNotAllowed();
    return url;
  }

  private get(url: URL, signal: AbortSignal): Promise<IncomingMessage> {
    const allowPrivate = this.config.imageProxy.allowPrivate;
    const https = url.protocol === 'https:';
    const request = https ? httpsRequest : httpRequest;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          signal,
          agent: https ? this.agents.https : this.agents.http,
          headers: { 'User-Agent': 'Guildhall image proxy', Accept: 'image/*' },
          // Every address the name resolves to is checked when the connection is made.
          lookup: (hostname, options, callback) => {
            dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
              if (error) return callback(error, '', 4);
              if (!allowPrivate && addresses.some((a) => isBlockedAddress(a.address)))
                return callback(
                  Object.assign(new Error('blocked address'), { code: 'EBLOCKED' }),
                  '',
                  4,
                );
              if ((options as { all?: boolean }).all)
                return (callback as unknown as (e: null, a: LookupAddress[]) => void)(
                  null,
                  addresses,
                );
              callback(null, addresses[0].address, addresses[0].family);
            });
          },
        },
        resolve,
      );
      req.on('error', (error: NodeJS.ErrnoException) => reject(this.failure(error, signal)));
      req.end();
    });
  }

  private read(response: IncomingMessage, signal: AbortSignal): Promise<ProxiedImage> {
    const status = response.statusCode ?? 0;
    if (status < 200 || status >= 300) {
      response.resume();
      return Promise.reject(UpstreamFailed(`the image host answered ${status}`));
    }
    const contentType = String(response.headers['content-type'] ?? '')
      .split(';')[0]
      .trim();
    if (!/^image\/[\w.+-]+$/i.test(contentType)) {
      response.resume();
      return Promise.reject(NotAnImage());
    }
    if (Number(response.headers['content-length'] ?? 0) > MAX_IMAGE_BYTES) {
      response.destroy();
      return Promise.reject(TooLarge());
    }
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_IMAGE_BYTES) {
          response.destroy();
          reject(TooLarge());
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ body: Buffer.concat(chunks), contentType }));
      response.on('error', (error: NodeJS.ErrnoException) => reject(this.failure(error, signal)));
    });
  }

  private failure(error: NodeJS.ErrnoException, signal: AbortSignal): DomainError {
    if (error.code === 'EBLOCKED') return AddressNotAllowed();
    if (signal.aborted) return UpstreamTimeout();
    this.logger.warn({ err: error }, 'Image host failed');
    return UpstreamFailed(error.code ?? error.message);
  }
}
