import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

const playlist = (
  id: number | undefined,
  name: string,
  tier: string,
  value: number,
  division: string,
) => ({
  type: 'playlist',
  attributes: { playlistId: id, season: 35 },
  metadata: { name },
  stats: {
    tier: {
      value,
      metadata: { name: tier, iconUrl: `https://trackercdn.com/cdn/s4-${value}.png` },
    },
    division: { value: 2, metadata: { name: division } },
    rating: { value: 900 + value * 10 },
  },
});

/** A profile as the tracker's `/standard/profile/<platform>/<user>` answers it. */
export function trackerProfile(handle: string, twos = 'Champion I') {
  return {
    data: {
      platformInfo: { platformSlug: 'epic', platformUserId: null, platformUserHandle: handle },
      segments: [
        {
          type: 'overview',
          attributes: {},
          metadata: { name: 'Lifetime' },
          stats: {
            wins: { value: 1200 },
            tier: { metadata: { name: 'Champion I' } },
            seasonRewardLevel: { metadata: { name: 'Champion I' } },
          },
        },
        playlist(10, 'Ranked Duel 1v1', 'Diamond II', 14, 'Division III'),
        playlist(11, 'Ranked Doubles 2v2', twos, 16, 'Division I'),
        playlist(13, 'Ranked Standard 3v3', 'Diamond III', 15, 'Division IV'),
        playlist(0, 'Un-Ranked', 'Unranked', 0, ''),
      ],
    },
  };
}

/** The Rocket League stats tracker: known players answer a profile, others the tracker's 404. */
export class FakeTracker {
  readonly hits = new Map<string, number>();
  readonly players = new Map<string, string>([['epic:rocketeer', 'Rocketeer']]);
  /** A player's 2v2 tier, to make them climb. */
  readonly twos = new Map<string, string>();
  /** How long each answer takes, and how many were under way at once at most. */
  delayMs = 0;
  inFlight = 0;
  maxInFlight = 0;
  private server?: Server;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const match = /^\/standard\/profile\/(\w+)\/([^/?]+)/.exec(req.url ?? '');
      const key = match ? `${match[1]}:${decodeURIComponent(match[2]).toLowerCase()}` : '';
      this.hits.set(key, (this.hits.get(key) ?? 0) + 1);
      const handle = this.players.get(key);
      this.inFlight += 1;
      this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
      const answer = () => {
        this.inFlight -= 1;
        res.writeHead(handle ? 200 : 404, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify(
            handle
              ? trackerProfile(handle, this.twos.get(key))
              : {
                  errors: [
                    { code: 'CollectorResultStatus::NotFound', message: 'Player not found' },
                  ],
                },
          ),
        );
      };
      if (this.delayMs > 0) setTimeout(answer, this.delayMs).unref();
      else answer();
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.base = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** A FlareSolverr in front of the tracker: `request.get` answers the tracker's JSON inside a page. */
export class FakeFlareSolverr {
  readonly requests: { cmd: string; url: string }[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly tracker: FakeTracker) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as {
          cmd: string;
          url: string;
        };
        this.requests.push(body);
        const match = /\/standard\/profile\/(\w+)\/([^/?]+)/.exec(body.url);
        const key = match ? `${match[1]}:${decodeURIComponent(match[2]).toLowerCase()}` : '';
        const handle = this.tracker.players.get(key);
        const json = JSON.stringify(
          handle
            ? trackerProfile(handle)
            : { errors: [{ code: 'CollectorResultStatus::NotFound' }] },
        )
          .replaceAll('&', '&amp;')
          .replaceAll('<', '&lt;')
          .replaceAll('"', '&quot;');
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'ok',
            message: 'Challenge not detected!',
            solution: {
              url: body.url,
              status: handle ? 200 : 404,
              response: `<html><head></head><body><pre style="word-wrap: break-word;">${json}</pre></body></html>`,
            },
          }),
        );
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/v1`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}
