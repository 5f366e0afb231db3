-- report_histogram_days summed over integrations per eight-day block (report_histogram_blocks), kept the
-- way 0031 keeps the days from the hours: an insert adds, an update adds the difference, a delete or a
-- moved key takes the old amount out.
CREATE TRIGGER `report_histogram_days_block_insert` AFTER INSERT ON `report_histogram_days` BEGIN
  INSERT INTO `report_histogram_blocks` (`block`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`day` / 8, new.`user_key`, new.`metric`, new.`bucket`, new.`n`)
    ON CONFLICT (`block`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histogram_days_block_update` AFTER UPDATE ON `report_histogram_days` WHEN old.`day` / 8 = new.`day` / 8 AND old.`user_key` = new.`user_key` AND old.`metric` = new.`metric` AND old.`bucket` = new.`bucket` BEGIN
  INSERT INTO `report_histogram_blocks` (`block`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`day` / 8, new.`user_key`, new.`metric`, new.`bucket`, new.`n` - old.`n`)
    ON CONFLICT (`block`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histogram_days_block_rekey` AFTER UPDATE ON `report_histogram_days` WHEN NOT (old.`day` / 8 = new.`day` / 8 AND old.`user_key` = new.`user_key` AND old.`metric` = new.`metric` AND old.`bucket` = new.`bucket`) BEGIN
  UPDATE `report_histogram_blocks` SET `n` = `n` - old.`n`
    WHERE `block` = old.`day` / 8 AND `user_key` = old.`user_key` AND `metric` = old.`metric` AND `bucket` = old.`bucket`;
  INSERT INTO `report_histogram_blocks` (`block`, `user_key`, `metric`, `bucket`, `n`)
    VALUES (new.`day` / 8, new.`user_key`, new.`metric`, new.`bucket`, new.`n`)
    ON CONFLICT (`block`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + excluded.`n`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_histogram_days_block_delete` AFTER DELETE ON `report_histogram_days` BEGIN
  UPDATE `report_histogram_blocks` SET `n` = `n` - old.`n`
    WHERE `block` = old.`day` / 8 AND `user_key` = old.`user_key` AND `metric` = old.`metric` AND `bucket` = old.`bucket`;
END;
--> statement-breakpoint
INSERT INTO `report_histogram_blocks` (`block`, `user_key`, `metric`, `bucket`, `n`)
  SELECT `day` / 8, `user_key`, `metric`, `bucket`, sum(`n`) FROM `report_histogram_days` GROUP BY 1, 2, 3, 4;
