CREATE TABLE "assets" (
	"symbol" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"coingecko_id" text,
	"binance_symbol" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "candles" (
	"symbol" text NOT NULL,
	"interval" text NOT NULL,
	"source" text NOT NULL,
	"open_time" timestamp with time zone NOT NULL,
	"open" double precision,
	"high" double precision,
	"low" double precision,
	"close" double precision NOT NULL,
	"base_volume" double precision,
	"quote_volume_usd" double precision,
	"market_cap_usd" double precision,
	"ingested_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "candles_pkey" PRIMARY KEY("symbol","interval","source","open_time")
);
--> statement-breakpoint
CREATE TABLE "model_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"engine" text NOT NULL,
	"backend" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"config" jsonb NOT NULL,
	"data_source" text NOT NULL,
	"data_from" timestamp with time zone,
	"data_to" timestamp with time zone,
	"epochs" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"metrics" jsonb,
	"artifact_dir" text,
	"git_commit" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "models" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"version" text NOT NULL,
	"location" text NOT NULL,
	"metrics" jsonb NOT NULL,
	"metadata" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "models_symbol_horizon_version_key" UNIQUE("symbol","horizon_days","version")
);
--> statement-breakpoint
CREATE TABLE "predictions" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"as_of" date NOT NULL,
	"probabilities" jsonb NOT NULL,
	"class" text NOT NULL,
	"confidence" double precision NOT NULL,
	"model_version" text NOT NULL,
	"placeholders" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "predictions_symbol_horizon_as_of_version_key" UNIQUE("symbol","horizon_days","as_of","model_version")
);
--> statement-breakpoint
CREATE INDEX "candles_symbol_interval_open_time_idx" ON "candles" USING btree ("symbol","interval","open_time");--> statement-breakpoint
CREATE INDEX "model_runs_symbol_horizon_idx" ON "model_runs" USING btree ("symbol","horizon_days");