DROP INDEX `opportunities_board`;--> statement-breakpoint
CREATE INDEX `opportunities_board` ON `opportunities` (`funnel_id`,`outcome`,`stage_id`,`created_at`,`id`,`amount`);