ALTER TABLE `report_rollups` ADD `csat_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `report_rollups` ADD `csat_sum` integer DEFAULT 0 NOT NULL;