ALTER TABLE "ticket_events" ADD COLUMN "hotline_owed" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "ticket_events" ADD COLUMN "hotline_sent_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "ticket_events_hotline_outbox_idx" ON "ticket_events" USING btree ("ticket_id","id") WHERE "ticket_events"."hotline_owed" and "ticket_events"."hotline_sent_at" is null;