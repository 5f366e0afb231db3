-- Timelines keyed (chat_id, created_at) without the 21-character id: reads sort a millisecond's rows by id.
DROP INDEX `chat_events_timeline`;--> statement-breakpoint
CREATE INDEX `chat_events_timeline` ON `chat_events` (`chat_id`,`created_at`);--> statement-breakpoint
DROP INDEX `messages_timeline`;--> statement-breakpoint
CREATE INDEX `messages_timeline` ON `messages` (`chat_id`,`created_at`);--> statement-breakpoint
-- The message search index without its per-row token counts (columnsize=0): only bm25() ranking reads
-- them, and Ponte orders matches by time. Same columns, tokenizer and triggers; the index is rebuilt
-- from messages (external content), so nothing else changes.
DROP TABLE `messages_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`text`, `chat_id`, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', columnsize=0);--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
