CREATE TABLE "photos" (
	"id" uuid PRIMARY KEY NOT NULL,
	"owner" text NOT NULL,
	"source" text,
	"mime" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"bytes" "bytea" NOT NULL,
	"thumb" "bytea" NOT NULL,
	"gps" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "photos_source_idx" ON "photos" USING btree ("source");--> statement-breakpoint
CREATE INDEX "photos_owner_idx" ON "photos" USING btree ("owner");--> statement-breakpoint
CREATE INDEX "photos_created_idx" ON "photos" USING btree ("created_at");