ALTER TABLE `contacts` ADD `merged_into_id` text;--> statement-breakpoint
CREATE INDEX `contacts_unmerged` ON `contacts` (`merged_into_id`);--> statement-breakpoint
ALTER TABLE `opportunities` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `outcome_reason` text;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `closed_at` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `stage_changed_at` integer;--> statement-breakpoint
ALTER TABLE `opportunities` ADD `previous_stage_id` text;--> statement-breakpoint
CREATE INDEX `opportunities_board` ON `opportunities` (`funnel_id`,`outcome`,`created_at`,`id`);--> statement-breakpoint
ALTER TABLE `tasks` ADD `contact_id` text;--> statement-breakpoint
CREATE INDEX `tasks_assignee_due` ON `tasks` (`assignee_id`,`done`,`due_at`);--> statement-breakpoint
CREATE INDEX `tasks_contact` ON `tasks` (`contact_id`);