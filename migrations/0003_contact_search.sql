-- Accent- and case-insensitive search over contact names for the archive's free text ("joao" finds
-- "João"), the same tokenizer as messages_fts. External content: no second copy of the names.
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(`name`, content='contacts', content_rowid='rowid', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `contacts_fts`(`contacts_fts`) VALUES ('rebuild');
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(rowid, `name`) VALUES (new.rowid, new.`name`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, rowid, `name`) VALUES ('delete', old.rowid, old.`name`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_fts_update` AFTER UPDATE OF `name` ON `contacts` BEGIN
  INSERT INTO `contacts_fts`(`contacts_fts`, rowid, `name`) VALUES ('delete', old.rowid, old.`name`);
  INSERT INTO `contacts_fts`(rowid, `name`) VALUES (new.rowid, new.`name`);
END;
