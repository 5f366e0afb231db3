-- Tables whose primary key is how every query reaches them become WITHOUT ROWID: the row is stored in
-- its key's B-tree, instead of a rowid table plus an index repeating the key (half their bytes, and one
-- B-tree write per upsert instead of two). Issue 19: report_histograms and report_rollups alone were
-- ~78 bytes per message on the bench's data set.
-- Each is copied aside, dropped and created again under its own name (a rename would make SQLite check
-- every trigger that names the table while it is missing). Dropping a table drops the triggers ON it:
-- those of report_rollups (0031, 0035) and report_histograms (0031) are created again, after the copy, so
-- the copy itself does not add to the day tables they keep.
-- chat_user_state's key becomes (chat_id, user_id): the live frames read a chat's readers by chat_id
-- on every webhook, which the old (user_id, chat_id) key could only answer by scanning the whole table;
-- the inbox lists join on both columns, which either order serves.
CREATE TABLE `report_rollups_rebuild` AS SELECT * FROM `report_rollups`;
--> statement-breakpoint
DROP TABLE `report_rollups`;
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
	`wait_ms` integer DEFAULT 0 NOT NULL, `csat_count` integer DEFAULT 0 NOT NULL, `csat_sum` integer DEFAULT 0 NOT NULL, `frt_business_count` integer DEFAULT 0 NOT NULL, `frt_business_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `integration_id`, `user_key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_rollups` SELECT * FROM `report_rollups_rebuild`;
--> statement-breakpoint
DROP TABLE `report_rollups_rebuild`;
--> statement-breakpoint
CREATE TABLE `report_histograms_rebuild` AS SELECT * FROM `report_histograms`;
--> statement-breakpoint
DROP TABLE `report_histograms`;
--> statement-breakpoint
CREATE TABLE `report_histograms` (
	`hour` integer NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`metric` text NOT NULL,
	`bucket` integer NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`hour`, `integration_id`, `user_key`, `metric`, `bucket`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_histograms` SELECT * FROM `report_histograms_rebuild`;
--> statement-breakpoint
DROP TABLE `report_histograms_rebuild`;
--> statement-breakpoint
CREATE TABLE `report_chat_state_rebuild` AS SELECT * FROM `report_chat_state`;
--> statement-breakpoint
DROP TABLE `report_chat_state`;
--> statement-breakpoint
CREATE TABLE `report_chat_state` (
	`chat_id` text PRIMARY KEY NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text DEFAULT '' NOT NULL,
	`opened_at` integer,
	`first_in_at` integer,
	`replied` integer DEFAULT 0 NOT NULL,
	`unassigned_since` integer,
	`new_pending` integer DEFAULT 0 NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_chat_state` SELECT * FROM `report_chat_state_rebuild`;
--> statement-breakpoint
DROP TABLE `report_chat_state_rebuild`;
--> statement-breakpoint
CREATE TABLE `report_business_pending_rebuild` AS SELECT * FROM `report_business_pending`;
--> statement-breakpoint
DROP TABLE `report_business_pending`;
--> statement-breakpoint
CREATE TABLE `report_business_pending` (
	`chat_id` text NOT NULL,
	`at` integer NOT NULL,
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`first_in_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `at`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_business_pending` SELECT * FROM `report_business_pending_rebuild`;
--> statement-breakpoint
DROP TABLE `report_business_pending_rebuild`;
--> statement-breakpoint
CREATE TABLE `report_open_now_rebuild` AS SELECT * FROM `report_open_now`;
--> statement-breakpoint
DROP TABLE `report_open_now`;
--> statement-breakpoint
CREATE TABLE `report_open_now` (
	`integration_id` text NOT NULL,
	`user_key` text NOT NULL,
	`n` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`integration_id`, `user_key`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `report_open_now` SELECT * FROM `report_open_now_rebuild`;
--> statement-breakpoint
DROP TABLE `report_open_now_rebuild`;
--> statement-breakpoint
CREATE TABLE `chat_user_state_rebuild` AS SELECT * FROM `chat_user_state`;
--> statement-breakpoint
DROP TABLE `chat_user_state`;
--> statement-breakpoint
CREATE TABLE `chat_user_state` (
	`chat_id` text NOT NULL,
	`user_id` text NOT NULL,
	`muted` integer DEFAULT false NOT NULL,
	`last_read_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`chat_id`, `user_id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `chat_user_state` SELECT * FROM `chat_user_state_rebuild`;
--> statement-breakpoint
DROP TABLE `chat_user_state_rebuild`;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_day_insert` AFTER INSERT ON `report_rollups` BEGIN
  INSERT INTO `report_rollup_days` (`day`, `integration_id`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`new_chats`, new.`reopened`, new.`closed`, new.`messages_in`, new.`messages_out`, new.`replies`, new.`frt_count`, new.`frt_ms`, new.`frt_business_count`, new.`frt_business_ms`, new.`resolution_count`, new.`resolution_ms`, new.`wait_count`, new.`wait_ms`, new.`csat_count`, new.`csat_sum`)
    ON CONFLICT (`day`, `integration_id`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_day_update` AFTER UPDATE ON `report_rollups` WHEN old.`hour` / 24 = new.`hour` / 24 AND old.`integration_id` = new.`integration_id` AND old.`user_key` = new.`user_key` BEGIN
  INSERT INTO `report_rollup_days` (`day`, `integration_id`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`new_chats` - old.`new_chats`, new.`reopened` - old.`reopened`, new.`closed` - old.`closed`, new.`messages_in` - old.`messages_in`, new.`messages_out` - old.`messages_out`, new.`replies` - old.`replies`, new.`frt_count` - old.`frt_count`, new.`frt_ms` - old.`frt_ms`, new.`frt_business_count` - old.`frt_business_count`, new.`frt_business_ms` - old.`frt_business_ms`, new.`resolution_count` - old.`resolution_count`, new.`resolution_ms` - old.`resolution_ms`, new.`wait_count` - old.`wait_count`, new.`wait_ms` - old.`wait_ms`, new.`csat_count` - old.`csat_count`, new.`csat_sum` - old.`csat_sum`)
    ON CONFLICT (`day`, `integration_id`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_day_rekey` AFTER UPDATE ON `report_rollups` WHEN NOT (old.`hour` / 24 = new.`hour` / 24 AND old.`integration_id` = new.`integration_id` AND old.`user_key` = new.`user_key`) BEGIN
  UPDATE `report_rollup_days` SET `new_chats` = `new_chats` - old.`new_chats`, `reopened` = `reopened` - old.`reopened`, `closed` = `closed` - old.`closed`, `messages_in` = `messages_in` - old.`messages_in`, `messages_out` = `messages_out` - old.`messages_out`, `replies` = `replies` - old.`replies`, `frt_count` = `frt_count` - old.`frt_count`, `frt_ms` = `frt_ms` - old.`frt_ms`, `frt_business_count` = `frt_business_count` - old.`frt_business_count`, `frt_business_ms` = `frt_business_ms` - old.`frt_business_ms`, `resolution_count` = `resolution_count` - old.`resolution_count`, `resolution_ms` = `resolution_ms` - old.`resolution_ms`, `wait_count` = `wait_count` - old.`wait_count`, `wait_ms` = `wait_ms` - old.`wait_ms`, `csat_count` = `csat_count` - old.`csat_count`, `csat_sum` = `csat_sum` - old.`csat_sum`
    WHERE `day` = old.`hour` / 24 AND `integration_id` = old.`integration_id` AND `user_key` = old.`user_key`;
  INSERT INTO `report_rollup_days` (`day`, `integration_id`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`new_chats`, new.`reopened`, new.`closed`, new.`messages_in`, new.`messages_out`, new.`replies`, new.`frt_count`, new.`frt_ms`, new.`frt_business_count`, new.`frt_business_ms`, new.`resolution_count`, new.`resolution_ms`, new.`wait_count`, new.`wait_ms`, new.`csat_count`, new.`csat_sum`)
    ON CONFLICT (`day`, `integration_id`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_day_delete` AFTER DELETE ON `report_rollups` BEGIN
  UPDATE `report_rollup_days` SET `new_chats` = `new_chats` - old.`new_chats`, `reopened` = `reopened` - old.`reopened`, `closed` = `closed` - old.`closed`, `messages_in` = `messages_in` - old.`messages_in`, `messages_out` = `messages_out` - old.`messages_out`, `replies` = `replies` - old.`replies`, `frt_count` = `frt_count` - old.`frt_count`, `frt_ms` = `frt_ms` - old.`frt_ms`, `frt_business_count` = `frt_business_count` - old.`frt_business_count`, `frt_business_ms` = `frt_business_ms` - old.`frt_business_ms`, `resolution_count` = `resolution_count` - old.`resolution_count`, `resolution_ms` = `resolution_ms` - old.`resolution_ms`, `wait_count` = `wait_count` - old.`wait_count`, `wait_ms` = `wait_ms` - old.`wait_ms`, `csat_count` = `csat_count` - old.`csat_count`, `csat_sum` = `csat_sum` - old.`csat_sum`
    WHERE `day` = old.`hour` / 24 AND `integration_id` = old.`integration_id` AND `user_key` = old.`user_key`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_user_hour_insert` AFTER INSERT ON `report_rollups` BEGIN
  INSERT INTO `report_rollup_user_hours` (`hour`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour`, new.`user_key`, new.`new_chats`, new.`reopened`, new.`closed`, new.`messages_in`, new.`messages_out`, new.`replies`, new.`frt_count`, new.`frt_ms`, new.`frt_business_count`, new.`frt_business_ms`, new.`resolution_count`, new.`resolution_ms`, new.`wait_count`, new.`wait_ms`, new.`csat_count`, new.`csat_sum`)
    ON CONFLICT (`hour`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_user_hour_update` AFTER UPDATE ON `report_rollups` WHEN old.`hour` = new.`hour` AND old.`user_key` = new.`user_key` BEGIN
  INSERT INTO `report_rollup_user_hours` (`hour`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour`, new.`user_key`, new.`new_chats` - old.`new_chats`, new.`reopened` - old.`reopened`, new.`closed` - old.`closed`, new.`messages_in` - old.`messages_in`, new.`messages_out` - old.`messages_out`, new.`replies` - old.`replies`, new.`frt_count` - old.`frt_count`, new.`frt_ms` - old.`frt_ms`, new.`frt_business_count` - old.`frt_business_count`, new.`frt_business_ms` - old.`frt_business_ms`, new.`resolution_count` - old.`resolution_count`, new.`resolution_ms` - old.`resolution_ms`, new.`wait_count` - old.`wait_count`, new.`wait_ms` - old.`wait_ms`, new.`csat_count` - old.`csat_count`, new.`csat_sum` - old.`csat_sum`)
    ON CONFLICT (`hour`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_user_hour_rekey` AFTER UPDATE ON `report_rollups` WHEN NOT (old.`hour` = new.`hour` AND old.`user_key` = new.`user_key`) BEGIN
  UPDATE `report_rollup_user_hours` SET `new_chats` = `new_chats` - old.`new_chats`, `reopened` = `reopened` - old.`reopened`, `closed` = `closed` - old.`closed`, `messages_in` = `messages_in` - old.`messages_in`, `messages_out` = `messages_out` - old.`messages_out`, `replies` = `replies` - old.`replies`, `frt_count` = `frt_count` - old.`frt_count`, `frt_ms` = `frt_ms` - old.`frt_ms`, `frt_business_count` = `frt_business_count` - old.`frt_business_count`, `frt_business_ms` = `frt_business_ms` - old.`frt_business_ms`, `resolution_count` = `resolution_count` - old.`resolution_count`, `resolution_ms` = `resolution_ms` - old.`resolution_ms`, `wait_count` = `wait_count` - old.`wait_count`, `wait_ms` = `wait_ms` - old.`wait_ms`, `csat_count` = `csat_count` - old.`csat_count`, `csat_sum` = `csat_sum` - old.`csat_sum`
    WHERE `hour` = old.`hour` AND `user_key` = old.`user_key`;
  INSERT INTO `report_rollup_user_hours` (`hour`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
    VALUES (new.`hour`, new.`user_key`, new.`new_chats`, new.`reopened`, new.`closed`, new.`messages_in`, new.`messages_out`, new.`replies`, new.`frt_count`, new.`frt_ms`, new.`frt_business_count`, new.`frt_business_ms`, new.`resolution_count`, new.`resolution_ms`, new.`wait_count`, new.`wait_ms`, new.`csat_count`, new.`csat_sum`)
    ON CONFLICT (`hour`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + excluded.`new_chats`, `reopened` = `reopened` + excluded.`reopened`, `closed` = `closed` + excluded.`closed`, `messages_in` = `messages_in` + excluded.`messages_in`, `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`, `frt_count` = `frt_count` + excluded.`frt_count`, `frt_ms` = `frt_ms` + excluded.`frt_ms`, `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`, `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`, `wait_count` = `wait_count` + excluded.`wait_count`, `wait_ms` = `wait_ms` + excluded.`wait_ms`, `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_rollups_user_hour_delete` AFTER DELETE ON `report_rollups` BEGIN
  UPDATE `report_rollup_user_hours` SET `new_chats` = `new_chats` - old.`new_chats`, `reopened` = `reopened` - old.`reopened`, `closed` = `closed` - old.`closed`, `messages_in` = `messages_in` - old.`messages_in`, `messages_out` = `messages_out` - old.`messages_out`, `replies` = `replies` - old.`replies`, `frt_count` = `frt_count` - old.`frt_count`, `frt_ms` = `frt_ms` - old.`frt_ms`, `frt_business_count` = `frt_business_count` - old.`frt_business_count`, `frt_business_ms` = `frt_business_ms` - old.`frt_business_ms`, `resolution_count` = `resolution_count` - old.`resolution_count`, `resolution_ms` = `resolution_ms` - old.`resolution_ms`, `wait_count` = `wait_count` - old.`wait_count`, `wait_ms` = `wait_ms` - old.`wait_ms`, `csat_count` = `csat_count` - old.`csat_count`, `csat_sum` = `csat_sum` - old.`csat_sum`
    WHERE `hour` = old.`hour` AND `user_key` = old.`user_key`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histograms_day_insert` AFTER INSERT ON `report_histograms` BEGIN
  INSERT INTO `report_histogram_days` (`day`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`metric`, new.`bucket`, new.`n`)
    ON CONFLICT (`day`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histograms_day_update` AFTER UPDATE ON `report_histograms` WHEN old.`hour` / 24 = new.`hour` / 24 AND old.`integration_id` = new.`integration_id` AND old.`user_key` = new.`user_key` AND old.`metric` = new.`metric` AND old.`bucket` = new.`bucket` BEGIN
  INSERT INTO `report_histogram_days` (`day`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`metric`, new.`bucket`, new.`n` - old.`n`)
    ON CONFLICT (`day`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histograms_day_rekey` AFTER UPDATE ON `report_histograms` WHEN NOT (old.`hour` / 24 = new.`hour` / 24 AND old.`integration_id` = new.`integration_id` AND old.`user_key` = new.`user_key` AND old.`metric` = new.`metric` AND old.`bucket` = new.`bucket`) BEGIN
  UPDATE `report_histogram_days` SET `n` = `n` - old.`n`
    WHERE `day` = old.`hour` / 24 AND `integration_id` = old.`integration_id` AND `user_key` = old.`user_key` AND `metric` = old.`metric` AND `bucket` = old.`bucket`;
  INSERT INTO `report_histogram_days` (`day`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`hour` / 24, new.`integration_id`, new.`user_key`, new.`metric`, new.`bucket`, new.`n`)
    ON CONFLICT (`day`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histograms_day_delete` AFTER DELETE ON `report_histograms` BEGIN
  UPDATE `report_histogram_days` SET `n` = `n` - old.`n`
    WHERE `day` = old.`hour` / 24 AND `integration_id` = old.`integration_id` AND `user_key` = old.`user_key` AND `metric` = old.`metric` AND `bucket` = old.`bucket`;
END;
