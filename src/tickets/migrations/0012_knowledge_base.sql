CREATE TABLE "category_corrections" (
	"id" serial PRIMARY KEY NOT NULL,
	"ticket_id" integer NOT NULL,
	"text" text NOT NULL,
	"from_category" text,
	"to_category" text NOT NULL,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_review_done" (
	"key" text PRIMARY KEY NOT NULL,
	"resolution" text NOT NULL,
	"faq_id" text,
	"kb_version" integer,
	"actor" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "kb_versions" (
	"id" serial PRIMARY KEY NOT NULL,
	"entries" jsonb NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "category_corrections" ADD CONSTRAINT "category_corrections_ticket_id_tickets_id_fk" FOREIGN KEY ("ticket_id") REFERENCES "public"."tickets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "category_corrections_created_idx" ON "category_corrections" USING btree ("created_at");