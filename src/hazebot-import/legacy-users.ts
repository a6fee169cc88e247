import { randomUUID } from 'node:crypto';
import { type EntityManager, In } from 'typeorm';
import { User } from '../auth/user.entity';
import { isDiscordId } from '../core/validation';

/** HazeBot's id for whoever logged in with the API password. */
export const LEGACY_USER = 'legacy_user';

const CHUNK = 400;
/** The name of a user known only by id, until their first login; as imported tickets name them. */
const UNNAMED = 'Unknown User';

/**
 * HazeBot keys its data by Discord id; Guildhall by user. A Discord id without a Guildhall user gets
 * one (a lootling named as HazeBot knew them), refreshed with name and role at their first Discord
 * login. `legacy_user` is the password admin (API_ADMIN_USER). Works inside the part's transaction.
 */
export class LegacyUsers {
  private readonly known = new Map<string, string>();
  private adminId: string | undefined;
  created = 0;
  legacyUsed = 0;

  constructor(
    private readonly manager: EntityManager,
    private readonly adminLogin: string,
  ) {}

  /** Guildhall user ids by HazeBot key; keys that name nobody (`unknown`, garbage) are left out. */
  async resolve(keys: Iterable<string>, names: Map<string, string> = new Map()) {
    const wanted = [...new Set(keys)];
    const discordIds = wanted.filter((key) => isDiscordId(key) && !this.known.has(key));
    const repo = this.manager.getRepository(User);
    for (let i = 0; i < discordIds.length; i += CHUNK) {
      const chunk = discordIds.slice(i, i + CHUNK);
      const found = await repo.find({
        select: { id: true, discordId: true, username: true },
        where: { discordId: In(chunk) },
      });
      for (const user of found) {
        this.known.set(user.discordId as string, user.id);
        // A user an earlier part created without a name gets the one HazeBot knew.
        const name = names.get(user.discordId as string);
        if (user.username === UNNAMED && name && name !== UNNAMED)
          await repo.update(user.id, { username: name.slice(0, 100) });
      }
      const missing = chunk.filter((id) => !this.known.has(id));
      if (missing.length === 0) continue;
      const rows = missing.map((discordId) => ({
        id: randomUUID(),
        username: (names.get(discordId) ?? UNNAMED).slice(0, 100),
        loginName: null,
        discordId,
        kind: 'discord' as const,
        role: 'lootling' as const,
        roleName: null,
        displayName: null,
        avatarUrl: null,
        bannedAt: null,
        disabledAt: null,
      }));
      // TypeORM would write the defaults it reads back into `rows`, matched by position: not here.
      await repo.createQueryBuilder().insert().values(rows).updateEntity(false).execute();
      for (const row of rows) this.known.set(row.discordId, row.id);
      this.created += rows.length;
    }
    const result = new Map<string, string>();
    for (const key of wanted) {
      if (key === LEGACY_USER) {
        const admin = await this.admin();
        if (admin) {
          result.set(key, admin);
          this.legacyUsed += 1;
        }
        continue;
      }
      const id = this.known.get(key);
      if (id) result.set(key, id);
    }
    return result;
  }

  /** The mapping lines for the summary. */
  mapped(): string[] {
    return [
      ...(this.created > 0
        ? [
            `${this.created} Discord ids had no Guildhall user: created (name and role at first login)`,
          ]
        : []),
      ...(this.legacyUsed > 0 ? [`${LEGACY_USER} → password admin "${this.adminLogin}"`] : []),
    ];
  }

  private async admin(): Promise<string | undefined> {
    this.adminId ??= (
      await this.manager
        .getRepository(User)
        .findOne({ select: { id: true }, where: { loginName: this.adminLogin, kind: 'password' } })
    )?.id;
    return this.adminId;
  }
}
