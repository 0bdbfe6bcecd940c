CREATE TABLE "fold_results" (
	"key" text PRIMARY KEY NOT NULL,
	"task_id" text NOT NULL,
	"outcome" jsonb NOT NULL,
	"completions" integer DEFAULT 1 NOT NULL,
	"worker" text NOT NULL,
	"finished_at" timestamp with time zone DEFAULT now() NOT NULL
);
