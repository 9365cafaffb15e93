import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795559695642 implements MigrationInterface {
  name = 'InitialSchema1795559695642';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`CREATE TABLE "text_repository" ("id" character varying(128) NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "form" character varying(64) NOT NULL, "tone" character varying(64) NOT NULL, "length_bucket" character varying(16) NOT NULL, "text" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_f0820e15fed524d2d85494a0d0b" PRIMARY KEY ("id"))`);
    await db.query(`CREATE INDEX "ix_text_form_tone" ON "text_repository"  ("form", "tone") `);
    await db.query(`CREATE TABLE "correction_script" ("id" character varying(128) NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "name" character varying(128) NOT NULL, "style" text NOT NULL, "key_expressions" jsonb NOT NULL DEFAULT '[]', "speaker" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_46c1d7d76d62aea472c818969f1" UNIQUE ("name"), CONSTRAINT "PK_b2e785eae486c6780a34ce3e3bb" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "example" ("id" character varying(128) NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "awkward" text NOT NULL, "corrected" text NOT NULL, "reason" text NOT NULL, "reason_language" character varying(8) NOT NULL, "error_types" jsonb NOT NULL DEFAULT '[]', "form" character varying(64) NOT NULL, "tone" character varying(64) NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_608dd5fd6f0783062b07346ed1c" PRIMARY KEY ("id"))`);
    await db.query(`CREATE INDEX "ix_example_form_tone" ON "example"  ("form", "tone") `);
    await db.query(`CREATE TABLE "prompt_template" ("id" character varying(128) NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "name" character varying(128) NOT NULL, "version" integer NOT NULL, "body" text NOT NULL, "placeholders" jsonb NOT NULL DEFAULT '[]', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_template_name_version" UNIQUE ("name", "version"), CONSTRAINT "PK_01a2960dbe949ac6990b0882f90" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "generated_sample" ("id" character varying(128) NOT NULL, "pipeline_id" character varying(128) NOT NULL, "batch" integer NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "teacher" character varying(64) NOT NULL, "source_text_id" character varying(128), "example_id" character varying(128), "template_id" character varying(128), "awkward" text NOT NULL, "corrected" text NOT NULL, "reason" text NOT NULL, "reason_language" character varying(8) NOT NULL, "error_types" jsonb NOT NULL DEFAULT '[]', "status" character varying(16) NOT NULL DEFAULT 'pending', "rejection_reasons" jsonb NOT NULL DEFAULT '[]', "redactions" jsonb NOT NULL DEFAULT '[]', "split" character varying(8), "tokens" jsonb, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_6a016a2d0c56d267dfe10be4025" PRIMARY KEY ("id"))`);
    await db.query(`CREATE INDEX "ix_sample_pipeline_status" ON "generated_sample"  ("pipeline_id", "status") `);
    await db.query(`CREATE TABLE "dataset_version" ("id" character varying(128) NOT NULL, "pipeline_id" character varying(128) NOT NULL, "md5" character varying(64) NOT NULL, "path" text NOT NULL, "remote" text NOT NULL, "counts" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_67f8cd667a3a612b68c2cb1b5a5" UNIQUE ("pipeline_id"), CONSTRAINT "PK_7d54a8b56eede17c709cbdbe271" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "training_run" ("id" character varying(128) NOT NULL, "pipeline_id" character varying(128) NOT NULL, "backend" character varying(64) NOT NULL, "status" character varying(16) NOT NULL, "dataset_md5" character varying(64) NOT NULL, "mlflow_run_id" character varying(64), "params" jsonb NOT NULL DEFAULT '{}', "metrics" jsonb NOT NULL DEFAULT '{}', "artifact_path" text, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_82588959d8d32af6b3b47c25fdd" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "evaluation" ("id" character varying(128) NOT NULL, "pipeline_id" character varying(128) NOT NULL, "model_version" character varying(32), "engine" character varying(64) NOT NULL, "eval_set" character varying(64) NOT NULL, "eval_set_digest" character varying(64) NOT NULL, "metrics" jsonb NOT NULL DEFAULT '{}', "report" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_b72edd439b9db736f55b584fa54" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "model_version" ("id" character varying(128) NOT NULL, "name" character varying(128) NOT NULL, "version" character varying(32) NOT NULL, "pipeline_id" character varying(128) NOT NULL, "mlflow_run_id" character varying(64) NOT NULL, "dataset_md5" character varying(64) NOT NULL, "status" character varying(16) NOT NULL, "gate" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "promoted_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "uq_model_name_version" UNIQUE ("name", "version"), CONSTRAINT "PK_1213bca4e8ee7ac1323cc4bf454" PRIMARY KEY ("id"))`);
    await db.query(`CREATE TABLE "serving_request" ("id" character varying(128) NOT NULL, "language" character varying(16) NOT NULL DEFAULT 'en', "task" character varying(32) NOT NULL DEFAULT 'gec', "input_redacted" text NOT NULL, "output" text NOT NULL, "reason" text NOT NULL, "engine" character varying(64) NOT NULL, "model_version" character varying(32), "reason_language" character varying(8) NOT NULL, "latency_ms" double precision NOT NULL, "fallback" boolean NOT NULL DEFAULT false, "redactions" integer NOT NULL DEFAULT '0', "client" character varying(64), "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_28708bbdb3cabfb88a053501e8d" PRIMARY KEY ("id"))`);
    await db.query(`CREATE INDEX "ix_request_created" ON "serving_request"  ("created_at") `);
    await db.query(`CREATE TABLE "feedback" ("id" character varying(128) NOT NULL, "request_id" character varying(128) NOT NULL, "rating" character varying(8) NOT NULL, "better_correction" text, "comment" text, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_8389f9e087a57689cd5be8b2b13" PRIMARY KEY ("id"))`);
    await db.query(`CREATE INDEX "ix_feedback_request" ON "feedback"  ("request_id") `);
    await db.query(`CREATE TABLE "drift_report" ("id" character varying(128) NOT NULL, "model_name" character varying(128) NOT NULL, "window_start" TIMESTAMP WITH TIME ZONE NOT NULL, "window_end" TIMESTAMP WITH TIME ZONE NOT NULL, "sample_size" integer NOT NULL, "metrics" jsonb NOT NULL DEFAULT '{}', "drifted" boolean NOT NULL, "signaled" boolean NOT NULL DEFAULT false, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_3a005090ea70bae06cb05c79e48" PRIMARY KEY ("id"))`);
    await db.query(`ALTER TABLE "feedback" ADD CONSTRAINT "FK_e0298311b1725f2803cf906739c" FOREIGN KEY ("request_id") REFERENCES "serving_request"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`ALTER TABLE "feedback" DROP CONSTRAINT "FK_e0298311b1725f2803cf906739c"`);
    await db.query(`DROP TABLE "drift_report"`);
    await db.query(`DROP INDEX "public"."ix_feedback_request"`);
    await db.query(`DROP TABLE "feedback"`);
    await db.query(`DROP INDEX "public"."ix_request_created"`);
    await db.query(`DROP TABLE "serving_request"`);
    await db.query(`DROP TABLE "model_version"`);
    await db.query(`DROP TABLE "evaluation"`);
    await db.query(`DROP TABLE "training_run"`);
    await db.query(`DROP TABLE "dataset_version"`);
    await db.query(`DROP INDEX "public"."ix_sample_pipeline_status"`);
    await db.query(`DROP TABLE "generated_sample"`);
    await db.query(`DROP TABLE "prompt_template"`);
    await db.query(`DROP INDEX "public"."ix_example_form_tone"`);
    await db.query(`DROP TABLE "example"`);
    await db.query(`DROP TABLE "correction_script"`);
    await db.query(`DROP INDEX "public"."ix_text_form_tone"`);
    await db.query(`DROP TABLE "text_repository"`);
  }
}
