CREATE TABLE "ticket_dead_letters" (
	"id" serial PRIMARY KEY NOT NULL,
	"source_message_id" text NOT NULL,
	"channel" text NOT NULL,
	"job" jsonb NOT NULL,
	"error" text NOT NULL,
	"attempts" integer NOT NULL,
	"failures" integer DEFAULT 1 NOT NULL,
	"status" text DEFAULT 'dead' NOT NULL,
	"queued_at" timestamp with time zone NOT NULL,
	"failed_at" timestamp with time zone NOT NULL,
	"retried_at" timestamp with time zone,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_dead_letters_source_uq" ON "ticket_dead_letters" USING btree ("source_message_id");--> statement-breakpoint
CREATE INDEX "ticket_dead_letters_failed_idx" ON "ticket_dead_letters" USING btree ("failed_at");