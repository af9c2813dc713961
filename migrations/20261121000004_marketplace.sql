-- Availability, attendance and consent events, and the outbox of messages.

-- The lawyer's availability document (weekly hours, overrides, buffers, limits),
-- validated by the application's `AvailabilityDoc::parse` before it is stored.
ALTER TABLE lawyer_profiles
    ADD COLUMN availability jsonb NOT NULL DEFAULT '{"weekly": []}',
    ADD CONSTRAINT lawyer_profiles_availability_object CHECK (jsonb_typeof(availability) = 'object');

CREATE INDEX lawyer_profiles_listed_idx ON lawyer_profiles (verification_status, fee_cents);
CREATE INDEX legal_sessions_lawyer_idx ON legal_sessions (lawyer_id, lower(during));
CREATE INDEX legal_sessions_client_idx ON legal_sessions (client_id, lower(during));

-- What happened in a session's room: joins and leaves (attendance), consents and
-- markers (Legal Mode). Written by the SFU and the recorder; never edited.
CREATE TABLE session_events (
    id            bigserial PRIMARY KEY,
    session_id    uuid NOT NULL REFERENCES legal_sessions (id),
    user_id       uuid REFERENCES users (id),
    kind          text NOT NULL,
    at            timestamptz NOT NULL,
    media_time_ms bigint,
    details       jsonb NOT NULL DEFAULT '{}',
    CONSTRAINT session_events_kind_known CHECK (
        kind IN ('joined', 'left', 'consent_given', 'consent_withdrawn', 'marker'))
);
CREATE INDEX session_events_session_idx ON session_events (session_id, at);
CREATE TRIGGER session_events_append_only BEFORE UPDATE OR DELETE ON session_events
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Messages to people (confirmations, reminders), drained by a delivery worker
-- that takes rows with FOR UPDATE SKIP LOCKED. `dedupe_key` makes enqueueing idempotent.
CREATE TABLE outbox_messages (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recipient_id     uuid NOT NULL REFERENCES users (id),
    kind             text NOT NULL,
    subject          text NOT NULL,
    body             text NOT NULL,
    ics              text,
    session_id       uuid REFERENCES legal_sessions (id),
    session_revision integer,
    dedupe_key       text NOT NULL,
    available_at     timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    skipped_reason   text,
    attempts         integer NOT NULL DEFAULT 0,
    last_error       text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT outbox_messages_dedupe UNIQUE (dedupe_key)
);
CREATE INDEX outbox_messages_due_idx ON outbox_messages (available_at) WHERE sent_at IS NULL AND skipped_reason IS NULL;

-- Lawyers' ratings from visible reviews. The Bayesian average ranks lawyers:
-- (C·m + Σ ratings) / (C + n) with the prior C = 5 reviews of m = 4.0 stars, so a
-- lawyer with few reviews sits near 4.0 and moves with evidence (docs/marketplace.md).
CREATE VIEW lawyer_ratings AS
SELECT r.subject_id AS lawyer_id,
       count(*) AS review_count,
       avg(r.rating)::float8 AS mean,
       ((5 * 4.0) + sum(r.rating))::float8 / (5 + count(*)) AS bayesian,
       count(*) FILTER (WHERE r.rating = 1) AS stars_1,
       count(*) FILTER (WHERE r.rating = 2) AS stars_2,
       count(*) FILTER (WHERE r.rating = 3) AS stars_3,
       count(*) FILTER (WHERE r.rating = 4) AS stars_4,
       count(*) FILTER (WHERE r.rating = 5) AS stars_5
FROM reviews r
JOIN users u ON u.id = r.subject_id AND u.role = 'LAWYER'
WHERE NOT r.hidden
GROUP BY r.subject_id;
