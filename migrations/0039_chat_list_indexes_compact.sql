DROP INDEX `chats_group`;--> statement-breakpoint
DROP INDEX `chats_status_activity`;--> statement-breakpoint
DROP INDEX `chats_activity`;--> statement-breakpoint
DROP INDEX `chats_integration_activity`;--> statement-breakpoint
DROP INDEX `chats_channel_activity`;--> statement-breakpoint
DROP INDEX `chats_responsible_activity`;--> statement-breakpoint
DROP INDEX `chats_started`;--> statement-breakpoint
CREATE INDEX `chats_group` ON `chats` (`status`,`responsible_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_status_activity` ON `chats` (`status`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_activity` ON `chats` (`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_integration_activity` ON `chats` (`integration_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_channel_activity` ON `chats` (`channel`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_responsible_activity` ON `chats` (`responsible_id`,`last_message_at`);--> statement-breakpoint
CREATE INDEX `chats_started` ON `chats` (`started_at`);