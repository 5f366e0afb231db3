ALTER TABLE `chats` ADD `no_reply_reassigned_for` text;--> statement-breakpoint
ALTER TABLE `integrations` ADD `assignment_rule` text DEFAULT 'available' NOT NULL;--> statement-breakpoint
ALTER TABLE `integrations` ADD `reassign_after_minutes` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `status` text DEFAULT 'available' NOT NULL;--> statement-breakpoint
-- The per-bot away flag becomes the person's status: someone marked away in every queue they are in was away.
UPDATE `users` SET `status` = 'away' WHERE `id` IN (SELECT `user_id` FROM `integration_queue` GROUP BY `user_id` HAVING min(`away`) = 1);--> statement-breakpoint
ALTER TABLE `integration_queue` DROP COLUMN `away`;