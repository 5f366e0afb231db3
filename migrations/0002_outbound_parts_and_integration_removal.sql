ALTER TABLE `integrations` ADD `removed_at` integer;--> statement-breakpoint
ALTER TABLE `messages` ADD `sent_parts` integer DEFAULT 0 NOT NULL;