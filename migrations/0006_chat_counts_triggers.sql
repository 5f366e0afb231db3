-- chat_counts follows chats and chat_observers in the same transaction as every change: the inbox reads
-- its four counts from a handful of rows instead of counting tens of thousands of index entries per page.
-- viewer '' counts every chat (staff); an observer's id counts the chats they observe.
CREATE TRIGGER `chat_counts_chat_insert` AFTER INSERT ON `chats` BEGIN
  INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`) VALUES ('', new.`status`, coalesce(new.`responsible_id`, ''), 1)
    ON CONFLICT (`viewer`, `status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `chat_counts_chat_update` AFTER UPDATE OF `status`, `responsible_id` ON `chats`
  WHEN old.`status` IS NOT new.`status` OR old.`responsible_id` IS NOT new.`responsible_id` BEGIN
  -- Two statements, each a primary-key lookup (an OR over the key's first column would scan the table).
  UPDATE `chat_counts` SET `n` = `n` - 1
    WHERE `viewer` = '' AND `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
  UPDATE `chat_counts` SET `n` = `n` - 1
    WHERE `viewer` IN (SELECT `user_id` FROM `chat_observers` WHERE `chat_id` = old.`id`)
      AND `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
  INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`) VALUES ('', new.`status`, coalesce(new.`responsible_id`, ''), 1)
    ON CONFLICT (`viewer`, `status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
  INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`)
    SELECT `user_id`, new.`status`, coalesce(new.`responsible_id`, ''), 1 FROM `chat_observers` WHERE `chat_id` = new.`id`
    ON CONFLICT (`viewer`, `status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
-- BEFORE: the chat's observer rows still exist here (their cascade delete comes after and finds no chat).
CREATE TRIGGER `chat_counts_chat_delete` BEFORE DELETE ON `chats` BEGIN
  -- Two statements, each a primary-key lookup (an OR over the key's first column would scan the table).
  UPDATE `chat_counts` SET `n` = `n` - 1
    WHERE `viewer` = '' AND `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
  UPDATE `chat_counts` SET `n` = `n` - 1
    WHERE `viewer` IN (SELECT `user_id` FROM `chat_observers` WHERE `chat_id` = old.`id`)
      AND `status` = old.`status` AND `responsible_key` = coalesce(old.`responsible_id`, '');
END;
--> statement-breakpoint
CREATE TRIGGER `chat_counts_observer_insert` AFTER INSERT ON `chat_observers` BEGIN
  INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`)
    SELECT new.`user_id`, `status`, coalesce(`responsible_id`, ''), 1 FROM `chats` WHERE `id` = new.`chat_id`
    ON CONFLICT (`viewer`, `status`, `responsible_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `chat_counts_observer_delete` AFTER DELETE ON `chat_observers` BEGIN
  UPDATE `chat_counts` SET `n` = `n` - 1
    WHERE `viewer` = old.`user_id`
      AND (`status`, `responsible_key`) = (SELECT `status`, coalesce(`responsible_id`, '') FROM `chats` WHERE `id` = old.`chat_id`);
END;
--> statement-breakpoint
-- What was stored before this migration.
INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`)
  SELECT '', `status`, coalesce(`responsible_id`, ''), count(*) FROM `chats` GROUP BY 2, 3;
--> statement-breakpoint
INSERT INTO `chat_counts` (`viewer`, `status`, `responsible_key`, `n`)
  SELECT o.`user_id`, c.`status`, coalesce(c.`responsible_id`, ''), count(*)
  FROM `chat_observers` o JOIN `chats` c ON c.`id` = o.`chat_id` GROUP BY 1, 2, 3;
