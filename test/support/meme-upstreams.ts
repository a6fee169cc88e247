import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** The oversized listing of `/r/bigmemes`. */
let BIG_LISTING: Buffer | undefined;

const redditPost = (sub: string, id: string, data: Record<string, unknown>) => ({
  kind: 't3',
  data: {
    id,
    title: `Post ${id}`,
    author: `author_${id}`,
    ups: 100,
    score: 100,
    over_18: false,
    stickied: false,
    is_video: false,
    permalink: `/r/${sub}/comments/${id}/post_${id}/`,
    url: `https://i.redd.it/${sub}-${id}.png`,
    ...data,
  },
});

/** A listing as Reddit's `/r/<sub>/hot.json` answers it, with the posts a meme picker must skip. */
export const redditListing = (sub: string) => ({
  kind: 'Listing',
  data: {
    after: 't3_zzz',
    children: [
      redditPost(sub, 'sticky', { stickied: true, ups: 9000 }),
      redditPost(sub, 'a1', { ups: 500 }),
      redditPost(sub, 'a2', { ups: 300, url: `https://i.redd.it/${sub}-a2.jpg` }),
      redditPost(sub, 'imgur', { ups: 120, url: `https://i.imgur.com/${sub}-xyz` }),
      redditPost(sub, 'video', { is_video: true, url: 'https://v.redd.it/video' }),
      redditPost(sub, 'gallery', { is_gallery: true, url: 'https://www.reddit.com/gallery/g1' }),
      redditPost(sub, 'link', { url: 'https://example.com/article.html', ups: 800 }),
      redditPost(sub, 'nsfw', { over_18: true, ups: 700 }),
      redditPost(sub, 'low', { ups: 10 }),
    ],
  },
});

/** A Lemmy v3 `post/list` answer. */
export const LEMMY_LIST = {
  posts: [
    {
      post: {
        id: 1,
        name: 'Lemmy one',
        url: 'https://lemmy.world/pictrs/image/one.webp',
        nsfw: false,
        ap_id: 'https://lemmy.world/post/1',
      },
      creator: { name: 'lemming' },
      counts: { score: 80 },
      community: { name: 'memes' },
    },
    {
      post: {
        id: 2,
        name: 'Not an image',
        url: 'https://example.com/page',
        nsfw: false,
        ap_id: 'https://lemmy.world/post/2',
      },
      creator: { name: 'lemming' },
      counts: { score: 90 },
    },
    {
      post: {
        id: 3,
        name: 'Spicy',
        url: 'https://lemmy.world/pictrs/image/three.png',
        nsfw: true,
        ap_id: 'https://lemmy.world/post/3',
      },
      creator: { name: 'lemming' },
      counts: { score: 99 },
    },
  ],
};

/**
 * Reddit and Lemmy on one local server: `/r/memes` answers a listing, `/r/dankmemes` answers 429
 * with Retry-After once and then a listing, `/r/slowmemes` is too slow, `/r/bigmemes` too large,
 * `/r/brokenmemes` always 503; Lemmy's `post/list` for the `memes` community. Counts the hits.
 */
export class FakeMemeUpstreams {
  readonly hits = new Map<string, number>();
  private server?: Server;
  base = '';

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      const key =
        url.pathname === '/api/v3/post/list'
          ? `lemmy:${url.searchParams.get('community_name')}`
          : url.pathname;
      const hit = (this.hits.get(key) ?? 0) + 1;
      this.hits.set(key, hit);
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
        res.end(JSON.stringify(body));
      };
      switch (key) {
        case '/r/memes/hot.json':
          return json(200, redditListing('memes'));
        case '/r/freshmemes/hot.json':
          return json(200, redditListing('freshmemes'));
        case '/r/dankmemes/hot.json':
          return hit === 1
            ? json(429, { message: 'Too Many Requests' }, { 'Retry-After': '0' })
            : json(200, redditListing('dankmemes'));
        case '/r/slowmemes/hot.json':
          setTimeout(() => json(200, redditListing('slowmemes')), 10_000).unref();
          return;
        case '/r/bigmemes/hot.json':
          // Sent without a length, so the reader's cap has to count; built once, so that under
          // load the answer is not later than the reader's timeout.
          BIG_LISTING ??= Buffer.from(
            JSON.stringify({ data: { children: [], padding: 'x'.repeat(6 * 1024 * 1024) } }),
          );
          res.writeHead(200, { 'Content-Type': 'application/json' });
          res.end(BIG_LISTING);
          return;
        case '/r/brokenmemes/hot.json':
          return json(503, { message: 'down' });
        case 'lemmy:memes':
          return json(200, LEMMY_LIST);
        default:
          return json(404, { error: 'not found' });
      }
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
