import type { APIEmbed } from 'discord-api-types/v10';
import type { Meme } from './meme-parsers';

/** A meme as a Discord embed: its title linking the post, the image, where it is from. */
export function memeEmbed(meme: Meme, color: number): APIEmbed {
  const from = meme.subreddit.startsWith('lemmy:')
    ? meme.subreddit.slice(6)
    : `r/${meme.subreddit}`;
  return {
    title: meme.title.slice(0, 256),
    url: meme.permalink,
    image: { url: meme.url },
    color,
    footer: { text: `${from} · 👍 ${meme.score} · u/${meme.author}`.slice(0, 2048) },
  };
}
