ALTER TABLE "photos" ALTER COLUMN "bytes" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "photos" ALTER COLUMN "thumb" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "photos" ADD COLUMN "storage" text DEFAULT 'db' NOT NULL;