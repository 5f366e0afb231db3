-- chat_events becomes WITHOUT ROWID, keyed (chat_id, created_at, id): every read takes one chat's events
-- in time order (the timeline, the newest event's stamp, the live frames by chat and id, the no-reply
-- sweep's last hand-over), so the row is stored in that key's B-tree instead of a rowid table plus the
-- chat_events_timeline index and the id autoindex (issue 19: ~18 of their ~42 bytes a message).
-- Copied aside, dropped and created again under its own name, as in 0036; dropping it drops the report
-- trigger ON it, created again after the copy so the copy itself feeds no report.
CREATE TABLE `chat_events_rebuild` AS SELECT * FROM `chat_events`;
--> statement-breakpoint
DROP TABLE `chat_events`;
--> statement-breakpoint
CREATE TABLE `chat_events` (
	`id` text NOT NULL,
	`chat_id` text NOT NULL,
	`type` text NOT NULL,
	`actor_id` text,
	`data` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`chat_id`, `created_at`, `id`),
	FOREIGN KEY (`chat_id`) REFERENCES `chats`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
) WITHOUT ROWID;
--> statement-breakpoint
-- In key order: each page is filled once, left to right.
INSERT INTO `chat_events` (`id`, `chat_id`, `type`, `actor_id`, `data`, `created_at`)
  SELECT `id`, `chat_id`, `type`, `actor_id`, `data`, `created_at` FROM `chat_events_rebuild` ORDER BY `chat_id`, `created_at`, `id`;
--> statement-breakpoint
DROP TABLE `chat_events_rebuild`;
--> statement-breakpoint
CREATE TRIGGER `report_event_insert` AFTER INSERT ON `chat_events`
  WHEN new.`type` IN ('opened', 'reopened', 'closed', 'assigned', 'unassigned', 'reassigned') BEGIN
  INSERT INTO `report_feed` (`kind`, `chat_id`, `integration_id`, `user_key`, `at`)
    SELECT CASE WHEN new.`type` IN ('unassigned', 'reassigned') THEN 'assigned' ELSE new.`type` END, new.`chat_id`, c.`integration_id`,
      CASE WHEN new.`type` = 'unassigned' OR NOT json_valid(new.`data`) THEN '' ELSE coalesce(json_extract(new.`data`, '$.responsibleId'), '') END,
      new.`created_at`
    FROM `chats` c WHERE c.`id` = new.`chat_id`;
END;
