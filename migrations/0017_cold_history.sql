CREATE TABLE `archive_settings` (
	`id` integer PRIMARY KEY NOT NULL,
	`archive_after_months` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`updated_by` text,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `archived_history` (
	`object_key` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`first_at` integer NOT NULL,
	`first_id` text NOT NULL,
	`last_at` integer NOT NULL,
	`last_id` text NOT NULL,
	`message_count` integer NOT NULL,
	`bytes` integer NOT NULL,
	`archived_at` integer NOT NULL,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `archived_history_chat` ON `archived_history` (`chat_id`,`last_at`,`last_id`);