CREATE TABLE `report_buckets` (
	`bucket` integer PRIMARY KEY NOT NULL,
	`lower_ms` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `report_buckets_lower_ms_unique` ON `report_buckets` (`lower_ms`);--> statement-breakpoint
CREATE TABLE `report_chat_state` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text DEFAULT '' NOT NULL,
	`opened_at` integer,
	`first_in_at` integer,
	`replied` integer DEFAULT 0 NOT NULL,
	`unassigned_since` integer,
	`new_pending` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `report_histograms` (
	`hour` integer NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `integration_id`, `user_key`, `metric`, `bucket`)
);
--> statement-breakpoint
CREATE TABLE `report_open_now` (
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`integration_id`, `user_key`)
);
--> statement-breakpoint
CREATE TABLE `report_rollups` (
	`hour` integer NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`new_chats` integer DEFAULT 0 NOT NULL,
	`reopened` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`messages_in` integer DEFAULT 0 NOT NULL,
	`messages_out` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`frt_count` integer DEFAULT 0 NOT NULL,
	`frt_ms` integer DEFAULT 0 NOT NULL,
	`resolution_count` integer DEFAULT 0 NOT NULL,
	`resolution_ms` integer DEFAULT 0 NOT NULL,
	`wait_count` integer DEFAULT 0 NOT NULL,
	`wait_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `integration_id`, `user_key`)
);
