import { Column, Entity, PrimaryColumn } from 'typeorm';

/** Nonces of OAuth states already used: inserting one twice fails, which is how a replay is caught. */
@Entity({ name: 'oauth_state_uses' })
export class OAuthStateUse {
  @PrimaryColumn('varchar', { length: 32 })
  nonce!: string;

  @Column({ type: Date, name: 'used_at' })
  usedAt!: Date;
}
