CREATE TABLE `archive_progress` (
	`id` integer PRIMARY KEY NOT NULL,
	`after_at` integer NOT NULL,
	`after_id` text NOT NULL,
	`updated_at` integer NOT NULL
);
