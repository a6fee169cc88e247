/** The playlists the app shows, by the tracker's playlist id or name. */
const PLAYLISTS: { key: '1v1' | '2v2' | '3v3' | '4v4'; id?: number; name: string }[] = [
  { key: '1v1', id: 10, name: 'Ranked Duel 1v1' },
  { key: '2v2', id: 11, name: 'Ranked Doubles 2v2' },
  { key: '3v3', id: 13, name: 'Ranked Standard 3v3' },
  { key: '4v4', name: 'Ranked 4v4 Quads' },
];

/** HazeBot's rank emojis; the app strips the markup, Discord shows them where they exist. */
export const RANK_EMOJIS: Record<string, string> = {
  'Supersonic Legend': '<:ssl:1425389967030489139>',
  'Grand Champion III': '<:gc3:1425389956796518420>',
  'Grand Champion II': '<:gc2:1425389941810266162>',
  'Grand Champion I': '<:gc1:1425389930225471499>',
  'Champion III': '<:c3:1425389912651464824>',
  'Champion II': '<:c2:1425389901670776842>',
  'Champion I': '<:c1:1425389889796706374>',
  'Diamond III': '<:d3:1425389878673149962>',
  'Diamond II': '<:d2:1425389867197665361>',
  'Diamond I': '<:d1:1425389856229691462>',
  'Platinum III': '<:p3:1425389845328433213>',
  'Platinum II': '<:p2:1425389833706278923>',
  'Platinum I': '<:p1:1425389821706113055>',
  'Gold III': '<:g3:1425389810968690749>',
  'Gold II': '<:g2:1425389799463981217>',
  'Gold I': '<:g1:1425389788885811380>',
  'Silver III': '<:s3:1425389776852221982>',
  'Silver II': '<:s2:1425389768425996341>',
  'Silver I': '<:s1:1425389757940367411>',
  'Bronze III': '<:b3:1425389747282382919>',
  'Bronze II': '<:b2:1425389735819350056>',
  'Bronze I': '<:b1:1425389725652615209>',
  Unranked: '<:unranked:1425389712276721725>',
};
const UNRANKED = RANK_EMOJIS.Unranked;

type Playlist = (typeof PLAYLISTS)[number]['key'];

/** A player's ranks as the app reads them (contract §4.7). */
export interface RlStats {
  username: string;
  /** Upper case, e.g. `STEAM`. */
  platform: string;
  rank: string;
  season_reward: string;
  rank_1v1: string;
  rank_2v2: string;
  rank_3v3: string;
  rank_4v4: string;
  highest_icon_url: string | null;
  tier_names: Record<Playlist, string>;
  rank_display: Record<Playlist, string>;
  /** Ranked playlists only: an unranked playlist has no icon. */
  icon_urls: Partial<Record<Playlist, string>>;
}

/** The four playlists' ranks as embed fields. */
export function rankFields(stats: RlStats): { name: string; value: string; inline: true }[] {
  return PLAYLISTS.map(({ key }) => ({ name: key, value: stats.rank_display[key], inline: true }));
}

interface Segment {
  type?: string;
  attributes?: { playlistId?: number; season?: number };
  metadata?: { name?: string };
  stats?: Record<
    string,
    { value?: number; metadata?: { name?: string; iconUrl?: string } } | undefined
  >;
}

/**
 * A tracker profile (`/standard/profile/<platform>/<user>`) as HazeBot's RocketLeague cog read it:
 * the overview's rank and season reward, and each ranked playlist of the latest season present.
 * Null when the tracker does not know the player.
 */
export function parseProfile(body: unknown, platform: string): RlStats | null {
  const errors = (body as { errors?: { code?: string }[] } | null)?.errors;
  if (Array.isArray(errors) && errors.some((e) => e.code === 'CollectorResultStatus::NotFound'))
    return null;
  const data = (body as { data?: { platformInfo?: Record<string, unknown>; segments?: unknown } })
    ?.data;
  const segments = Array.isArray(data?.segments) ? (data.segments as Segment[]) : undefined;
  const overview = segments?.find((s) => s.type === 'overview');
  if (!data || !segments || !overview) return null;
  const season = Math.max(
    ...segments.filter((s) => s.type === 'playlist').map((s) => s.attributes?.season ?? 0),
  );
  const tierNames = {} as Record<Playlist, string>;
  const display = {} as Record<Playlist, string>;
  const icons: Partial<Record<Playlist, string>> = {};
  let highest = { value: 0, icon: null as string | null };
  for (const segment of segments) {
    if (segment.type !== 'playlist' || (segment.attributes?.season ?? 0) !== season) continue;
    const playlist = PLAYLISTS.find(
      (p) =>
        (p.id !== undefined && p.id === segment.attributes?.playlistId) ||
        p.name === segment.metadata?.name,
    );
    const tier = segment.stats?.tier;
    if (!playlist || !tier?.metadata?.name) continue;
    const name = tier.metadata.name;
    const division = segment.stats?.division?.metadata?.name ?? '';
    tierNames[playlist.key] = name;
    display[playlist.key] = `${RANK_EMOJIS[name] ?? UNRANKED} ${division || name}`.trim();
    if (tier.metadata.iconUrl) icons[playlist.key] = tier.metadata.iconUrl;
    if ((tier.value ?? 0) > highest.value)
      highest = { value: tier.value ?? 0, icon: tier.metadata.iconUrl ?? null };
  }
  for (const { key } of PLAYLISTS) {
    if (display[key]) continue;
    display[key] = `${UNRANKED} Unranked`;
    tierNames[key] = 'Unranked';
    delete icons[key];
  }
  const reward = overview.stats?.seasonRewardLevel?.metadata?.name ?? 'N/A';
  const handle = data.platformInfo?.platformUserHandle;
  return {
    username: typeof handle === 'string' ? handle : '',
    platform: platform.toUpperCase(),
    rank: overview.stats?.tier?.metadata?.name ?? 'Unranked',
    season_reward: `${RANK_EMOJIS[reward] ?? UNRANKED} ${reward}`,
    rank_1v1: display['1v1'],
    rank_2v2: display['2v2'],
    rank_3v3: display['3v3'],
    rank_4v4: display['4v4'],
    highest_icon_url: highest.icon,
    tier_names: tierNames,
    rank_display: display,
    icon_urls: icons,
  };
}
