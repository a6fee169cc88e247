/** A meme as the app reads it (contract §4.8). */
export interface Meme {
  url: string;
  title: string;
  /** A subreddit's name, or `lemmy:<instance>@<community>`. */
  subreddit: string;
  author: string;
  score: number;
  /** The same as `score` (HazeBot sent both). */
  upvotes: number;
  nsfw: boolean;
  permalink: string;
  source: 'reddit' | 'lemmy';
}

const REDDIT_IMAGE = /\.(jpe?g|png|gif)(\?|$)/i;
const LEMMY_IMAGE = /\.(jpe?g|png|gif|webp)(\?|$)/i;

const text = (value: unknown, fallback: string): string =>
  typeof value === 'string' && value.trim() !== '' ? value : fallback;
const count = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) ? Math.trunc(value) : 0;

/**
 * The image posts of a Reddit listing (`/r/<sub>/<sort>.json`), as HazeBot's DailyMeme read them:
 * no stickied posts, videos or galleries; direct images and i.imgur.com links only.
 */
export function redditMemes(listing: unknown, subreddit: string): Meme[] {
  const children = (listing as { data?: { children?: unknown } } | null)?.data?.children;
  if (!Array.isArray(children)) return [];
  return children.flatMap((child) => {
    const post = (child as { data?: Record<string, unknown> } | null)?.data;
    if (!post || post.stickied || post.is_video || post.is_gallery) return [];
    const url = text(post.url, '');
    if (!REDDIT_IMAGE.test(url) && !url.includes('i.imgur.com')) return [];
    const score = count(post.ups ?? post.score);
    return [
      {
        url,
        title: text(post.title, 'Meme from Reddit').slice(0, 256),
        subreddit,
        author: text(post.author, 'unknown'),
        score,
        upvotes: score,
        nsfw: post.over_18 === true,
        permalink: `https://reddit.com${text(post.permalink, `/r/${subreddit}`)}`,
        source: 'reddit' as const,
      },
    ];
  });
}

/** The image posts of a Lemmy `post/list` answer (API v3). */
export function lemmyMemes(list: unknown, instance: string, community: string): Meme[] {
  const posts = (list as { posts?: unknown } | null)?.posts;
  if (!Array.isArray(posts)) return [];
  return posts.flatMap((item) => {
    const view = item as {
      post?: Record<string, unknown>;
      counts?: Record<string, unknown>;
      creator?: Record<string, unknown>;
    } | null;
    const post = view?.post;
    const url = text(post?.url, '');
    if (!post || !LEMMY_IMAGE.test(url)) return [];
    const score = count(view?.counts?.score);
    return [
      {
        url,
        title: text(post.name, 'Meme from Lemmy').slice(0, 256),
        subreddit: `lemmy:${instance}@${community}`,
        author: text(view?.creator?.name, 'unknown'),
        score,
        upvotes: score,
        nsfw: post.nsfw === true,
        permalink: text(post.ap_id, url),
        source: 'lemmy' as const,
      },
    ];
  });
}
