import { Global, Module } from '@nestjs/common';
import { DiscordMembers } from './discord-members';
import { DiscordRest } from './discord-rest';

/** Discord's REST port and the member directory, for every module (present without a token too). */
@Global()
@Module({
  providers: [DiscordRest, DiscordMembers],
  exports: [DiscordRest, DiscordMembers],
})
export class DiscordCoreModule {}
