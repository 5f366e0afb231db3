-- CSAT answers into the report rollups: the hour the client rated, the integration, the manager rated
-- ('' for an unassigned chat). A rating is written once with its time (worker/domain/csat rateWrite).
CREATE TRIGGER `report_csat_rated` AFTER UPDATE OF `rating` ON `csat_ratings`
  WHEN old.`rating` IS NULL AND new.`rating` IS NOT NULL AND new.`rated_at` IS NOT NULL BEGIN
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `csat_count`, `csat_sum`)
    VALUES (CAST(new.`rated_at` AS INTEGER) / 3600000, new.`integration_id`, coalesce(new.`manager_id`, ''), 1, new.`rating`)
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `csat_count` = `csat_count` + 1, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_csat_inserted` AFTER INSERT ON `csat_ratings`
  WHEN new.`rating` IS NOT NULL AND new.`rated_at` IS NOT NULL BEGIN
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `csat_count`, `csat_sum`)
    VALUES (CAST(new.`rated_at` AS INTEGER) / 3600000, new.`integration_id`, coalesce(new.`manager_id`, ''), 1, new.`rating`)
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `csat_count` = `csat_count` + 1, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
END;
--> statement-breakpoint
-- Ratings given before this migration.
INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `csat_count`, `csat_sum`)
  SELECT CAST(`rated_at` AS INTEGER) / 3600000, `integration_id`, coalesce(`manager_id`, ''), count(*), sum(`rating`)
  FROM `csat_ratings` WHERE `rating` IS NOT NULL AND `rated_at` IS NOT NULL GROUP BY 1, 2, 3
  ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `csat_count` = `csat_count` + excluded.`csat_count`, `csat_sum` = `csat_sum` + excluded.`csat_sum`;
