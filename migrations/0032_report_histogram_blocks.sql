CREATE TABLE `report_histogram_blocks` (
	`block` integer NOT NULL,
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`block`, `user_key`, `metric`, `bucket`)
) WITHOUT ROWID;
