CREATE TABLE "monitoring_summaries" (
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"summary" jsonb NOT NULL,
	"computed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "monitoring_summaries_pkey" PRIMARY KEY("symbol","horizon_days")
);
