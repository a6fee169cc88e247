import { ApiProperty } from '@nestjs/swagger';

// Declared as a list, not a union type: the OpenAPI plugin orders union members as the compiler
// happens to create them, which differs between builds.
export const CHANNEL_KINDS = ['text', 'category'] as const;

export class GuildChannelDto {
  id!: string;
  name!: string;
  /** Name of the parent category. */
  category!: string | null;
  position!: number;
  @ApiProperty({ enum: CHANNEL_KINDS })
  type!: (typeof CHANNEL_KINDS)[number];
}

export class GuildRoleDto {
  id!: string;
  name!: string;
  color!: number;
  position!: number;
  mentionable!: boolean;
}
