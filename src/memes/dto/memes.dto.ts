import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUrl,
  MaxLength,
  MinLength,
  ValidateNested,
} from 'class-validator';

export class MemeDto {
  /** The image. @example "https://i.redd.it/abc.png" */
  url!: string;
  title!: string;
  /** A subreddit, or `lemmy:<instance>@<community>`. */
  subreddit!: string;
  author!: string;
  score!: number;
  upvotes!: number;
  nsfw!: boolean;
  /** The post. */
  permalink!: string;
  /** `reddit` or `lemmy`. */
  source!: string;
}

export class MemeSourcesListDto {
  subreddits!: string[];
  /** `instance@community`. */
  lemmy!: string[];
}

export class MemeSourcesDto {
  success!: true;
  sources!: MemeSourcesListDto;
}

export class RandomMemeDto {
  success!: true;
  meme!: MemeDto;
}

export class MemeFromSourceQueryDto {
  /** A configured subreddit (`r/` optional) or Lemmy `instance@community`. */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  source?: string;
}

export class MemeFromSourceDto {
  success!: true;
  /** `r/<sub>` or `<instance>@<community>`. */
  source!: string;
  /** `reddit` or `lemmy`. */
  source_type!: string;
  meme!: MemeDto;
}

export class SeedRandomQueryDto {
  /** `reddit` or `lemmy`; both when omitted. */
  @IsOptional()
  @IsIn(['reddit', 'lemmy'])
  source?: 'reddit' | 'lemmy';
}

/** The HazeBot API document's random meme: the meme's fields at the top level. */
export class SeedRandomMemeDto extends MemeDto {}

export class SentMemeInputDto {
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  url!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(300)
  title!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(200)
  subreddit!: string;

  @IsString()
  @MinLength(1)
  @MaxLength(100)
  author!: string;

  @IsUrl({ protocols: ['http', 'https'], require_protocol: true })
  permalink!: string;

  @IsOptional()
  @IsInt()
  score?: number;

  @IsOptional()
  @IsInt()
  upvotes?: number;

  @IsOptional()
  @IsBoolean()
  nsfw?: boolean;

  @IsOptional()
  @IsString()
  source?: string;
}

export class SendMemeDto {
  /** The meme as the random-meme routes gave it. */
  @ValidateNested()
  @Type(() => SentMemeInputDto)
  meme!: SentMemeInputDto;
}

export class MemeSentDto {
  success!: true;
  /** @example "Meme sent to Discord successfully" */
  message!: string;
  channel_id!: string;
  /** `sent` when Discord took it at once, `queued` when the outbox delivers it later. */
  status!: string;
  /** The Discord message, once sent; null while queued. */
  message_id!: string | null;
}
