-- The Contacts page's search: name, messenger username, phone, email and company, accent- and
-- case-insensitive (same tokenizer as contacts_fts). The phone is indexed as typed and as bare digits, so
-- "90000-0000", "5511" and "+55 11 9" all find "+55 11 90000-0000". rowid = contacts.rowid: pages walk
-- rowid DESC (newest contacts first) straight from the index, however many contacts match.
CREATE VIRTUAL TABLE `contacts_directory_fts` USING fts5(`name`, `username`, `phone`, `email`, `company`, tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`)
  SELECT rowid, `name`, `username`,
    coalesce(`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    `email`, `company`
  FROM `contacts`;
--> statement-breakpoint
CREATE TRIGGER `contacts_directory_insert` AFTER INSERT ON `contacts` BEGIN
  INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`) VALUES (new.rowid, new.`name`, new.`username`,
    coalesce(new.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    new.`email`, new.`company`);
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_directory_delete` AFTER DELETE ON `contacts` BEGIN
  DELETE FROM `contacts_directory_fts` WHERE rowid = old.rowid;
END;
--> statement-breakpoint
CREATE TRIGGER `contacts_directory_update` AFTER UPDATE OF `name`, `username`, `phone`, `email`, `company` ON `contacts` BEGIN
  DELETE FROM `contacts_directory_fts` WHERE rowid = old.rowid;
  INSERT INTO `contacts_directory_fts`(rowid, `name`, `username`, `phone`, `email`, `company`) VALUES (new.rowid, new.`name`, new.`username`,
    coalesce(new.`phone`, '') || ' ' || replace(replace(replace(replace(replace(coalesce(new.`phone`, ''), ' ', ''), '-', ''), '(', ''), ')', ''), '+', ''),
    new.`email`, new.`company`);
END;
--> statement-breakpoint
-- A merge moves a contact's chats and opportunities in one batch, but a webhook that read the old
-- identity → contact just before it may insert a new chat (and its first opportunity) for the merged-away
-- contact just after it. These guards land such rows on the survivor in the webhook's own transaction.
CREATE TRIGGER `chats_merged_contact_guard` AFTER INSERT ON `chats`
WHEN (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) IS NOT NULL BEGIN
  UPDATE `chats` SET `contact_id` = (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) WHERE `id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `opportunities_merged_contact_guard` AFTER INSERT ON `opportunities`
WHEN (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) IS NOT NULL BEGIN
  UPDATE `opportunities` SET `contact_id` = (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) WHERE `id` = new.`id`;
END;
--> statement-breakpoint
CREATE TRIGGER `contact_identities_merged_contact_guard` AFTER INSERT ON `contact_identities`
WHEN (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) IS NOT NULL BEGIN
  UPDATE `contact_identities` SET `contact_id` = (SELECT `merged_into_id` FROM `contacts` WHERE `id` = new.`contact_id`) WHERE `id` = new.`id`;
END;
