import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1795332308123 implements MigrationInterface {
  name = 'CreateIdentity1795332308123';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "oauth_state_uses" ("nonce" character varying(32) NOT NULL, "used_at" TIMESTAMP NOT NULL, CONSTRAINT "PK_baccb3114e7de5dcbbb9193f684" PRIMARY KEY ("nonce"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" character varying(36) NOT NULL, "username" character varying(100) NOT NULL, "login_name" character varying(100), "discord_id" character varying(20), "kind" character varying(16) NOT NULL, "role" character varying(16) NOT NULL, "role_name" character varying(100), "display_name" character varying(100), "avatar_url" character varying(300), "banned_at" TIMESTAMP, "disabled_at" TIMESTAMP, "created_at" TIMESTAMP NOT NULL DEFAULT now(), "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_a3ffb1c0c8416b9fc6f907b7433" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_b1d0a1e8ae666d95893eb95c16" ON "users"  ("login_name") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ecb6461da358b6d8a4f83d611a" ON "users"  ("discord_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" character varying(36) NOT NULL, "name" character varying(100) NOT NULL, "prefix" character varying(16) NOT NULL, "key_hash" character varying(64) NOT NULL, "scopes" text NOT NULL, "created_by_id" character varying(36), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "expires_at" TIMESTAMP, "last_used_at" TIMESTAMP, "rotated_at" TIMESTAMP, "revoked_at" TIMESTAMP, CONSTRAINT "PK_5c8a79801b44bd27b79228e1dad" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6f6105c8efe05b310d046cbdb3" ON "api_keys"  ("prefix") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys"  ("key_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" character varying(36) NOT NULL, "user_id" character varying(36) NOT NULL, "auth_type" character varying(16) NOT NULL, "client_session_id" character varying(100) NOT NULL, "platform" character varying(40), "device_info" character varying(200), "app_version" character varying(60), "user_agent" character varying(300), "ip" character varying(64), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "last_activity_at" TIMESTAMP NOT NULL, "expires_at" TIMESTAMP NOT NULL, "revoked_at" TIMESTAMP, "revoked_reason" character varying(16), CONSTRAINT "PK_3238ef96f18b355b671619111bc" PRIMARY KEY ("id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9b3fc99e79df1bcad1da2476e1" ON "sessions"  ("user_id", "revoked_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" ADD CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e" FOREIGN KEY ("created_by_id") REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "sessions" ADD CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "sessions" DROP CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19"`,
    );
    await queryRunner.query(
      `ALTER TABLE "api_keys" DROP CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e"`,
    );
    await queryRunner.query(`DROP INDEX "IDX_9b3fc99e79df1bcad1da2476e1"`);
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`DROP INDEX "IDX_57384430aa1959f4578046c9b8"`);
    await queryRunner.query(`DROP INDEX "IDX_6f6105c8efe05b310d046cbdb3"`);
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`DROP INDEX "IDX_ecb6461da358b6d8a4f83d611a"`);
    await queryRunner.query(`DROP INDEX "IDX_b1d0a1e8ae666d95893eb95c16"`);
    await queryRunner.query(`DROP TABLE "users"`);
    await queryRunner.query(`DROP TABLE "oauth_state_uses"`);
  }
}
