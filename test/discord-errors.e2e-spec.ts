import { UNEXPECTED_REPLY } from '../src/core/discord/discord-exception.filter';
import { createTestApp } from './support/app';
import { BrokenCommandModule } from './support/broken-command.module';
import { member, startDiscordWorld } from './support/discord-world';
import { eventually } from './support/eventually';

const EPHEMERAL = 64;

// In a file of its own: Nest's static Logger keeps writing to the first app's log capture of a file.
describe('a command that fails unexpectedly', () => {
  it('is logged and answered with a generic ephemeral reply, and the bot keeps serving', async () => {
    const world = await startDiscordWorld();
    const t = await createTestApp({ env: world.env, imports: [BrokenCommandModule] });
    try {
      const broken = world.gateway.slashCommand('broken', {}, member(8));
      expect(await eventually(() => world.discord.answerTo(broken))).toMatchObject({
        content: UNEXPECTED_REPLY,
        flags: EPHEMERAL,
      });
      expect(t.logs.entries()).toContainEqual(
        expect.objectContaining({
          level: 50,
          msg: 'Discord command or listener failed',
          err: expect.objectContaining({ message: 'unexpected failure in broken' }),
        }),
      );
      const next = world.gateway.slashCommand('invitecode', { code: 'NO-SUCH' }, member(8));
      expect((await eventually(() => world.discord.answerTo(next))).content).toBe(
        'Invite code not found',
      );
    } finally {
      await t.close();
      await world.stop();
    }
  });
});
