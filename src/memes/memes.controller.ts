import { Body, Controller, Get, HttpCode, Post, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Authenticated, CurrentPrincipal, RequirePermission } from '../auth/auth.decorators';
import type { UserPrincipal } from '../auth/principal';
import { CogRoutes } from '../cogs/cog-feature';
import {
  MemeFromSourceDto,
  MemeFromSourceQueryDto,
  MemeSentDto,
  MemeSourcesDto,
  RandomMemeDto,
  SendMemeDto,
} from './dto/memes.dto';
import type { Meme } from './meme-parsers';
import { MemesService } from './memes.service';

/** The app's meme test screen (contract §2.8): part of the DailyMeme cog. */
@ApiTags('memes')
@CogRoutes('DailyMeme')
@Controller('api')
export class MemesController {
  constructor(private readonly memes: MemesService) {}

  @Get('meme-sources')
  @Authenticated()
  sources(): MemeSourcesDto {
    return { success: true, sources: this.memes.sources() };
  }

  /** HazeBot's pick: NSFW off, 3 random sources, a score of at least 50, the best 25. */
  @Get('test/random-meme')
  @RequirePermission('memes.generate')
  async random(): Promise<RandomMemeDto> {
    const meme = await this.memes.random({ nsfw: false, sources: 3, minScore: 50, pool: 25 });
    return { success: true, meme };
  }

  @Get('test/meme-from-source')
  @RequirePermission('memes.generate')
  async fromSource(@Query() query: MemeFromSourceQueryDto): Promise<MemeFromSourceDto> {
    const { source, type, meme } = await this.memes.fromSource(query.source);
    return { success: true, source, source_type: type, meme };
  }

  /** Posts the meme to the meme channel (through the outbox). */
  @Post('test/send-meme')
  @RequirePermission('memes.send')
  @HttpCode(200)
  async send(
    @CurrentPrincipal() principal: UserPrincipal,
    @Body() body: SendMemeDto,
  ): Promise<MemeSentDto> {
    const input = body.meme;
    const meme: Meme = {
      url: input.url,
      title: input.title,
      subreddit: input.subreddit,
      author: input.author,
      score: input.score ?? input.upvotes ?? 0,
      upvotes: input.upvotes ?? input.score ?? 0,
      nsfw: input.nsfw ?? false,
      permalink: input.permalink,
      source: input.subreddit.startsWith('lemmy:') ? 'lemmy' : 'reddit',
    };
    const sent = await this.memes.send(meme, {
      discordId: principal.user.discordId,
      name: principal.user.username,
    });
    return {
      success: true,
      message: 'Meme sent to Discord successfully',
      channel_id: sent.channelId,
      status: sent.status,
      message_id: sent.messageId,
    };
  }
}
