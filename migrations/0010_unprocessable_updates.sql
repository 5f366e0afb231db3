CREATE TABLE `unprocessable_updates` (
	`id` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`channel` text NOT NULL,
	`reason` text NOT NULL,
	`raw_body` text NOT NULL,
	`raw_size` integer NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `unprocessable_updates_integration` ON `unprocessable_updates` (`integration_id`,`received_at`);