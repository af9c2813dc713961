-- The audit log: append-only and hash-chained.
--
-- Row n stores hash_n = SHA-256(hash_{n-1} || canonical(row n)), where the
-- canonical encoding is RFC 8785 JSON of the row's fields (see docs/audit-log.md).
-- The application computes the hash under a transaction-scoped advisory lock so
-- writers are serialized; the constraints below make a fork impossible even for
-- a writer that skips the lock: seq is gapless from 1, each prev_hash is unique
-- and must equal the hash of the row before it.
CREATE TABLE audit_log (
    seq          bigint PRIMARY KEY,
    at           timestamptz NOT NULL,
    actor_id     uuid REFERENCES users (id),
    actor_role   text,
    action       text NOT NULL,
    subject_kind text NOT NULL,
    subject_id   text NOT NULL,
    reason       text,
    details      jsonb NOT NULL DEFAULT '{}',
    prev_hash    bytea NOT NULL,
    hash         bytea NOT NULL,
    CONSTRAINT audit_log_seq_positive CHECK (seq > 0),
    CONSTRAINT audit_log_hash_length CHECK (length(hash) = 32 AND length(prev_hash) = 32),
    CONSTRAINT audit_log_prev_unique UNIQUE (prev_hash),
    CONSTRAINT audit_log_hash_unique UNIQUE (hash),
    CONSTRAINT audit_log_action_format CHECK (action ~ '^[a-z_]+(\.[a-z_]+)+$')
);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_subject_idx ON audit_log (subject_kind, subject_id, seq);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);

CREATE FUNCTION audit_log_link() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    last_seq  bigint;
    last_hash bytea;
BEGIN
    SELECT seq, hash INTO last_seq, last_hash FROM audit_log ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        last_seq := 0;
        last_hash := decode(repeat('00', 32), 'hex');
    END IF;
    IF NEW.seq <> last_seq + 1 OR NEW.prev_hash <> last_hash THEN
        RAISE EXCEPTION 'audit row % does not extend the chain (last row is %)', NEW.seq, last_seq
            USING ERRCODE = 'integrity_constraint_violation', CONSTRAINT = 'audit_log_chain';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER audit_log_link BEFORE INSERT ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_link();
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
