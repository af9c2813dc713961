-- Payments, legal sessions, reviews, Stripe events, support, ledger and payouts.
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE payments (
    id                         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id                  uuid NOT NULL REFERENCES users (id),
    lawyer_id                  uuid NOT NULL REFERENCES users (id),
    lawyer_fee_cents           bigint NOT NULL,
    service_fee_cents          bigint NOT NULL,
    currency                   text NOT NULL DEFAULT 'brl',
    status                     text NOT NULL DEFAULT 'pending',
    stripe_checkout_session_id text,
    stripe_payment_intent_id   text,
    refunded_cents             bigint NOT NULL DEFAULT 0,
    -- What was bought: one consultation of this length, at these prices.
    consultation_minutes       integer NOT NULL,
    checkout_url               text,
    checkout_expires_at        timestamptz,
    failure_reason             text,
    created_at                 timestamptz NOT NULL DEFAULT now(),
    paid_at                    timestamptz,
    CONSTRAINT payments_checkout_unique UNIQUE (stripe_checkout_session_id),
    CONSTRAINT payments_intent_unique UNIQUE (stripe_payment_intent_id),
    CONSTRAINT payments_length_range CHECK (consultation_minutes BETWEEN 15 AND 240),
    -- Lets a legal session point at (payment, client, lawyer) so the database
    -- itself refuses a booking paid by someone else or for another lawyer.
    CONSTRAINT payments_parties_unique UNIQUE (id, client_id, lawyer_id),
    CONSTRAINT payments_distinct_parties CHECK (client_id <> lawyer_id),
    CONSTRAINT payments_lawyer_fee_positive CHECK (lawyer_fee_cents > 0),
    CONSTRAINT payments_service_fee_nonnegative CHECK (service_fee_cents >= 0),
    CONSTRAINT payments_currency_brl CHECK (currency = 'brl'),
    CONSTRAINT payments_status_known CHECK (
        status IN ('pending', 'processing', 'paid', 'failed', 'expired', 'refunded')),
    CONSTRAINT payments_paid_has_time CHECK (status NOT IN ('paid', 'refunded') OR paid_at IS NOT NULL),
    CONSTRAINT payments_refund_bounded CHECK (
        refunded_cents >= 0 AND refunded_cents <= lawyer_fee_cents + service_fee_cents)
);
CREATE INDEX payments_client_idx ON payments (client_id);

CREATE TABLE legal_sessions (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id   uuid NOT NULL REFERENCES users (id),
    lawyer_id   uuid NOT NULL REFERENCES users (id),
    payment_id  uuid NOT NULL,
    during      tstzrange NOT NULL,
    status      text NOT NULL DEFAULT 'scheduled',
    legal_mode  boolean NOT NULL DEFAULT false,
    -- Bumped on every change the calendar must learn of (.ics SEQUENCE).
    revision    integer NOT NULL DEFAULT 0,
    cancelled_by  uuid REFERENCES users (id),
    cancel_reason text,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT legal_sessions_paid_by_client FOREIGN KEY (payment_id, client_id, lawyer_id)
        REFERENCES payments (id, client_id, lawyer_id),
    -- One paid payment books at most one session.
    CONSTRAINT legal_sessions_one_per_payment UNIQUE (payment_id),
    CONSTRAINT legal_sessions_distinct_parties CHECK (client_id <> lawyer_id),
    CONSTRAINT legal_sessions_during_bounded CHECK (
        NOT isempty(during) AND NOT lower_inf(during) AND NOT upper_inf(during)
        AND lower_inc(during) AND NOT upper_inc(during)),
    CONSTRAINT legal_sessions_status_known CHECK (status IN (
        'scheduled', 'lobby_open', 'in_progress', 'completed', 'no_show', 'cancelled')),
    CONSTRAINT legal_sessions_cancel_complete CHECK ((status = 'cancelled') = (cancelled_by IS NOT NULL)),
    -- Neither a lawyer nor a client ever has two overlapping live sessions.
    CONSTRAINT legal_sessions_lawyer_no_overlap EXCLUDE USING gist (lawyer_id WITH =, during WITH &&)
        WHERE (status IN ('scheduled', 'lobby_open', 'in_progress')),
    CONSTRAINT legal_sessions_client_no_overlap EXCLUDE USING gist (client_id WITH =, during WITH &&)
        WHERE (status IN ('scheduled', 'lobby_open', 'in_progress'))
);

-- Only a paid payment books a session.
CREATE FUNCTION legal_sessions_require_paid() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM payments WHERE id = NEW.payment_id AND status = 'paid') THEN
        RAISE EXCEPTION 'payment % is not paid', NEW.payment_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'legal_sessions_require_paid';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER legal_sessions_require_paid BEFORE INSERT ON legal_sessions
    FOR EACH ROW EXECUTE FUNCTION legal_sessions_require_paid();

CREATE TABLE reviews (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    session_id      uuid NOT NULL REFERENCES legal_sessions (id),
    author_id       uuid NOT NULL REFERENCES users (id),
    subject_id      uuid NOT NULL REFERENCES users (id),
    rating          smallint NOT NULL,
    comment         text NOT NULL DEFAULT '',
    hidden          boolean NOT NULL DEFAULT false,
    lawyer_reply    text,
    lawyer_reply_at timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT reviews_one_per_author UNIQUE (session_id, author_id),
    CONSTRAINT reviews_rating_range CHECK (rating BETWEEN 1 AND 5),
    CONSTRAINT reviews_comment_length CHECK (length(comment) <= 2000),
    CONSTRAINT reviews_not_self CHECK (author_id <> subject_id),
    CONSTRAINT reviews_reply_complete CHECK ((lawyer_reply IS NULL) = (lawyer_reply_at IS NULL))
);

-- A review's substance never changes; only moderation (hidden) moves, and the
-- lawyer's single reply may be written once.
CREATE FUNCTION reviews_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'reviews are never deleted (hide them instead)'
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'reviews_immutable';
    END IF;
    IF NEW.rating IS DISTINCT FROM OLD.rating OR NEW.comment IS DISTINCT FROM OLD.comment
       OR NEW.session_id IS DISTINCT FROM OLD.session_id OR NEW.author_id IS DISTINCT FROM OLD.author_id
       OR NEW.subject_id IS DISTINCT FROM OLD.subject_id OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR NEW.id IS DISTINCT FROM OLD.id THEN
        RAISE EXCEPTION 'a review''s rating and text never change'
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'reviews_immutable';
    END IF;
    IF OLD.lawyer_reply IS NOT NULL AND (NEW.lawyer_reply IS DISTINCT FROM OLD.lawyer_reply
       OR NEW.lawyer_reply_at IS DISTINCT FROM OLD.lawyer_reply_at) THEN
        RAISE EXCEPTION 'the lawyer''s reply is written once'
            USING ERRCODE = 'restrict_violation', CONSTRAINT = 'reviews_reply_once';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER reviews_immutable BEFORE UPDATE OR DELETE ON reviews
    FOR EACH ROW EXECUTE FUNCTION reviews_immutable();
CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();

-- Each Stripe event id is processed at most once.
CREATE TABLE stripe_events (
    id          text PRIMARY KEY,
    type        text NOT NULL,
    created     timestamptz NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload     jsonb NOT NULL
);

CREATE TABLE support_tickets (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    author_id       uuid NOT NULL REFERENCES users (id),
    session_id      uuid REFERENCES legal_sessions (id),
    kind            text NOT NULL,
    subject         text NOT NULL,
    body            text NOT NULL,
    status          text NOT NULL DEFAULT 'open',
    outcome         text,
    resolution_note text,
    resolved_by     uuid REFERENCES users (id),
    resolved_at     timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT support_tickets_kind_known CHECK (kind IN ('contact', 'no_show')),
    CONSTRAINT support_tickets_no_show_has_session CHECK (kind <> 'no_show' OR session_id IS NOT NULL),
    CONSTRAINT support_tickets_status_known CHECK (status IN ('open', 'resolved')),
    CONSTRAINT support_tickets_outcome_known CHECK (
        outcome IS NULL OR outcome IN ('refund_client', 'pay_lawyer', 'warn', 'dismiss')),
    CONSTRAINT support_tickets_resolution_complete CHECK (
        (status = 'resolved') = (outcome IS NOT NULL AND resolved_by IS NOT NULL AND resolved_at IS NOT NULL)),
    CONSTRAINT support_tickets_subject_length CHECK (length(subject) BETWEEN 1 AND 200),
    CONSTRAINT support_tickets_body_length CHECK (length(body) BETWEEN 1 AND 5000)
);

CREATE TABLE payouts (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    beneficiary_id     uuid NOT NULL REFERENCES users (id),
    amount_cents       bigint NOT NULL,
    status             text NOT NULL DEFAULT 'created',
    external_reference text,
    created_by         uuid NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL DEFAULT now(),
    paid_by            uuid REFERENCES users (id),
    paid_at            timestamptz,
    CONSTRAINT payouts_amount_positive CHECK (amount_cents > 0),
    CONSTRAINT payouts_status_known CHECK (status IN ('created', 'paid')),
    CONSTRAINT payouts_paid_complete CHECK (
        (status = 'paid') = (external_reference IS NOT NULL AND paid_by IS NOT NULL AND paid_at IS NOT NULL))
);

-- Lawyers' earnings and partners' commissions, in centavos. Entries are never
-- edited: a correction is a new entry. The only change allowed is attaching an
-- entry, once, to the payout that pays it.
CREATE TABLE ledger_entries (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    beneficiary_id   uuid NOT NULL REFERENCES users (id),
    beneficiary_kind text NOT NULL,
    kind             text NOT NULL,
    amount_cents     bigint NOT NULL,
    payment_id       uuid REFERENCES payments (id),
    reverses_id      uuid REFERENCES ledger_entries (id),
    payout_id        uuid REFERENCES payouts (id),
    available_at     timestamptz NOT NULL DEFAULT now(),
    memo             text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ledger_entries_beneficiary_kind_known CHECK (beneficiary_kind IN ('lawyer', 'partner')),
    CONSTRAINT ledger_entries_kind_known CHECK (kind IN ('earned', 'reversal', 'adjustment', 'payout')),
    CONSTRAINT ledger_entries_amount_nonzero CHECK (amount_cents <> 0)
);
CREATE INDEX ledger_entries_beneficiary_idx ON ledger_entries (beneficiary_id, created_at);

CREATE FUNCTION ledger_entries_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.payout_id IS NULL AND NEW.payout_id IS NOT NULL
       AND (to_jsonb(NEW) - 'payout_id') = (to_jsonb(OLD) - 'payout_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'ledger entries are append-only: % is refused', TG_OP
        USING ERRCODE = 'restrict_violation', CONSTRAINT = 'ledger_entries_append_only';
END;
$$;
CREATE TRIGGER ledger_entries_append_only BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_append_only();
CREATE TRIGGER ledger_entries_no_truncate BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION refuse_change();
