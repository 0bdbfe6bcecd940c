CREATE TABLE "risk_scores" (
	"symbol" text NOT NULL,
	"day" date NOT NULL,
	"score" double precision,
	"reason" text,
	"reason_message" text,
	"components" jsonb NOT NULL,
	"method_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "risk_scores_pkey" PRIMARY KEY("symbol","day"),
	CONSTRAINT "risk_scores_score_or_reason" CHECK (("risk_scores"."score" is null) = ("risk_scores"."reason" is not null) and ("risk_scores"."reason" is null) = ("risk_scores"."reason_message" is null)),
	CONSTRAINT "risk_scores_score_range" CHECK ("risk_scores"."score" between 0 and 100)
);
