CREATE TABLE "promotions" (
	"id" serial PRIMARY KEY NOT NULL,
	"symbol" text NOT NULL,
	"horizon_days" integer NOT NULL,
	"model_id" integer NOT NULL,
	"previous_model_id" integer,
	"decision" text NOT NULL,
	"evidence" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "models" ADD COLUMN "scope" text DEFAULT 'asset' NOT NULL;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "signal" text DEFAULT 'clear' NOT NULL;--> statement-breakpoint
ALTER TABLE "predictions" ADD COLUMN "band" jsonb;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_model_id_models_id_fk" FOREIGN KEY ("model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "promotions" ADD CONSTRAINT "promotions_previous_model_id_models_id_fk" FOREIGN KEY ("previous_model_id") REFERENCES "public"."models"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promotions_symbol_horizon_idx" ON "promotions" USING btree ("symbol","horizon_days","created_at");