-- A delivery receipt finds our reply through its chat's timeline (the newest 500 messages of the chat
-- the receipt names), not through an index of every outgoing message's messenger id: ~19 bytes a
-- message on the bench's inbox, kept for receipts only Viber sends.
DROP INDEX `messages_receipts`;
