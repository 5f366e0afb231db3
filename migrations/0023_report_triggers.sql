-- Reports are kept as the data is written: every chat event that changes a conversation (opened,
-- reopened, closed, assigned/unassigned/reassigned) and every message goes through report_feed, a view
-- whose INSTEAD OF trigger holds the one definition of what each change adds to report_rollups and
-- report_histograms. The live triggers below feed it row by row in the same transaction as the write;
-- the backfill (worker/domain/reports/backfill.sql) feeds it the stored rows in time order. Nothing here
-- reads more than a primary key, and a bad duration cannot fail a write (they are clamped at 0).
INSERT INTO `report_buckets` (`bucket`, `lower_ms`) VALUES (0, 0), (1, 1000), (2, 1189), (3, 1414), (4, 1682), (5, 2000), (6, 2378), (7, 2828), (8, 3364), (9, 4000), (10, 4757), (11, 5657), (12, 6727), (13, 8000), (14, 9514), (15, 11314), (16, 13454), (17, 16000), (18, 19027), (19, 22627), (20, 26909), (21, 32000), (22, 38055), (23, 45255), (24, 53817), (25, 64000), (26, 76109), (27, 90510), (28, 107635), (29, 128000), (30, 152219), (31, 181019), (32, 215269), (33, 256000), (34, 304437), (35, 362039), (36, 430539), (37, 512000), (38, 608874), (39, 724077), (40, 861078), (41, 1024000), (42, 1217748), (43, 1448155), (44, 1722156), (45, 2048000), (46, 2435496), (47, 2896309), (48, 3444312), (49, 4096000), (50, 4870992), (51, 5792619), (52, 6888623), (53, 8192000), (54, 9741985), (55, 11585238), (56, 13777247), (57, 16384000), (58, 19483969), (59, 23170475), (60, 27554494), (61, 32768000), (62, 38967939), (63, 46340950), (64, 55108987), (65, 65536000), (66, 77935877), (67, 92681900), (68, 110217975), (69, 131072000), (70, 155871755), (71, 185363800), (72, 220435950), (73, 262144000), (74, 311743510), (75, 370727600), (76, 440871900), (77, 524288000), (78, 623487020), (79, 741455200), (80, 881743800), (81, 1048576000), (82, 1246974040), (83, 1482910400), (84, 1763487599), (85, 2097152000), (86, 2493948080), (87, 2965820801);
--> statement-breakpoint
CREATE VIEW `report_feed` AS SELECT '' AS `kind`, '' AS `chat_id`, '' AS `integration_id`, '' AS `user_key`, 0 AS `at` WHERE 0;
--> statement-breakpoint
CREATE TRIGGER `report_feed_apply` INSTEAD OF INSERT ON `report_feed` BEGIN
  -- opened: a new conversation. Its "new chat" is counted at the chat's first assignment decision, under
  -- the manager it went to ('' when it was left for the queue), so a manager filter shows it.
  INSERT INTO `report_chat_state` (`chat_id`, `integration_id`, `user_key`, `opened_at`, `first_in_at`, `replied`, `unassigned_since`, `new_pending`)
    SELECT new.`chat_id`, new.`integration_id`, '', new.`at`, NULL, 0, NULL, 1 WHERE new.`kind` = 'opened'
    ON CONFLICT (`chat_id`) DO UPDATE SET `user_key` = '', `opened_at` = excluded.`opened_at`, `first_in_at` = NULL, `replied` = 0, `unassigned_since` = NULL, `new_pending` = 1;

  -- reopened: counted for the manager it reopens to; a new conversation starts (waiting if nobody has it).
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `reopened`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1 WHERE new.`kind` = 'reopened'
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `reopened` = `reopened` + 1;
  INSERT INTO `report_chat_state` (`chat_id`, `integration_id`, `user_key`, `opened_at`, `first_in_at`, `replied`, `unassigned_since`, `new_pending`)
    SELECT new.`chat_id`, new.`integration_id`, new.`user_key`, new.`at`, NULL, 0, CASE WHEN new.`user_key` = '' THEN new.`at` END, 0 WHERE new.`kind` = 'reopened'
    ON CONFLICT (`chat_id`) DO UPDATE SET `user_key` = excluded.`user_key`, `opened_at` = excluded.`opened_at`, `first_in_at` = NULL, `replied` = 0,
      `unassigned_since` = excluded.`unassigned_since`, `new_pending` = 0;

  -- assigned / unassigned / reassigned (user_key '' = nobody): the first decision counts the new chat;
  -- a manager getting an open chat that waited without one ends that wait.
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `new_chats`)
    SELECT CAST(s.`opened_at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1 FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'assigned' AND s.`new_pending` = 1 AND s.`opened_at` IS NOT NULL
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + 1;
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `wait_count`, `wait_ms`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1, max(0, new.`at` - s.`unassigned_since`) FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'assigned' AND new.`user_key` <> '' AND s.`opened_at` IS NOT NULL AND s.`unassigned_since` IS NOT NULL
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `wait_count` = `wait_count` + 1, `wait_ms` = `wait_ms` + excluded.`wait_ms`;
  INSERT INTO `report_histograms` (`hour`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 'wait',
      (SELECT max(`bucket`) FROM `report_buckets` WHERE `lower_ms` <= max(0, new.`at` - s.`unassigned_since`)), 1 FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'assigned' AND new.`user_key` <> '' AND s.`opened_at` IS NOT NULL AND s.`unassigned_since` IS NOT NULL
    ON CONFLICT (`hour`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + 1;
  UPDATE `report_chat_state` SET `new_pending` = 0, `user_key` = new.`user_key`,
      `unassigned_since` = CASE WHEN `opened_at` IS NULL OR new.`user_key` <> '' THEN NULL ELSE coalesce(`unassigned_since`, new.`at`) END
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'assigned';

  -- closed: for the manager who has it; resolution time = close − the conversation's open. A chat closed
  -- before any assignment decision still counts as new (unassigned). A wait ending in a close is not a wait
  -- a manager ended, so it is dropped.
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `new_chats`)
    SELECT CAST(s.`opened_at` AS INTEGER) / 3600000, new.`integration_id`, '', 1 FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'closed' AND s.`new_pending` = 1 AND s.`opened_at` IS NOT NULL
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `new_chats` = `new_chats` + 1;
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `closed`, `resolution_count`, `resolution_ms`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, coalesce(s.`user_key`, new.`user_key`), 1,
      s.`opened_at` IS NOT NULL, coalesce(max(0, new.`at` - s.`opened_at`), 0)
    FROM (SELECT 1) LEFT JOIN `report_chat_state` s ON s.`chat_id` = new.`chat_id` WHERE new.`kind` = 'closed'
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `closed` = `closed` + 1,
      `resolution_count` = `resolution_count` + excluded.`resolution_count`, `resolution_ms` = `resolution_ms` + excluded.`resolution_ms`;
  INSERT INTO `report_histograms` (`hour`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, s.`user_key`, 'resolution',
      (SELECT max(`bucket`) FROM `report_buckets` WHERE `lower_ms` <= max(0, new.`at` - s.`opened_at`)), 1 FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'closed' AND s.`opened_at` IS NOT NULL
    ON CONFLICT (`hour`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + 1;
  UPDATE `report_chat_state` SET `opened_at` = NULL, `first_in_at` = NULL, `replied` = 0, `unassigned_since` = NULL, `new_pending` = 0
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'closed';

  -- messages: in (the client) and out (bot texts) for the chat's manager; a reply for its author.
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `messages_in`, `messages_out`, `replies`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, CASE WHEN new.`kind` = 'reply' THEN new.`user_key` ELSE coalesce(s.`user_key`, '') END,
      new.`kind` = 'in', new.`kind` <> 'in', new.`kind` = 'reply'
    FROM (SELECT 1) LEFT JOIN `report_chat_state` s ON s.`chat_id` = new.`chat_id` WHERE new.`kind` IN ('in', 'out', 'reply')
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `messages_in` = `messages_in` + excluded.`messages_in`,
      `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`;
  UPDATE `report_chat_state` SET `first_in_at` = new.`at`
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'in' AND `first_in_at` IS NULL AND `opened_at` IS NOT NULL;
  -- first response: the conversation's first client message → its first manager reply, for the replier.
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `frt_count`, `frt_ms`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1, max(0, new.`at` - s.`first_in_at`) FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND s.`opened_at` IS NOT NULL AND s.`first_in_at` IS NOT NULL AND s.`replied` = 0
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `frt_count` = `frt_count` + 1, `frt_ms` = `frt_ms` + excluded.`frt_ms`;
  INSERT INTO `report_histograms` (`hour`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 'frt',
      (SELECT max(`bucket`) FROM `report_buckets` WHERE `lower_ms` <= max(0, new.`at` - s.`first_in_at`)), 1 FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND s.`opened_at` IS NOT NULL AND s.`first_in_at` IS NOT NULL AND s.`replied` = 0
    ON CONFLICT (`hour`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + 1;
  UPDATE `report_chat_state` SET `replied` = 1
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND `opened_at` IS NOT NULL AND `first_in_at` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `report_message_insert` AFTER INSERT ON `messages` BEGIN
  INSERT INTO `report_feed` (`kind`, `chat_id`, `integration_id`, `user_key`, `at`)
    SELECT CASE WHEN new.`direction` = 'in' THEN 'in' WHEN new.`origin` = 'agent' THEN 'reply' ELSE 'out' END,
      new.`chat_id`, c.`integration_id`, coalesce(new.`author_id`, ''), new.`created_at`
    FROM `chats` c WHERE c.`id` = new.`chat_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_event_insert` AFTER INSERT ON `chat_events`
  WHEN new.`type` IN ('opened', 'reopened', 'closed', 'assigned', 'unassigned', 'reassigned') BEGIN
  INSERT INTO `report_feed` (`kind`, `chat_id`, `integration_id`, `user_key`, `at`)
    SELECT CASE WHEN new.`type` IN ('unassigned', 'reassigned') THEN 'assigned' ELSE new.`type` END, new.`chat_id`, c.`integration_id`,
      CASE WHEN new.`type` = 'unassigned' OR NOT json_valid(new.`data`) THEN '' ELSE coalesce(json_extract(new.`data`, '$.responsibleId'), '') END,
      new.`created_at`
    FROM `chats` c WHERE c.`id` = new.`chat_id`;
END;
--> statement-breakpoint
-- Open chats now per integration × manager, like chat_counts (which has no integration).
CREATE TRIGGER `report_open_now_insert` AFTER INSERT ON `chats` WHEN new.`status` = 'open' BEGIN
  INSERT INTO `report_open_now` (`integration_id`, `user_key`, `n`) VALUES (new.`integration_id`, coalesce(new.`responsible_id`, ''), 1)
    ON CONFLICT (`integration_id`, `user_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_open_now_update` AFTER UPDATE OF `status`, `responsible_id` ON `chats`
  WHEN old.`status` IS NOT new.`status` OR old.`responsible_id` IS NOT new.`responsible_id` BEGIN
  UPDATE `report_open_now` SET `n` = `n` - 1
    WHERE old.`status` = 'open' AND `integration_id` = old.`integration_id` AND `user_key` = coalesce(old.`responsible_id`, '');
  INSERT INTO `report_open_now` (`integration_id`, `user_key`, `n`) SELECT new.`integration_id`, coalesce(new.`responsible_id`, ''), 1 WHERE new.`status` = 'open'
    ON CONFLICT (`integration_id`, `user_key`) DO UPDATE SET `n` = `n` + 1;
END;
--> statement-breakpoint
-- A deleted chat leaves the counts of now; what it did stays in the rollups (they count what happened).
CREATE TRIGGER `report_chat_delete` BEFORE DELETE ON `chats` BEGIN
  UPDATE `report_open_now` SET `n` = `n` - 1
    WHERE old.`status` = 'open' AND `integration_id` = old.`integration_id` AND `user_key` = coalesce(old.`responsible_id`, '');
  DELETE FROM `report_chat_state` WHERE `chat_id` = old.`id`;
END;
