DROP INDEX `messages_external`;--> statement-breakpoint
DROP INDEX `messages_receipts`;--> statement-breakpoint
DROP INDEX `messages_pending`;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external` ON `messages` (`chat_id`,`external_id`) WHERE "direction" = 'in';--> statement-breakpoint
CREATE INDEX `messages_receipts` ON `messages` (`external_id`) WHERE "direction" = 'out';--> statement-breakpoint
CREATE INDEX `messages_pending` ON `messages` (`next_attempt_at`) WHERE "next_attempt_at" IS NOT NULL;