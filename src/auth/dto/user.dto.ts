import { IsBoolean, IsIn, IsOptional } from 'class-validator';

/** `GET /api/users/me`, the HazeBot README's shape. */
export class UserProfileDto {
  /** Discord id for Discord users, else the internal id. */
  user_id!: string;
  username!: string;
  /** Always "0": Discord retired discriminators. */
  discriminator!: string;
  avatar!: string | null;
  role!: string;
  permissions!: string[];
}

export class UserDetailDto extends UserProfileDto {
  /** Internal id. */
  id!: string;
  discord_id!: string | null;
  display_name!: string | null;
  /** `password` or `discord`. */
  kind!: string;
  banned!: boolean;
  disabled!: boolean;
  created_at!: string;
}

export class UpdateUserDto {
  /** `admin`, `mod` (or `moderator`) or `lootling`. */
  @IsOptional()
  @IsIn(['admin', 'mod', 'moderator', 'lootling'])
  role?: string;

  /** Banning ends every session of the user at once. */
  @IsOptional()
  @IsBoolean()
  banned?: boolean;
}

export class DeletedDto {
  success!: true;
  message!: string;
}
