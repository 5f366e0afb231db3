CREATE TABLE `csat_ratings` (
	`id` text PRIMARY KEY NOT NULL,
	`chat_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`manager_id` text,
	`question_message_id` text NOT NULL,
	`rating` integer,
	`comment` text,
	`asked_at` integer NOT NULL,
	`rated_at` integer,
	`commented_at` integer,
	`cancelled_at` integer,
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`manager_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `csat_ratings_question` ON `csat_ratings` (`question_message_id`);--> statement-breakpoint
CREATE INDEX `csat_ratings_chat` ON `csat_ratings` (`chat_id`,`asked_at`);--> statement-breakpoint
CREATE INDEX `csat_ratings_integration_rated` ON `csat_ratings` (`integration_id`,`rated_at`);--> statement-breakpoint
CREATE INDEX `csat_ratings_manager_rated` ON `csat_ratings` (`manager_id`,`rated_at`);--> statement-breakpoint
ALTER TABLE `integrations` ADD `csat_enabled` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `pending_op` text;--> statement-breakpoint
ALTER TABLE `messages` ADD `deleted_at` integer;