import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdentity1795332308123 implements MigrationInterface {
  name = 'CreateIdentity1795332308123';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "oauth_state_uses" ("nonce" varchar(32) PRIMARY KEY NOT NULL, "used_at" datetime NOT NULL)`,
    );
    await queryRunner.query(
      `CREATE TABLE "users" ("id" varchar(36) PRIMARY KEY NOT NULL, "username" varchar(100) NOT NULL, "login_name" varchar(100), "discord_id" varchar(20), "kind" varchar(16) NOT NULL, "role" varchar(16) NOT NULL, "role_name" varchar(100), "display_name" varchar(100), "avatar_url" varchar(300), "banned_at" datetime, "disabled_at" datetime, "created_at" datetime NOT NULL DEFAULT (datetime('now')), "updated_at" datetime NOT NULL DEFAULT (datetime('now')))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_b1d0a1e8ae666d95893eb95c16" ON "users" ("login_name") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_ecb6461da358b6d8a4f83d611a" ON "users" ("discord_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "prefix" varchar(16) NOT NULL, "key_hash" varchar(64) NOT NULL, "scopes" text NOT NULL, "created_by_id" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime, "last_used_at" datetime, "rotated_at" datetime, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6f6105c8efe05b310d046cbdb3" ON "api_keys" ("prefix") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys" ("key_hash") `,
    );
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "auth_type" varchar(16) NOT NULL, "client_session_id" varchar(100) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "app_version" varchar(60), "user_agent" varchar(300), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_activity_at" datetime NOT NULL, "expires_at" datetime NOT NULL, "revoked_at" datetime, "revoked_reason" varchar(16))`,
    );
    await queryRunner.query(
      `CREATE INDEX "IDX_9b3fc99e79df1bcad1da2476e1" ON "sessions" ("user_id", "revoked_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_6f6105c8efe05b310d046cbdb3"`);
    await queryRunner.query(`DROP INDEX "IDX_57384430aa1959f4578046c9b8"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_api_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "prefix" varchar(16) NOT NULL, "key_hash" varchar(64) NOT NULL, "scopes" text NOT NULL, "created_by_id" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime, "last_used_at" datetime, "rotated_at" datetime, "revoked_at" datetime, CONSTRAINT "FK_3afd227c6cb003779abe2a88b4e" FOREIGN KEY ("created_by_id") REFERENCES "users" ("id") ON DELETE SET NULL ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_api_keys"("id", "name", "prefix", "key_hash", "scopes", "created_by_id", "created_at", "expires_at", "last_used_at", "rotated_at", "revoked_at") SELECT "id", "name", "prefix", "key_hash", "scopes", "created_by_id", "created_at", "expires_at", "last_used_at", "rotated_at", "revoked_at" FROM "api_keys"`,
    );
    await queryRunner.query(`DROP TABLE "api_keys"`);
    await queryRunner.query(`ALTER TABLE "temporary_api_keys" RENAME TO "api_keys"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6f6105c8efe05b310d046cbdb3" ON "api_keys" ("prefix") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys" ("key_hash") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_9b3fc99e79df1bcad1da2476e1"`);
    await queryRunner.query(
      `CREATE TABLE "temporary_sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "auth_type" varchar(16) NOT NULL, "client_session_id" varchar(100) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "app_version" varchar(60), "user_agent" varchar(300), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_activity_at" datetime NOT NULL, "expires_at" datetime NOT NULL, "revoked_at" datetime, "revoked_reason" varchar(16), CONSTRAINT "FK_085d540d9f418cfbdc7bd55bb19" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    );
    await queryRunner.query(
      `INSERT INTO "temporary_sessions"("id", "user_id", "auth_type", "client_session_id", "platform", "device_info", "app_version", "user_agent", "ip", "created_at", "last_activity_at", "expires_at", "revoked_at", "revoked_reason") SELECT "id", "user_id", "auth_type", "client_session_id", "platform", "device_info", "app_version", "user_agent", "ip", "created_at", "last_activity_at", "expires_at", "revoked_at", "revoked_reason" FROM "sessions"`,
    );
    await queryRunner.query(`DROP TABLE "sessions"`);
    await queryRunner.query(`ALTER TABLE "temporary_sessions" RENAME TO "sessions"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_9b3fc99e79df1bcad1da2476e1" ON "sessions" ("user_id", "revoked_at") `,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "IDX_9b3fc99e79df1bcad1da2476e1"`);
    await queryRunner.query(`ALTER TABLE "sessions" RENAME TO "temporary_sessions"`);
    await queryRunner.query(
      `CREATE TABLE "sessions" ("id" varchar(36) PRIMARY KEY NOT NULL, "user_id" varchar(36) NOT NULL, "auth_type" varchar(16) NOT NULL, "client_session_id" varchar(100) NOT NULL, "platform" varchar(40), "device_info" varchar(200), "app_version" varchar(60), "user_agent" varchar(300), "ip" varchar(64), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "last_activity_at" datetime NOT NULL, "expires_at" datetime NOT NULL, "revoked_at" datetime, "revoked_reason" varchar(16))`,
    );
    await queryRunner.query(
      `INSERT INTO "sessions"("id", "user_id", "auth_type", "client_session_id", "platform", "device_info", "app_version", "user_agent", "ip", "created_at", "last_activity_at", "expires_at", "revoked_at", "revoked_reason") SELECT "id", "user_id", "auth_type", "client_session_id", "platform", "device_info", "app_version", "user_agent", "ip", "created_at", "last_activity_at", "expires_at", "revoked_at", "revoked_reason" FROM "temporary_sessions"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_sessions"`);
    await queryRunner.query(
      `CREATE INDEX "IDX_9b3fc99e79df1bcad1da2476e1" ON "sessions" ("user_id", "revoked_at") `,
    );
    await queryRunner.query(`DROP INDEX "IDX_57384430aa1959f4578046c9b8"`);
    await queryRunner.query(`DROP INDEX "IDX_6f6105c8efe05b310d046cbdb3"`);
    await queryRunner.query(`ALTER TABLE "api_keys" RENAME TO "temporary_api_keys"`);
    await queryRunner.query(
      `CREATE TABLE "api_keys" ("id" varchar(36) PRIMARY KEY NOT NULL, "name" varchar(100) NOT NULL, "prefix" varchar(16) NOT NULL, "key_hash" varchar(64) NOT NULL, "scopes" text NOT NULL, "created_by_id" varchar(36), "created_at" datetime NOT NULL DEFAULT (datetime('now')), "expires_at" datetime, "last_used_at" datetime, "rotated_at" datetime, "revoked_at" datetime)`,
    );
    await queryRunner.query(
      `INSERT INTO "api_keys"("id", "name", "prefix", "key_hash", "scopes", "created_by_id", "created_at", "expires_at", "last_used_at", "rotated_at", "revoked_at") SELECT "id", "name", "prefix", "key_hash", "scopes", "created_by_id", "created_at", "expires_at", "last_used_at", "rotated_at", "revoked_at" FROM "temporary_api_keys"`,
    );
    await queryRunner.query(`DROP TABLE "temporary_api_keys"`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_57384430aa1959f4578046c9b8" ON "api_keys" ("key_hash") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "IDX_6f6105c8efe05b310d046cbdb3" ON "api_keys" ("prefix") `,
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
