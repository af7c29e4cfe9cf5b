ALTER TABLE "ticket_events" ADD COLUMN "unit" text;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "dedupe_key" text;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "notify" text;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "notified_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "overdue_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "duplicate_of" integer;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "rating" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "rated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "hotline_ref" text;--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "hotline_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_duplicate_of_tickets_id_fk" FOREIGN KEY ("duplicate_of") REFERENCES "public"."tickets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_events_dedupe_uq" ON "ticket_events" USING btree ("dedupe_key");--> statement-breakpoint
CREATE INDEX "ticket_events_outbox_idx" ON "ticket_events" USING btree ("created_at") WHERE "ticket_events"."notify" is not null and "ticket_events"."notified_at" is null;--> statement-breakpoint
CREATE INDEX "tickets_cluster_idx" ON "tickets" USING btree ("category","street","created_at");--> statement-breakpoint
CREATE INDEX "tickets_duplicate_of_idx" ON "tickets" USING btree ("duplicate_of");