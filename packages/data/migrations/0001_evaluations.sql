CREATE TABLE "evaluations" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbols" text[] NOT NULL,
	"horizons" integer[] NOT NULL,
	"config" jsonb NOT NULL,
	"report" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "evaluations_created_at_idx" ON "evaluations" USING btree ("created_at");