CREATE TABLE "problem_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"problem_id" integer NOT NULL,
	"kind" text NOT NULL,
	"from_status" text,
	"to_status" text,
	"actor" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_projects" (
	"id" serial PRIMARY KEY NOT NULL,
	"problem_id" integer NOT NULL,
	"title" text NOT NULL,
	"owner" text NOT NULL,
	"budget" integer,
	"milestones" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_suggestions" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"title" text NOT NULL,
	"category" text,
	"street" text,
	"spot" text,
	"ticket_ids" jsonb NOT NULL,
	"weekly" jsonb NOT NULL,
	"units" jsonb NOT NULL,
	"score" integer NOT NULL,
	"computed_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "problem_tickets" (
	"problem_id" integer NOT NULL,
	"ticket_id" integer NOT NULL,
	"state" text NOT NULL,
	"actor" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "problems" (
	"id" serial PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"lead_unit" text NOT NULL,
	"involved_units" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"category" text,
	"street" text,
	"spot" text,
	"target_date" timestamp with time zone,
	"notes" text,
	"suggestion_key" text,
	"solved_at" timestamp with time zone,
	"recurred_at" timestamp with time zone,
	"hotline_synced_at" timestamp with time zone,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "problem_events" ADD CONSTRAINT "problem_events_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_projects" ADD CONSTRAINT "problem_projects_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_tickets" ADD CONSTRAINT "problem_tickets_problem_id_problems_id_fk" FOREIGN KEY ("problem_id") REFERENCES "public"."problems"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "problem_tickets" ADD CONSTRAINT "problem_tickets_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "problem_events_problem_idx" ON "problem_events" USING btree ("problem_id","created_at");--> statement-breakpoint
CREATE INDEX "problem_projects_problem_idx" ON "problem_projects" USING btree ("problem_id");--> statement-breakpoint
CREATE UNIQUE INDEX "problem_tickets_uq" ON "problem_tickets" USING btree ("problem_id","ticket_id");--> statement-breakpoint
CREATE INDEX "problem_tickets_ticket_idx" ON "problem_tickets" USING btree ("ticket_id");--> statement-breakpoint
CREATE INDEX "problems_status_idx" ON "problems" USING btree ("status");--> statement-breakpoint
CREATE INDEX "problems_lead_unit_idx" ON "problems" USING btree ("lead_unit");--> statement-breakpoint
CREATE UNIQUE INDEX "problems_suggestion_uq" ON "problems" USING btree ("suggestion_key");