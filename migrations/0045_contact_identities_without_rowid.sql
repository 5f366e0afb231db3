-- contact_identities becomes WITHOUT ROWID, keyed (integration_id, external_id): every webhook looks a
-- person up by exactly that, and nothing looked an identity up by its id (no table names one, the API
-- never shows one), so the id column, its primary-key index and the unique index on the key go: the row
-- lives in the key's B-tree (issue 19: ~5.5 of ~16.6 bytes a message on the bench's vacuumed data).
-- Copied aside, dropped and created again under its own name, as in 0042; dropping it drops the merge
-- guard trigger ON it, created again (naming the row by its key) after the copy.
CREATE TABLE `contact_identities_rebuild` AS SELECT * FROM `contact_identities`;
--> statement-breakpoint
DROP TABLE `contact_identities`;
--> statement-breakpoint
CREATE TABLE `contact_identities` (
	`contact_id` text NOT NULL,
	`integration_id` text NOT NULL,
	`channel` text NOT NULL,
	`external_id` text NOT NULL,
	`reachable` integer DEFAULT true NOT NULL,
	`greeted_at` integer,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`integration_id`, `external_id`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`integration_id`) REFERENCES `integrations`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
-- In key order: each page is filled once, left to right.
INSERT INTO `contact_identities` (`contact_id`, `integration_id`, `channel`, `external_id`, `reachable`, `greeted_at`, `created_at`)
  SELECT `contact_id`, `integration_id`, `channel`, `external_id`, `reachable`, `greeted_at`, `created_at` FROM `contact_identities_rebuild`
  ORDER BY `integration_id`, `external_id`;
--> statement-breakpoint
DROP TABLE `contact_identities_rebuild`;
--> statement-breakpoint
CREATE INDEX `contact_identities_contact` ON `contact_identities` (`contact_id`);
--> statement-breakpoint
-- As 0012 made it: a webhook that read the old identity → contact just before a merge lands its new
-- identity on the survivor, in the webhook's own transaction.
CREATE TRIGGER `contact_identities_merged_contact_guard` AFTER INSERT ON `contact_identities`
WHEN (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) IS NOT NULL BEGIN
  UPDATE `contact_identities` SET `contact_id` = (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`)
  WHERE `integration_id` = new.`integration_id` AND `external_id` = new.`external_id`;
END;
