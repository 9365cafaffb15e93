import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedbackToken1796037265692 implements MigrationInterface {
  name = 'FeedbackToken1796037265692';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "public"."ix_feedback_request"`);
    await db.query(`ALTER TABLE "serving_request" ADD "feedback_token_hash" character varying(64)`);
    await db.query(`ALTER TABLE "feedback" ADD "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now()`);
    await db.query(`CREATE UNIQUE INDEX "uq_feedback_request" ON "feedback"  ("request_id") `);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP INDEX "public"."uq_feedback_request"`);
    await db.query(`ALTER TABLE "feedback" DROP COLUMN "updated_at"`);
    await db.query(`ALTER TABLE "serving_request" DROP COLUMN "feedback_token_hash"`);
    await db.query(`CREATE INDEX "ix_feedback_request" ON "feedback" USING btree ("request_id") `);
  }
}
