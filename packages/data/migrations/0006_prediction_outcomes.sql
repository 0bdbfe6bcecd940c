CREATE TABLE "prediction_baselines" (
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"as_of" date NOT NULL,
	"model_version" text NOT NULL,
	"baselines" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prediction_baselines_pkey" PRIMARY KEY("symbol","horizon_days","as_of","model_version")
);
--> statement-breakpoint
CREATE TABLE "prediction_outcomes" (
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"as_of" date NOT NULL,
	"model_version" text NOT NULL,
	"end_day" date NOT NULL,
	"close_at_as_of" double precision NOT NULL,
	"close_at_end" double precision NOT NULL,
	"realised_class" text NOT NULL,
	"resolved_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "prediction_outcomes_pkey" PRIMARY KEY("symbol","horizon_days","as_of","model_version"),
	CONSTRAINT "prediction_outcomes_class" CHECK ("prediction_outcomes"."realised_class" in ('bearish', 'neutral', 'bullish'))
);
