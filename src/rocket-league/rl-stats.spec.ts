import { parseProfile } from './rl-stats';

const playlist = (
  id: number | undefined,
  name: string,
  season: number,
  tier: string,
  value: number,
  division: string,
) => ({
  type: 'playlist',
  attributes: { playlistId: id, season },
  metadata: { name },
  stats: {
    tier: { value, metadata: { name: tier, iconUrl: `https://trackercdn.com/${value}.png` } },
    division: { metadata: { name: division } },
  },
});

/** The tracker's answer, trimmed to what matters, with an older season's segment to ignore. */
const PROFILE = {
  data: {
    platformInfo: { platformSlug: 'steam', platformUserHandle: 'Rocketeer' },
    segments: [
      {
        type: 'overview',
        stats: {
          tier: { metadata: { name: 'Champion I' } },
          seasonRewardLevel: { metadata: { name: 'Diamond' } },
        },
      },
      playlist(10, 'Ranked Duel 1v1', 35, 'Diamond II', 14, 'Division III'),
      playlist(11, 'Ranked Doubles 2v2', 35, 'Champion I', 16, 'Division I'),
      playlist(11, 'Ranked Doubles 2v2', 34, 'Grand Champion I', 19, 'Division IV'),
      playlist(undefined, 'Ranked 4v4 Quads', 35, 'Gold III', 9, 'Division II'),
      playlist(28, 'Casual', 35, 'Unranked', 0, ''),
    ],
  },
};

describe('parseProfile', () => {
  it("reads the app's fields from the latest season's ranked playlists", () => {
    const stats = parseProfile(PROFILE, 'steam');
    expect(stats).toMatchObject({
      username: 'Rocketeer',
      platform: 'STEAM',
      rank: 'Champion I',
      // A reward named by its bare tier has no emoji of its own: the unranked one, as in HazeBot.
      season_reward: '<:unranked:1425389712276721725> Diamond',
      rank_1v1: '<:d2:1425389867197665361> Division III',
      rank_2v2: '<:c1:1425389889796706374> Division I',
      rank_3v3: '<:unranked:1425389712276721725> Unranked',
      rank_4v4: '<:g3:1425389810968690749> Division II',
      highest_icon_url: 'https://trackercdn.com/16.png',
      tier_names: {
        '1v1': 'Diamond II',
        '2v2': 'Champion I',
        '3v3': 'Unranked',
        '4v4': 'Gold III',
      },
    });
    expect(Object.keys(stats?.icon_urls ?? {}).sort()).toEqual(['1v1', '2v2', '4v4']);
  });

  it('is null for a player the tracker does not know', () => {
    expect(
      parseProfile({ errors: [{ code: 'CollectorResultStatus::NotFound' }] }, 'epic'),
    ).toBeNull();
    expect(parseProfile({ data: { segments: [] } }, 'epic')).toBeNull();
    expect(parseProfile(null, 'epic')).toBeNull();
  });
});
