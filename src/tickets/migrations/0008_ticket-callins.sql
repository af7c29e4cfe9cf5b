CREATE TABLE "ticket_callins" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"unit" text NOT NULL,
	"called_by" text NOT NULL,
	"note" text,
	"called_at" timestamp with time zone NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"reported_at" timestamp with time zone,
	"reported_by" text,
	"report_note" text,
	"late_at" timestamp with time zone
);
--> statement-breakpoint
ALTER TABLE "ticket_callins" ADD CONSTRAINT "ticket_callins_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "ticket_callins_ticket_unit_uq" ON "ticket_callins" USING btree ("ticket_id","unit");--> statement-breakpoint
CREATE INDEX "ticket_callins_unit_idx" ON "ticket_callins" USING btree ("unit","called_at");--> statement-breakpoint
CREATE INDEX "ticket_callins_called_idx" ON "ticket_callins" USING btree ("called_at");--> statement-breakpoint
CREATE INDEX "ticket_callins_owed_idx" ON "ticket_callins" USING btree ("due_at") WHERE "ticket_callins"."reported_at" is null and "ticket_callins"."late_at" is null;