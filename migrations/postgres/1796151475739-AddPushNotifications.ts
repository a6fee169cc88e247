import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AddPushNotifications1796151475739 implements MigrationInterface {
  name = 'AddPushNotifications1796151475739';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "notification_settings" ("user_id" character varying(36) NOT NULL, "notifications_enabled" boolean NOT NULL DEFAULT true, "ticket_new_messages" boolean NOT NULL DEFAULT true, "ticket_mentions" boolean NOT NULL DEFAULT true, "ticket_created" boolean NOT NULL DEFAULT true, "ticket_assigned" boolean NOT NULL DEFAULT true, "updated_at" TIMESTAMP NOT NULL DEFAULT now(), CONSTRAINT "PK_91a7ffebe8b406c4470845d4781" PRIMARY KEY ("user_id"))`);
    await queryRunner.query(`CREATE TABLE "push_tokens" ("token" character varying(1024) NOT NULL, "user_id" character varying(36) NOT NULL, "platform" character varying(40), "device_info" character varying(200), "created_at" TIMESTAMP NOT NULL DEFAULT now(), "registered_at" TIMESTAMP NOT NULL, CONSTRAINT "PK_869b4a9ba2c9e030aafc4b7dc7a" PRIMARY KEY ("token"))`);
    await queryRunner.query(`CREATE INDEX "IDX_push_tokens_user" ON "push_tokens"  ("user_id", "registered_at") `);
    await queryRunner.query(`ALTER TABLE "notification_settings" ADD CONSTRAINT "FK_91a7ffebe8b406c4470845d4781" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "push_tokens" ADD CONSTRAINT "FK_94c371aff70dedeb89dae39f440" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "push_tokens" DROP CONSTRAINT "FK_94c371aff70dedeb89dae39f440"`);
    await queryRunner.query(`ALTER TABLE "notification_settings" DROP CONSTRAINT "FK_91a7ffebe8b406c4470845d4781"`);
    await queryRunner.query(`DROP INDEX "IDX_push_tokens_user"`);
    await queryRunner.query(`DROP TABLE "push_tokens"`);
    await queryRunner.query(`DROP TABLE "notification_settings"`);
  }
}
