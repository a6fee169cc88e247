import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A 1×1 PNG. */
export const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * A stand-in for an image host (i.redd.it and the like): an image, a web page, oversized images
 * with and without a declared length, redirects, a slow answer and a 404. Counts the hits per path.
 */
export class FakeImageHost {
  readonly hits = new Map<string, number>();
  private server?: Server;
  port = 0;

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const path = (req.url ?? '/').split('?')[0];
      this.hits.set(path, (this.hits.get(path) ?? 0) + 1);
      switch (path) {
        case '/cat.png':
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': PNG.length });
          res.end(PNG);
          return;
        case '/page.html':
          res.writeHead(200, { 'Content-Type': 'text/html' });
          res.end('<html>not an image</html>');
          return;
        case '/big.png': {
          // 6 MB without a Content-Length: the proxy must cut it off itself.
          res.writeHead(200, { 'Content-Type': 'image/png' });
          const chunk = Buffer.alloc(64 * 1024, 1);
          let sent = 0;
          const push = (): void => {
            while (sent < 6 * 1024 * 1024) {
              sent += chunk.length;
              if (!res.write(chunk)) {
                res.once('drain', push);
                return;
              }
            }
            res.end();
          };
          res.on('error', () => undefined);
          push();
          return;
        }
        case '/declared-big.png':
          res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 6 * 1024 * 1024 });
          res.end();
          return;
        case '/redirect-ok':
          res.writeHead(302, { Location: '/cat.png' });
          res.end();
          return;
        case '/redirect-evil':
          res.writeHead(302, { Location: 'http://evil.example/cat.png' });
          res.end();
          return;
        case '/redirect-loop':
          res.writeHead(302, { Location: '/redirect-loop' });
          res.end();
          return;
        case '/slow.png':
          setTimeout(() => {
            res.writeHead(200, { 'Content-Type': 'image/png' });
            res.end(PNG);
          }, 10_000).unref();
          return;
        default:
          res.writeHead(404, { 'Content-Type': 'text/plain' });
          res.end('not found');
      }
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** A URL of this host under a name the proxy allows (`localhost` resolves to it). */
  url(path: string): string {
    return `http://localhost:${this.port}${path}`;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
