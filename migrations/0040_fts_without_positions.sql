-- The message search index without token positions (FTS5 detail=column): Ponte's searches are words
-- ANDed (the last one a prefix) inside a column, never phrases or NEAR, and snippet() finds its matches
-- by tokenizing the row again; positions were about 15 of its ~36 bytes a message. A quoted query string
-- of two tokens is an error on such an index, so worker/data/fts-query.ts only ever quotes single tokens.
-- Same columns, tokenizer and triggers; rebuilt from messages (external content), nothing else changes.
DROP TABLE `messages_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `messages_fts` USING fts5(`text`, `chat_id`, content='messages', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2', columnsize=0, detail=column);--> statement-breakpoint
INSERT INTO `messages_fts`(`messages_fts`) VALUES ('rebuild');
