-- chat_counts follows chats in the same transaction as every change: the inbox reads its four counts
-- from a handful of rows instead of counting tens of thousands of index entries per page.
CREATE TRIGGER `chat_counts_insert` AFTER INSERT ON `chats` BEGIN
  INSERT INTO `chat_counts` (`status`, `responsible_key`, `n`) VALUES (new.`status`, coalesce(new.`responsible_id`, ''), 1)
    ON CONFLICT (`status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `chat_counts_update` AFTER UPDATE OF `status`, `responsible_id` ON `chats`
  WHEN old.`status` IS NOT new.`status` OR old.`responsible_id` IS NOT new.`responsible_id` BEGIN
  UPDATE `chat_counts` SET `n` = `n` - 1 WHERE `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
  INSERT INTO `chat_counts` (`status`, `responsible_key`, `n`) VALUES (new.`status`, coalesce(new.`responsible_id`, ''), 1)
    ON CONFLICT (`status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `chat_counts_delete` AFTER DELETE ON `chats` BEGIN
  UPDATE `chat_counts` SET `n` = `n` - 1 WHERE `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
END;
--> statement-breakpoint
-- Chats stored before this migration.
INSERT INTO `chat_counts` (`status`, `responsible_key`, `n`)
  SELECT `status`, coalesce(`responsible_id`, ''), count(*) FROM `chats` GROUP BY 1, 2;
