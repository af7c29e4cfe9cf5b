DROP INDEX "tickets_cluster_idx";--> statement-breakpoint
CREATE INDEX "tickets_cluster_idx" ON "tickets" USING btree ("category","street","created_at") WHERE "tickets"."duplicate_of" is null;