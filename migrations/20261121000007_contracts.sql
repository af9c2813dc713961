-- Contract lifecycle: lawyers' templates, engagement documents between a lawyer and a
-- client, their immutable versions, and the client's answer with its evidence.

-- A lawyer's templates of engagement terms, with {{placeholders}} filled when a
-- document is made from one. Templates are working material: they change freely;
-- what was sent is kept in contract_versions.
CREATE TABLE contract_templates (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    lawyer_id  uuid NOT NULL REFERENCES users (id),
    kind       text NOT NULL,
    title      text NOT NULL,
    body       text NOT NULL,
    archived   boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT contract_templates_kind_known CHECK (kind IN ('consultation_terms', 'fee_agreement')),
    CONSTRAINT contract_templates_title_length CHECK (char_length(title) BETWEEN 3 AND 120),
    CONSTRAINT contract_templates_body_length CHECK (char_length(body) BETWEEN 20 AND 50000)
);
-- A client is shown exactly one set of consultation terms per lawyer.
CREATE UNIQUE INDEX contract_templates_one_consultation_terms
    ON contract_templates (lawyer_id) WHERE kind = 'consultation_terms' AND NOT archived;
CREATE INDEX contract_templates_lawyer_idx ON contract_templates (lawyer_id, kind);

CREATE TABLE contracts (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    kind        text NOT NULL,
    lawyer_id   uuid NOT NULL REFERENCES users (id),
    client_id   uuid NOT NULL REFERENCES users (id),
    -- Consultation terms: the payment they were accepted with.
    payment_id  uuid UNIQUE,
    -- The session the document belongs to (booked with it, or after which it was sent).
    session_id  uuid REFERENCES legal_sessions (id),
    template_id uuid REFERENCES contract_templates (id),
    title       text NOT NULL,
    status      text NOT NULL,
    ended_by    uuid REFERENCES users (id),
    end_reason  text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL,
    CONSTRAINT contracts_kind_known CHECK (kind IN ('consultation_terms', 'fee_agreement')),
    CONSTRAINT contracts_status_known CHECK (status IN (
        'draft', 'sent', 'accepted', 'declined', 'active', 'completed', 'terminated', 'expired')),
    CONSTRAINT contracts_distinct_parties CHECK (client_id <> lawyer_id),
    CONSTRAINT contracts_terms_have_payment CHECK ((kind = 'consultation_terms') = (payment_id IS NOT NULL)),
    CONSTRAINT contracts_payment_parties FOREIGN KEY (payment_id, client_id, lawyer_id)
        REFERENCES payments (id, client_id, lawyer_id),
    CONSTRAINT contracts_parties_unique UNIQUE (id, client_id)
);
CREATE INDEX contracts_lawyer_idx ON contracts (lawyer_id, created_at DESC);
CREATE INDEX contracts_client_idx ON contracts (client_id, created_at DESC);

-- The lifecycle, enforced here as well as in the application:
-- draft → sent → accepted | declined | expired, accepted → active → completed,
-- and terminated from draft, sent, accepted or active.
CREATE FUNCTION contracts_transition() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.kind <> OLD.kind OR NEW.lawyer_id <> OLD.lawyer_id OR NEW.client_id <> OLD.client_id
       OR NEW.payment_id IS DISTINCT FROM OLD.payment_id THEN
        RAISE EXCEPTION 'a contract''s kind and parties never change'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_parties_fixed';
    END IF;
    IF NEW.status <> OLD.status AND NOT (OLD.status, NEW.status) IN (
        ('draft', 'sent'), ('sent', 'accepted'), ('sent', 'declined'), ('sent', 'expired'),
        ('accepted', 'active'), ('active', 'completed'),
        ('draft', 'terminated'), ('sent', 'terminated'), ('accepted', 'terminated'), ('active', 'terminated'))
    THEN
        RAISE EXCEPTION 'a contract cannot go from % to %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'contracts_lifecycle';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER contracts_lifecycle BEFORE UPDATE ON contracts
    FOR EACH ROW EXECUTE FUNCTION contracts_transition();
CREATE TRIGGER contracts_no_delete BEFORE DELETE OR TRUNCATE ON contracts
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

CREATE TABLE contract_versions (
    contract_id   uuid NOT NULL REFERENCES contracts (id),
    number        integer NOT NULL,
    body          text NOT NULL,
    -- SHA-256 of the body's UTF-8 bytes, hex: the database checks it is the body's.
    body_sha256   text NOT NULL,
    created_at    timestamptz NOT NULL,
    sent_at       timestamptz,
    expires_at    timestamptz,
    superseded_at timestamptz,
    pdf_key       text,
    pdf_sha256    text,
    PRIMARY KEY (contract_id, number),
    CONSTRAINT contract_versions_number_positive CHECK (number > 0),
    CONSTRAINT contract_versions_body_length CHECK (char_length(body) BETWEEN 20 AND 50000),
    CONSTRAINT contract_versions_hash_is_body CHECK (
        body_sha256 = encode(sha256(convert_to(body, 'UTF8')), 'hex')),
    CONSTRAINT contract_versions_sent_complete CHECK (
        (sent_at IS NULL) = (pdf_key IS NULL) AND (pdf_key IS NULL) = (pdf_sha256 IS NULL)
        AND (sent_at IS NOT NULL OR (expires_at IS NULL AND superseded_at IS NULL))),
    CONSTRAINT contract_versions_expiry_after_send CHECK (expires_at IS NULL OR expires_at > sent_at),
    CONSTRAINT contract_versions_answerable UNIQUE (contract_id, number, body_sha256)
);
-- At most one draft (unsent) version per contract.
CREATE UNIQUE INDEX contract_versions_one_draft ON contract_versions (contract_id) WHERE sent_at IS NULL;

-- Once sent, a version never changes; the only later fact is that a newer one superseded it.
CREATE FUNCTION contract_versions_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.sent_at IS NOT NULL THEN
            RAISE EXCEPTION 'version % of contract % was sent and cannot be deleted', OLD.number, OLD.contract_id
                USING ERRCODE = 'restrict_violation', CONSTRAINT = 'contract_versions_immutable';
        END IF;
        RETURN OLD;
    END IF;
    IF OLD.sent_at IS NOT NULL AND (
        NEW.body <> OLD.body OR NEW.body_sha256 <> OLD.body_sha256 OR NEW.number <> OLD.number
        OR NEW.contract_id <> OLD.contract_id OR NEW.sent_at <> OLD.sent_at
        OR NEW.expires_at IS DISTINCT FROM OLD.expires_at OR NEW.pdf_key <> OLD.pdf_key
        OR NEW.pdf_sha256 <> OLD.pdf_sha256
        OR (OLD.superseded_at IS NOT NULL AND NEW.superseded_at IS DISTINCT FROM OLD.superseded_at))
    THEN
        RAISE EXCEPTION 'version % of contract % was sent and cannot change', OLD.number, OLD.contract_id
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'contract_versions_immutable';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER contract_versions_immutable BEFORE UPDATE OR DELETE ON contract_versions
    FOR EACH ROW EXECUTE FUNCTION contract_versions_immutable();
CREATE TRIGGER contract_versions_no_truncate BEFORE TRUNCATE ON contract_versions
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- The client's one answer to a contract, with the evidence: who, when, from where,
-- and the hash of the exact text, which must be the answered version's.
CREATE TABLE contract_answers (
    contract_id uuid PRIMARY KEY,
    client_id   uuid NOT NULL,
    version     integer NOT NULL,
    body_sha256 text NOT NULL,
    answer      text NOT NULL,
    answered_at timestamptz NOT NULL,
    ip          inet NOT NULL,
    user_agent  text,
    reason      text,
    CONSTRAINT contract_answers_answer_known CHECK (answer IN ('accepted', 'declined')),
    CONSTRAINT contract_answers_by_client FOREIGN KEY (contract_id, client_id)
        REFERENCES contracts (id, client_id),
    CONSTRAINT contract_answers_exact_text FOREIGN KEY (contract_id, version, body_sha256)
        REFERENCES contract_versions (contract_id, number, body_sha256)
);
CREATE TRIGGER contract_answers_append_only BEFORE UPDATE OR DELETE ON contract_answers
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
CREATE TRIGGER contract_answers_no_truncate BEFORE TRUNCATE ON contract_answers
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Consultation terms follow their session: booked → active, held → completed,
-- cancelled or missed → terminated; a checkout that never paid ends them too.
CREATE FUNCTION contracts_follow_session() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE contracts SET session_id = NEW.id, status = 'active', updated_at = NEW.updated_at
         WHERE payment_id = NEW.payment_id AND status = 'accepted';
    ELSIF NEW.status <> OLD.status AND NEW.status = 'completed' THEN
        UPDATE contracts SET status = 'completed', updated_at = NEW.updated_at
         WHERE session_id = NEW.id AND kind = 'consultation_terms' AND status = 'active';
    ELSIF NEW.status <> OLD.status AND NEW.status IN ('cancelled', 'no_show') THEN
        UPDATE contracts SET status = 'terminated', updated_at = NEW.updated_at,
               end_reason = 'session ' || NEW.status
         WHERE session_id = NEW.id AND kind = 'consultation_terms' AND status IN ('accepted', 'active');
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER contracts_follow_session AFTER INSERT OR UPDATE OF status ON legal_sessions
    FOR EACH ROW EXECUTE FUNCTION contracts_follow_session();

CREATE FUNCTION contracts_follow_payment() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.status <> OLD.status AND NEW.status IN ('failed', 'expired') THEN
        UPDATE contracts SET status = 'terminated', updated_at = now(), end_reason = 'payment ' || NEW.status
         WHERE payment_id = NEW.id AND status = 'accepted';
    END IF;
    RETURN NULL;
END;
$$;
CREATE TRIGGER contracts_follow_payment AFTER UPDATE OF status ON payments
    FOR EACH ROW EXECUTE FUNCTION contracts_follow_payment();
