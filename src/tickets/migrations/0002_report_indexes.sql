CREATE INDEX "ticket_events_status_at_idx" ON "ticket_events" USING btree ("to_status","created_at","ticket_id");--> statement-breakpoint
CREATE INDEX "tickets_due_idx" ON "tickets" USING btree ("due_at");--> statement-breakpoint
CREATE INDEX "tickets_created_place_idx" ON "tickets" USING btree ("created_at","district","street","category","channel");