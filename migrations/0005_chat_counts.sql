CREATE TABLE `chat_counts` (
	`status` text NOT NULL,
	`responsible_key` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`status`, `responsible_key`)
);
