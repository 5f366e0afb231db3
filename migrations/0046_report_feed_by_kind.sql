-- report_feed_apply ran all sixteen of its statements for every row, each guarded by `new.kind = …`:
-- a client's message, the commonest row by far, paid for the fifteen that did nothing (each still opens
-- its tables) on top of the two it needed, inside the webhook's one batch. The same statements, unchanged,
-- now sit in one trigger per kind with a WHEN, so a row runs only its kind's. No two triggers of a kind
-- read what another writes (the message count reads the manager; first_in_at and replied are written and
-- read only by the in and reply triggers), so their firing order does not matter.
DROP TRIGGER `report_feed_apply`;
--> statement-breakpoint
CREATE TRIGGER `report_feed_opened` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'opened' BEGIN
  -- opened: a new conversation. Its "new chat" is counted at the chat's first assignment decision, under
  -- the manager it went to ('' when it was left for the queue), so a manager filter shows it.
  INSERT INTO `report_chat_state` (`chat_id`, `integration_id`, `user_key`, `opened_at`, `first_in_at`, `replied`, `unassigned_since`, `new_pending`)
    SELECT new.`chat_id`, new.`integration_id`, '', new.`at`, NULL, 0, NULL, 1 WHERE new.`kind` = 'opened'
    ON CONFLICT (`chat_id`) DO UPDATE SET `user_key` = '', `opened_at` = excluded.`opened_at`, `first_in_at` = NULL, `replied` = 0, `unassigned_since` = NULL, `new_pending` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_reopened` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'reopened' BEGIN
  -- reopened: counted for the manager it reopens to; a new conversation starts (waiting if nobody has it).
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `reopened`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1 WHERE new.`kind` = 'reopened'
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `reopened` = `reopened` + 1;
  INSERT INTO `report_chat_state` (`chat_id`, `integration_id`, `user_key`, `opened_at`, `first_in_at`, `replied`, `unassigned_since`, `new_pending`)
    SELECT new.`chat_id`, new.`integration_id`, new.`user_key`, new.`at`, NULL, 0, CASE WHEN new.`user_key` = '' THEN new.`at` END, 0 WHERE new.`kind` = 'reopened'
    ON CONFLICT (`chat_id`) DO UPDATE SET `user_key` = excluded.`user_key`, `opened_at` = excluded.`opened_at`, `first_in_at` = NULL, `replied` = 0,
      `unassigned_since` = excluded.`unassigned_since`, `new_pending` = 0;
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_assigned` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'assigned' BEGIN
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
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_closed` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'closed' BEGIN
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
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_message` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` IN ('in', 'out', 'reply') BEGIN
  -- messages: in (the client) and out (bot texts) for the chat's manager; a reply for its author.
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `messages_in`, `messages_out`, `replies`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, CASE WHEN new.`kind` = 'reply' THEN new.`user_key` ELSE coalesce(s.`user_key`, '') END,
      new.`kind` = 'in', new.`kind` <> 'in', new.`kind` = 'reply'
    FROM (SELECT 1) LEFT JOIN `report_chat_state` s ON s.`chat_id` = new.`chat_id` WHERE new.`kind` IN ('in', 'out', 'reply')
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `messages_in` = `messages_in` + excluded.`messages_in`,
      `messages_out` = `messages_out` + excluded.`messages_out`, `replies` = `replies` + excluded.`replies`;
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_in` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'in' BEGIN
  -- in: the conversation's first client message starts its first-response clock.
  UPDATE `report_chat_state` SET `first_in_at` = new.`at`
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'in' AND `first_in_at` IS NULL AND `opened_at` IS NOT NULL;
END;
--> statement-breakpoint
CREATE TRIGGER `report_feed_reply` INSTEAD OF INSERT ON `report_feed` WHEN new.`kind` = 'reply' BEGIN
  -- first response: the conversation's first client message → its first manager reply, for the replier.
  -- In business hours too: for an integration without them the business time is the raw one, counted
  -- here; with them it needs a calendar SQL has not got, so the reply waits in report_business_pending
  -- for JavaScript to time it (the manager's reply batch right after this insert, or the backfill).
  INSERT INTO `report_rollups` (`hour`, `integration_id`, `user_key`, `frt_count`, `frt_ms`, `frt_business_count`, `frt_business_ms`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, 1, max(0, new.`at` - s.`first_in_at`),
      (SELECT `business_hours` FROM `integrations` WHERE `id` = new.`integration_id`) IS NULL,
      CASE WHEN (SELECT `business_hours` FROM `integrations` WHERE `id` = new.`integration_id`) IS NULL THEN max(0, new.`at` - s.`first_in_at`) ELSE 0 END
    FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND s.`opened_at` IS NOT NULL AND s.`first_in_at` IS NOT NULL AND s.`replied` = 0
    ON CONFLICT (`hour`, `integration_id`, `user_key`) DO UPDATE SET `frt_count` = `frt_count` + 1, `frt_ms` = `frt_ms` + excluded.`frt_ms`,
      `frt_business_count` = `frt_business_count` + excluded.`frt_business_count`, `frt_business_ms` = `frt_business_ms` + excluded.`frt_business_ms`;
  INSERT INTO `report_histograms` (`hour`, `integration_id`, `user_key`, `metric`, `bucket`, `n`)
    SELECT CAST(new.`at` AS INTEGER) / 3600000, new.`integration_id`, new.`user_key`, m.`metric`,
      (SELECT max(`bucket`) FROM `report_buckets` WHERE `lower_ms` <= max(0, new.`at` - s.`first_in_at`)), 1
    FROM `report_chat_state` s, (SELECT 'frt' AS `metric` UNION ALL SELECT 'frt_business') m
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND s.`opened_at` IS NOT NULL AND s.`first_in_at` IS NOT NULL AND s.`replied` = 0
      AND (m.`metric` = 'frt' OR (SELECT `business_hours` FROM `integrations` WHERE `id` = new.`integration_id`) IS NULL)
    ON CONFLICT (`hour`, `integration_id`, `user_key`, `metric`, `bucket`) DO UPDATE SET `n` = `n` + 1;
  INSERT INTO `report_business_pending` (`chat_id`, `at`, `integration_id`, `user_key`, `first_in_at`)
    SELECT new.`chat_id`, new.`at`, new.`integration_id`, new.`user_key`, s.`first_in_at` FROM `report_chat_state` s
    WHERE s.`chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND s.`opened_at` IS NOT NULL AND s.`first_in_at` IS NOT NULL AND s.`replied` = 0
      AND (SELECT `business_hours` FROM `integrations` WHERE `id` = new.`integration_id`) IS NOT NULL
    ON CONFLICT (`chat_id`, `at`) DO NOTHING;
  UPDATE `report_chat_state` SET `replied` = 1
    WHERE `chat_id` = new.`chat_id` AND new.`kind` = 'reply' AND `opened_at` IS NOT NULL AND `first_in_at` IS NOT NULL;
END;
