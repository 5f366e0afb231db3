-- report_rollups and report_histograms summed per UTC day (issue 18: a 90-day report read every hourly row
-- of its range). Triggers on the hourly tables keep the days, so whatever writes an hour (report_feed_apply,
-- the business-hours timing in JavaScript, the backfill) moves its day by the same amount. An upsert that
-- updates an hour fires its UPDATE trigger, which adds the difference (one statement: the hot path of a
-- webhook pays one more upsert per rollup row it touches). Keys never change in place; if one did, the rekey
-- trigger moves the old amounts out of the old day.
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
--> statement-breakpoint
-- The days of what is already kept.
INSERT INTO `report_rollup_days` (`day`, `integration_id`, `user_key`, `new_chats`, `reopened`, `closed`, `messages_in`, `messages_out`, `replies`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`, `resolution_count`, `resolution_ms`, `wait_count`, `wait_ms`, `csat_count`, `csat_sum`)
  SELECT `hour` / 24, `integration_id`, `user_key`, sum(`new_chats`), sum(`reopened`), sum(`closed`), sum(`messages_in`), sum(`messages_out`), sum(`replies`), sum(`frt_count`), sum(`frt_ms`), sum(`frt_business_count`), sum(`frt_business_ms`), sum(`resolution_count`), sum(`resolution_ms`), sum(`wait_count`), sum(`wait_ms`), sum(`csat_count`), sum(`csat_sum`) FROM `report_rollups` GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `report_histogram_days` (`day`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
  SELECT `hour` / 24, `integration_id`, `user_key`, `metric`, `bucket`, sum(`n`) FROM `report_histograms` GROUP BY 1, 2, 3, 4, 5;
