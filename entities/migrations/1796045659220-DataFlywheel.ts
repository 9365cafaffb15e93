import type { MigrationInterface, QueryRunner } from 'typeorm';

export class DataFlywheel1796045659220 implements MigrationInterface {
  name = 'DataFlywheel1796045659220';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "generated_sample" ADD "source" character varying(16) NOT NULL DEFAULT 'teacher'`);
    await db.query(`ALTER TABLE "generated_sample" ADD "source_request_id" character varying(128)`);
    await db.query(`ALTER TABLE "serving_request" ADD "edits" jsonb NOT NULL DEFAULT '[]'`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "serving_request" DROP COLUMN "edits"`);
    await db.query(`ALTER TABLE "generated_sample" DROP COLUMN "source_request_id"`);
    await db.query(`ALTER TABLE "generated_sample" DROP COLUMN "source"`);
  }
}
