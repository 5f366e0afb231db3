-- Exactly-once for archived history. A client message is stored once per (chat, external id) thanks to
-- the `messages_external` unique index; once a chat's messages move to R2 that index no longer holds
-- their ids, so their inbound external ids stay here (WITHOUT ROWID: one copy of the key, ~40 bytes a
-- message instead of ~700) and the trigger drops an insert of one of them the way ON CONFLICT DO NOTHING
-- would: a messenger redelivering an old update, after its dedup row expired, stores nothing twice.
CREATE TABLE `archived_message_keys` (
  `chat_id` text NOT NULL REFERENCES `chats`(`id`) ON DELETE CASCADE,
  `external_id` text NOT NULL,
  PRIMARY KEY (`chat_id`, `external_id`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `messages_archived_dedup` BEFORE INSERT ON `messages`
WHEN NEW.`direction` = 'in' AND NEW.`external_id` IS NOT NULL
  AND EXISTS (SELECT 1 FROM `archived_message_keys` WHERE `chat_id` = NEW.`chat_id` AND `external_id` = NEW.`external_id`)
BEGIN
  SELECT RAISE(IGNORE);
END;
