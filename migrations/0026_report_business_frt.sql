CREATE TABLE `report_business_pending` (
	`chat_id` text NOT NULL,
	`at` integer NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`first_in_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `at`)
);
--> statement-breakpoint
ALTER TABLE `report_rollups` ADD `frt_business_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `report_rollups` ADD `frt_business_ms` integer DEFAULT 0 NOT NULL;