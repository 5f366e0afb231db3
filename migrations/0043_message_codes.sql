-- A message's direction, origin and status become one letter each, and "no attachments" becomes '' instead
-- of '[]' (worker/data/schema/message-codes.ts has the letters; drizzle maps them back to the words): ~13 of
-- the ~142 bytes of every messages row on the bench's data set (issue 19). The columns keep their TEXT
-- type, so the rows are rewritten in place rather than copied into a new table.
-- The partial index and the two triggers that name a direction or origin are made again with the letters;
-- nothing fires on this UPDATE (the FTS trigger watches `text` only).
DROP INDEX `messages_external`;--> statement-breakpoint
DROP TRIGGER `messages_archived_dedup`;--> statement-breakpoint
DROP TRIGGER `report_message_insert`;--> statement-breakpoint
UPDATE `messages` SET
  `direction` = CASE `direction` WHEN 'in' THEN 'i' WHEN 'out' THEN 'o' ELSE `direction` END,
  `origin` = CASE `origin` WHEN 'client' THEN 'c' WHEN 'agent' THEN 'a' WHEN 'greeting' THEN 'g' WHEN 'auto_reply' THEN 'r'
    WHEN 'csat' THEN 's' WHEN 'out_of_office' THEN 'o' ELSE `origin` END,
  `status` = CASE `status` WHEN 'received' THEN 'r' WHEN 'sending' THEN 'p' WHEN 'sent' THEN 's' WHEN 'delivered' THEN 'd'
    WHEN 'seen' THEN 'v' WHEN 'failed' THEN 'f' ELSE `status` END,
  `attachments` = CASE `attachments` WHEN '[]' THEN '' ELSE `attachments` END;--> statement-breakpoint
CREATE UNIQUE INDEX `messages_external` ON `messages` (`chat_id`,`external_id`) WHERE "direction" = 'i';--> statement-breakpoint
CREATE TRIGGER `messages_archived_dedup` BEFORE INSERT ON `messages`
WHEN NEW.`direction` = 'i' AND NEW.`external_id` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `archived_message_keys` WHERE `chat_id` = NEW.`chat_id` AND `external_id` = NEW.`external_id`)
BEGIN
  SELECT RAISE(IGNORE);
END;--> statement-breakpoint
CREATE TRIGGER `report_message_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `report_feed` (`kind`, `chat_id`, `integration_id`, `user_key`, `at`)
    SELECT CASE WHEN new.`direction` = 'i' THEN 'in' WHEN new.`origin` = 'a' THEN 'reply' ELSE 'out' END,
      new.`chat_id`, c.`integration_id`, coalesce(new.`author_id`, ''), new.`created_at`
    FROM `chats` c WHERE c.`id` = new.`chat_id`;
END;
