import { Global, Module } from '@nestjs/common';
import { DiscordMembers } from './discord-members';
import { DiscordPoster } from './discord-poster';
import { DiscordRest } from './discord-rest';

/** Discord's REST port, channel posts through the outbox and the member directory, for every module (present without a token too). */
@Global()
@Module({
  providers: [DiscordRest, DiscordMembers, DiscordPoster],
  exports: [DiscordRest, DiscordMembers, DiscordPoster],
})
export class DiscordCoreModule {}
