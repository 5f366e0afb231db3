CREATE TABLE `report_histogram_user_days` (
	`day` integer NOT NULL,
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `user_key`, `metric`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_rollup_user_days` (
	`day` integer NOT NULL,
	`user_key` text NOT NULL,
	`new_chats` integer DEFAULT 0 NOT NULL,
	`reopened` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`messages_in` integer DEFAULT 0 NOT NULL,
	`messages_out` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`frt_count` integer DEFAULT 0 NOT NULL,
	`frt_ms` integer DEFAULT 0 NOT NULL,
	`frt_business_count` integer DEFAULT 0 NOT NULL,
	`frt_business_ms` integer DEFAULT 0 NOT NULL,
	`resolution_count` integer DEFAULT 0 NOT NULL,
	`resolution_ms` integer DEFAULT 0 NOT NULL,
	`wait_count` integer DEFAULT 0 NOT NULL,
	`wait_ms` integer DEFAULT 0 NOT NULL,
	`csat_count` integer DEFAULT 0 NOT NULL,
	`csat_sum` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`day`, `user_key`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `report_rollup_user_hours` (
	`hour` integer NOT NULL,
	`user_key` text NOT NULL,
	`new_chats` integer DEFAULT 0 NOT NULL,
	`reopened` integer DEFAULT 0 NOT NULL,
	`closed` integer DEFAULT 0 NOT NULL,
	`messages_in` integer DEFAULT 0 NOT NULL,
	`messages_out` integer DEFAULT 0 NOT NULL,
	`replies` integer DEFAULT 0 NOT NULL,
	`frt_count` integer DEFAULT 0 NOT NULL,
	`frt_ms` integer DEFAULT 0 NOT NULL,
	`frt_business_count` integer DEFAULT 0 NOT NULL,
	`frt_business_ms` integer DEFAULT 0 NOT NULL,
	`resolution_count` integer DEFAULT 0 NOT NULL,
	`resolution_ms` integer DEFAULT 0 NOT NULL,
	`wait_count` integer DEFAULT 0 NOT NULL,
	`wait_ms` integer DEFAULT 0 NOT NULL,
	`csat_count` integer DEFAULT 0 NOT NULL,
	`csat_sum` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `user_key`)
) WITHOUT ROWID;
