CREATE TABLE `chat_counts` (
	`viewer` text NOT NULL,
	`status` text NOT NULL,
	`responsible_key` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`viewer`, `status`, `responsible_key`)
);
