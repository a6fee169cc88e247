import { Controller, Get, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { RequirePermission } from '../auth/auth.decorators';
import { CogRoutes } from '../cogs/cog-feature';
import { SeedRandomMemeDto, SeedRandomQueryDto } from './dto/memes.dto';
import { MemesService } from './memes.service';

/** The HazeBot API document's random meme: part of the MemeGenerator cog. */
@ApiTags('memes')
@CogRoutes('MemeGenerator')
@Controller('api/memes')
export class RandomMemeController {
  constructor(private readonly memes: MemesService) {}

  /** A random meme from the configured sources (`source=reddit|lemmy` narrows them), as the app's pick. */
  @Get('random')
  @RequirePermission('memes.generate')
  random(@Query() query: SeedRandomQueryDto): Promise<SeedRandomMemeDto> {
    return this.memes.random({
      kind: query.source,
      nsfw: false,
      sources: 3,
      minScore: 50,
      pool: 25,
    });
  }
}
