-- Full-text search over message text, scoped per chat. External content (no second copy of the text);
-- remove_diacritics 2 makes "sofa" find "sofá". chat_id is indexed too, so a chat-scoped search is one
-- FTS query ("chat_id:X AND text:Y") instead of a scan of every match in every chat.
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`text`, `chat_id`, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `messages_fts_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `messages_fts`(rowid, `text`, `chat_id`) VALUES (new.rowid, new.`text`, new.`chat_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_delete` AFTER DELETE ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, `text`, `chat_id`) VALUES ('delete', old.rowid, old.`text`, old.`chat_id`);
END;
--> statement-breakpoint
CREATE TRIGGER `messages_fts_update` AFTER UPDATE OF `text` ON `messages` BEGIN
  INSERT INTO `messages_fts`(`messages_fts`, rowid, `text`, `chat_id`) VALUES ('delete', old.rowid, old.`text`, old.`chat_id`);
  INSERT INTO `messages_fts`(rowid, `text`, `chat_id`) VALUES (new.rowid, new.`text`, new.`chat_id`);
END;
