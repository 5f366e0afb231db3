CREATE TABLE `canned_responses` (
	`id` text PRIMARY KEY NOT NULL,
	`owner_id` text,
	`shortcut` text NOT NULL,
	`title` text NOT NULL,
	`text` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `canned_responses_shared_shortcut` ON `canned_responses` (`shortcut`) WHERE owner_id IS NULL;--> statement-breakpoint
CREATE UNIQUE INDEX `canned_responses_owner_shortcut` ON `canned_responses` (`owner_id`,`shortcut`);