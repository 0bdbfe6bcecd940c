CREATE TABLE "risk_models" (
	"day" date PRIMARY KEY NOT NULL,
	"model" jsonb NOT NULL,
	"series" jsonb NOT NULL,
	"method_version" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
