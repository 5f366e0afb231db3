-- The two contact search indexes keep only what their searches read (issue 19). Both answer single words
-- (the last a prefix, worker/data/fts-query.ts), never phrases, and order by rowid, never by rank.
--
-- contacts_directory_fts kept its own copy of every contact's name, username, phone, email and company
-- (its content table, ~4.6 B a message in the bench) and per-row token counts (~1.4 B): the Contacts page
-- reads the contact's row from `contacts` by rowid, never from the index. It becomes contentless
-- (content=''), without token counts (columnsize=0: only bm25 reads them) and without positions or
-- columns (detail=none: its MATCH has no column filter and no phrase). A contentless index cannot look up
-- what it holds, so its triggers delete a row by giving the index the old values again, computed by the
-- same expression the insert used.
DROP TRIGGER `contacts_directory_insert`;--> statement-breakpoint
DROP TRIGGER `contacts_directory_delete`;--> statement-breakpoint
DROP TRIGGER `contacts_directory_update`;--> statement-breakpoint
DROP TABLE `contacts_directory_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_directory_fts` USING fts5(`name`, `username`, `phone`, `email`, `company`, content='', columnsize=0, detail=none, tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`)
  SELECT rowid, `name`, `username`,
    coalesce(`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    `email`, `company`
  FROM `contacts`;--> statement-breakpoint
CREATE TRIGGER `contacts_directory_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`) VALUES (new.rowid, new.`name`, new.`username`,
    coalesce(new.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    new.`email`, new.`company`);
END;--> statement-breakpoint
CREATE TRIGGER `contacts_directory_delete` AFTER DELETE ON `contacts` BEGIN
  INSERT INTO `contacts_directory_fts`(`contacts_directory_fts`, rowid, `name`, `username`, `phone`, `email`, `company`) VALUES ('delete', old.rowid, old.`name`, old.`username`,
    coalesce(old.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(old.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    old.`email`, old.`company`);
END;--> statement-breakpoint
CREATE TRIGGER `contacts_directory_update` AFTER UPDATE OF `name`, `username`, `phone`, `email`, `company` ON `contacts` BEGIN
  INSERT INTO `contacts_directory_fts`(`contacts_directory_fts`, rowid, `name`, `username`, `phone`, `email`, `company`) VALUES ('delete', old.rowid, old.`name`, old.`username`,
    coalesce(old.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(old.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    old.`email`, old.`company`);
  INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`) VALUES (new.rowid, new.`name`, new.`username`,
    coalesce(new.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    new.`email`, new.`company`);
END;--> statement-breakpoint
-- contacts_fts (names, for the archive's search) reads its text from `contacts` already; it loses its
-- per-row token counts and positions the same way (its MATCH is single words in its one column).
-- Its triggers on `contacts` name it at run time and stay as they are.
DROP TABLE `contacts_fts`;--> statement-breakpoint
CREATE VIRTUAL TABLE `contacts_fts` USING fts5(`name`, content='contacts', content_rowid='rowid', columnsize=0, detail=column, tokenize='unicode61 remove_diacritics 2');--> statement-breakpoint
INSERT INTO `contacts_fts`(`contacts_fts`) VALUES ('rebuild');
