-- Legal Mode recordings: what the recorder sealed into the custody vault (the chain of
-- segments as it grew, gaps, the final manifest's hash) and who asked for a copy.

CREATE TABLE recordings (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id      uuid NOT NULL REFERENCES legal_sessions (id),
    status          text NOT NULL DEFAULT 'recording',
    -- Where its sealed objects are kept: `<prefix>/<path in the bundle>.sealed`.
    prefix          text NOT NULL UNIQUE,
    started_at      timestamptz NOT NULL,
    -- The segment series being written (a recorder restart starts the next).
    series          integer NOT NULL DEFAULT 0 CHECK (series >= 0),
    ended_at        timestamptz,
    manifest_sha256 text,
    CONSTRAINT recordings_status_known CHECK (status IN ('recording', 'sealed')),
    CONSTRAINT recordings_sealed_complete CHECK (
        (status = 'sealed') = (ended_at IS NOT NULL AND manifest_sha256 IS NOT NULL)),
    CONSTRAINT recordings_manifest_hash_hex CHECK (manifest_sha256 ~ '^[0-9a-f]{64}$'),
    CONSTRAINT recordings_ends_after_start CHECK (ended_at >= started_at)
);
-- At most one recording in progress per session.
CREATE UNIQUE INDEX recordings_one_open_per_session ON recordings (session_id) WHERE status = 'recording';
CREATE INDEX recordings_session_idx ON recordings (session_id, started_at);

-- A sealed recording never changes; one in progress only moves its series forward or seals.
CREATE FUNCTION recordings_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.status = 'sealed'
       OR NEW.id <> OLD.id OR NEW.session_id <> OLD.session_id OR NEW.prefix <> OLD.prefix
       OR NEW.started_at <> OLD.started_at OR NEW.series < OLD.series THEN
        RAISE EXCEPTION 'recording % cannot be changed that way', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'recordings_guard';
    END IF;
    RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END;
$$;
CREATE TRIGGER recordings_guard BEFORE UPDATE OR DELETE ON recordings
    FOR EACH ROW EXECUTE FUNCTION recordings_guard();

-- The hash chain, entry by entry, recorded as each sealed segment is deposited: a crash
-- of the recorder loses at most the segment being written. An entry's `prev` must be the
-- previous entry's `link` (the first's is 64 zeros): the database refuses a broken chain.
CREATE TABLE recording_segments (
    recording_id    uuid NOT NULL REFERENCES recordings (id),
    position        integer NOT NULL CHECK (position >= 0),
    series          integer NOT NULL CHECK (series >= 0),
    participant     text NOT NULL,
    file            text NOT NULL,
    bytes           bigint NOT NULL CHECK (bytes > 0),
    sha256          text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    start_at        timestamptz NOT NULL,
    end_at          timestamptz NOT NULL,
    prev            text NOT NULL CHECK (prev ~ '^[0-9a-f]{64}$'),
    link            text NOT NULL CHECK (link ~ '^[0-9a-f]{64}$'),
    prev_position   integer GENERATED ALWAYS AS (NULLIF(position, 0) - 1) STORED,
    PRIMARY KEY (recording_id, position),
    UNIQUE (recording_id, position, link),
    UNIQUE (recording_id, file),
    CONSTRAINT recording_segments_time_forward CHECK (end_at >= start_at),
    CONSTRAINT recording_segments_genesis CHECK (
        position > 0 OR prev = '0000000000000000000000000000000000000000000000000000000000000000'),
    CONSTRAINT recording_segments_chained FOREIGN KEY (recording_id, prev_position, prev)
        REFERENCES recording_segments (recording_id, position, link)
);
CREATE TRIGGER recording_segments_append_only BEFORE UPDATE OR DELETE ON recording_segments
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Only a recording in progress takes segments and gaps.
CREATE FUNCTION recording_in_progress() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM recordings WHERE id = NEW.recording_id AND status = 'recording') THEN
        RAISE EXCEPTION 'recording % is not in progress', NEW.recording_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'recording_in_progress';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER recording_segments_in_progress BEFORE INSERT ON recording_segments
    FOR EACH ROW EXECUTE FUNCTION recording_in_progress();

-- No media between `from_at` and `to_at`: the recorder died and resumed, consent was
-- withdrawn, or a closed segment could not be sealed.
CREATE TABLE recording_gaps (
    id              bigserial PRIMARY KEY,
    recording_id    uuid NOT NULL REFERENCES recordings (id),
    from_at         timestamptz NOT NULL,
    to_at           timestamptz NOT NULL,
    reason          text NOT NULL,
    CONSTRAINT recording_gaps_forward CHECK (to_at >= from_at),
    CONSTRAINT recording_gaps_reason_known CHECK (reason IN ('recorder_restarted', 'consent_withdrawn', 'segment_lost'))
);
CREATE TRIGGER recording_gaps_append_only BEFORE UPDATE OR DELETE ON recording_gaps
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER recording_gaps_in_progress BEFORE INSERT ON recording_gaps
    FOR EACH ROW EXECUTE FUNCTION recording_in_progress();

-- A party's request for their recording; an admin fulfils it by downloading the sealed
-- bundle (audited, with the request as the reason) or refuses it with a reason.
CREATE TABLE recording_requests (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    recording_id    uuid NOT NULL REFERENCES recordings (id),
    requested_by    uuid NOT NULL REFERENCES users (id),
    note            text NOT NULL DEFAULT '' CHECK (length(note) <= 2000),
    created_at      timestamptz NOT NULL,
    status          text NOT NULL DEFAULT 'pending',
    decided_by      uuid REFERENCES users (id),
    decided_at      timestamptz,
    decision_note   text,
    CONSTRAINT recording_requests_status_known CHECK (status IN ('pending', 'fulfilled', 'refused')),
    CONSTRAINT recording_requests_decided CHECK (
        (status = 'pending') = (decided_by IS NULL AND decided_at IS NULL))
);
CREATE UNIQUE INDEX recording_requests_one_pending ON recording_requests (recording_id, requested_by)
    WHERE status = 'pending';
CREATE INDEX recording_requests_pending_idx ON recording_requests (created_at) WHERE status = 'pending';
