import { request } from 'node:http';

/** Codes of 10,000 uses (the most one may have) for the sustained redemption scenario. */
export const REDEEM_CODES = 40;

/** The code the `n`-th redemption uses: each code is filled to 9,000, then the next one. */
export function redeemCode(n: number): string {
  return `BENCH-REDEEM-${Math.floor(n / 9_000) % REDEEM_CODES}`;
}

/** What the benchmark prepares in Guildhall and reads back from it, over its HTTP API. */
export class Guildhall {
  readonly staff: Record<string, string>;
  readonly member: Record<string, string>;

  private constructor(
    readonly baseUrl: string,
    readonly staffToken: string,
    memberToken: string,
    private readonly apiKey: string,
    /** The ticket the message and fan-out scenarios write to. */
    readonly fanoutTicket: string,
  ) {
    this.staff = { Authorization: `Bearer ${staffToken}` };
    this.member = { Authorization: `Bearer ${memberToken}` };
  }

  /**
   * A staff token (the admin) and a member token (the password user `member` of API_EXTRA_USERS,
   * lowered to lootling: password users are admins), 20 tickets with 5 messages each (half of them
   * the member's), and the redemption code.
   */
  static async prepare(baseUrl: string, adminPass: string, apiKey: string): Promise<Guildhall> {
    const post = async (path: string, body: unknown, headers: Record<string, string>) => {
      const res = await fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`POST ${path} answered ${res.status}: ${await res.text()}`);
      return (await res.json()) as Record<string, unknown>;
    };
    const login = async (username: string, password: string) =>
      (await post('/api/auth/login', { username, password }, {})).token as string;
    const staffToken = await login('admin', adminPass);
    const staff = { Authorization: `Bearer ${staffToken}` };
    const memberToken = await login('member', adminPass);
    const me = await fetch(`${baseUrl}/api/users/me`, {
      headers: { Authorization: `Bearer ${memberToken}` },
    });
    const { user_id: memberId } = (await me.json()) as { user_id: string };
    const lowered = await fetch(`${baseUrl}/api/users/${memberId}`, {
      method: 'PATCH',
      headers: { ...staff, 'Content-Type': 'application/json' },
      body: JSON.stringify({ role: 'lootling' }),
    });
    if (!lowered.ok) throw new Error(`lowering the member answered ${lowered.status}`);
    let last = '';
    for (let i = 0; i < 20; i += 1) {
      const opened = await post(
        '/api/tickets',
        {
          type: 'Support',
          subject: `Bench ticket ${i}`,
          description: 'A ticket for the benchmark.',
        },
        i % 2 === 0 ? { Authorization: `Bearer ${memberToken}` } : staff,
      );
      last = opened.ticket_id as string;
      for (let m = 0; m < 5; m += 1) {
        await post(
          `/api/tickets/${last}/messages`,
          { content: `Message ${m} of ticket ${i}` },
          staff,
        );
      }
    }
    for (let i = 0; i < REDEEM_CODES; i += 1) {
      await post(
        '/add_invite_code',
        { code: `BENCH-REDEEM-${i}`, role: 'BC1', max_uses: 10_000 },
        { 'X-API-Key': apiKey },
      );
    }
    return new Guildhall(baseUrl, staffToken, memberToken, apiKey, last);
  }

  async ticketListBody(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/tickets`, { headers: this.staff });
    return res.text();
  }

  /** The V8 heap and external memory, from the default metrics of `/metrics`, in MB. */
  async memory(): Promise<{ heapUsedMb: number; heapTotalMb: number; externalMb: number }> {
    const text = await (await fetch(`${this.baseUrl}/metrics`)).text();
    const mb = (name: string) => {
      const match = new RegExp(`^${name} ([\\d.e+]+)$`, 'm').exec(text);
      return match ? Math.round(Number(match[1]) / 1024 / 1024) : NaN;
    };
    return {
      heapUsedMb: mb('nodejs_heap_size_used_bytes'),
      heapTotalMb: mb('nodejs_heap_size_total_bytes'),
      externalMb: mb('nodejs_external_memory_bytes'),
    };
  }

  /** How many messages the ticket holds, paging through its history. */
  async messageCount(ticketId: string): Promise<number> {
    let count = 0;
    let after = 0;
    for (;;) {
      const res = await fetch(
        `${this.baseUrl}/api/tickets/${ticketId}/messages?limit=1000&after=${after}`,
        { headers: this.staff },
      );
      const { messages } = (await res.json()) as { messages: { id: string }[] };
      if (messages.length === 0) return count;
      count += messages.length;
      after = Number(messages[messages.length - 1].id);
    }
  }

  /**
   * `total` concurrent redemptions of a new code with `maxUses`, each by a different member on a
   * connection of its own, as that many people arriving at once would. A first burst on another
   * code warms the path up and is not measured, as the HTTP scenarios' uncounted round.
   */
  async concurrentRedemptions(
    total: number,
    maxUses: number,
  ): Promise<{ redeemed: number; refused: number; other: number; ms: number; perSecond: number }> {
    await this.redemptionBurst(await this.newCode('BENCH-WARM', maxUses), total);
    const code = await this.newCode('BENCH-EXACT', maxUses);
    const started = performance.now();
    const statuses = await this.redemptionBurst(code, total);
    const ms = Math.round(performance.now() - started);
    const redeemed = statuses.filter((s) => s === 200).length;
    const refused = statuses.filter((s) => s === 410).length;
    return {
      redeemed,
      refused,
      other: total - redeemed - refused,
      ms,
      perSecond: Math.round((total / ms) * 1000),
    };
  }

  private async newCode(prefix: string, maxUses: number): Promise<string> {
    const code = `${prefix}-${Date.now()}`;
    const res = await fetch(`${this.baseUrl}/add_invite_code`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-API-Key': this.apiKey },
      body: JSON.stringify({ code, role: 'BC1', max_uses: maxUses }),
    });
    if (!res.ok) throw new Error(`adding a code failed: ${res.status}`);
    return code;
  }

  /** `total` redemptions of `code` at once, each by another member on a new connection. */
  private redemptionBurst(code: string, total: number): Promise<number[]> {
    const url = new URL('/api/invites/redeem', this.baseUrl);
    return Promise.all(
      Array.from({ length: total }, (_, i) =>
        postOnce(
          url,
          { 'X-API-Key': this.apiKey },
          {
            code,
            discord_user_id: String(760000000000000000n + BigInt(i)),
          },
        ),
      ),
    );
  }
}

/** One JSON POST on a connection opened for it and closed after it; resolves with the status. */
function postOnce(url: URL, headers: Record<string, string>, body: unknown): Promise<number> {
  const payload = JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Content-Length': Buffer.byteLength(payload),
        },
      },
      (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.once('error', reject);
    req.end(payload);
  });
}
