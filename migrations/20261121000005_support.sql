-- Support: no-show reports carry the attendance the SFU recorded, and a
-- participant reports a session's no-show at most once.
ALTER TABLE support_tickets
    ADD COLUMN attendance jsonb,
    ADD CONSTRAINT support_tickets_no_show_has_attendance CHECK (kind <> 'no_show' OR attendance IS NOT NULL);

CREATE UNIQUE INDEX support_tickets_one_no_show_per_author
    ON support_tickets (session_id, author_id) WHERE kind = 'no_show';
CREATE INDEX support_tickets_queue_idx ON support_tickets (status, created_at);
CREATE INDEX support_tickets_author_idx ON support_tickets (author_id, created_at);
