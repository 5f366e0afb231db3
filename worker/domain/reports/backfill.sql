-- The report rollups rebuilt from the stored rows (npm run admin -- reports:backfill; tools/bench/gen-data.mjs;
-- the consistency test). It feeds report_feed — the same triggers the live writes go through — with every
-- stored chat event and message in time order, so a backfill and the live path cannot disagree on what a
-- change means. Sections are split at "-- @"; the replay runs once per time window [FROM, TO), oldest first
-- (the per-chat state carries over between windows). Messages moved to cold history (R2) are no longer
-- rows here: rebuild before archiving, or the rebuilt figures leave them out.
-- The first response time in business hours of an integration WITH business hours is left by the trigger
-- in report_business_pending; after the last window the caller times those in JavaScript
-- (pendingBusinessSql in worker/domain/reports/business-frt.ts) with each integration's CURRENT hours:
-- past changes of an integration's hours are not stored, so a rebuild times old conversations on today's.
-- @reset
-- Blocks, then days, then hours (the sums over every bot first): each delete trigger then finds nothing
-- above to take from, which is what a reset wants.
DELETE FROM report_histogram_blocks;
DELETE FROM report_histogram_user_days;
DELETE FROM report_rollup_user_days;
DELETE FROM report_rollup_user_hours;
DELETE FROM report_rollup_days;
DELETE FROM report_histogram_days;
DELETE FROM report_rollups;
DELETE FROM report_histograms;
DELETE FROM report_chat_state;
DELETE FROM report_business_pending;
DELETE FROM report_open_now;
INSERT INTO report_open_now (integration_id, user_key, n)
  SELECT integration_id, coalesce(responsible_id, ''), count(*) FROM chats WHERE status = 'open' GROUP BY 1, 2;
-- @replay
INSERT INTO report_feed (kind, chat_id, integration_id, user_key, at)
SELECT kind, chat_id, integration_id, user_key, at FROM (
  SELECT CASE WHEN e.type IN ('unassigned', 'reassigned') THEN 'assigned' ELSE e.type END AS kind, e.chat_id, c.integration_id,
    CASE WHEN e.type = 'unassigned' OR NOT json_valid(e.data) THEN '' ELSE coalesce(json_extract(e.data, '$.responsibleId'), '') END AS user_key,
    e.created_at AS at,
    -- Within one millisecond, the order the app writes them in: open, reopen, assignment, messages, close.
    CASE e.type WHEN 'opened' THEN 0 WHEN 'reopened' THEN 1 WHEN 'closed' THEN 5 ELSE 2 END AS rank, e.id AS tie
  FROM chat_events e JOIN chats c ON c.id = e.chat_id
  WHERE e.type IN ('opened', 'reopened', 'closed', 'assigned', 'unassigned', 'reassigned') AND e.created_at >= {{FROM}} AND e.created_at < {{TO}}
  UNION ALL
  SELECT CASE WHEN m.direction = 'i' THEN 'in' WHEN m.origin = 'a' THEN 'reply' ELSE 'out' END, m.chat_id, c.integration_id,
    coalesce(m.author_id, ''), m.created_at, CASE WHEN m.direction = 'i' THEN 3 ELSE 4 END, m.id
  FROM messages m JOIN chats c ON c.id = m.chat_id
  WHERE m.created_at >= {{FROM}} AND m.created_at < {{TO}}
) ORDER BY at, chat_id, rank, tie;
-- CSAT answers of the window (no per-chat state: each rating is counted on its own).
INSERT INTO report_rollups (hour, integration_id, user_key, csat_count, csat_sum)
  SELECT CAST(rated_at AS INTEGER) / 3600000, integration_id, coalesce(manager_id, ''), count(*), sum(rating)
  FROM csat_ratings WHERE rating IS NOT NULL AND rated_at >= {{FROM}} AND rated_at < {{TO}} GROUP BY 1, 2, 3
  ON CONFLICT (hour, integration_id, user_key) DO UPDATE SET csat_count = csat_count + excluded.csat_count, csat_sum = csat_sum + excluded.csat_sum;
