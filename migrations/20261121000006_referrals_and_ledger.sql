-- Partners' invite codes and attribution; commission rules; ledger links.

CREATE TABLE invite_codes (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partner_id uuid NOT NULL REFERENCES users (id),
    code       text NOT NULL,
    kind       text NOT NULL,
    max_uses   integer,
    uses       integer NOT NULL DEFAULT 0,
    expires_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT invite_codes_code_unique UNIQUE (code),
    CONSTRAINT invite_codes_code_format CHECK (code ~ '^[A-Z0-9]{6,20}$'),
    CONSTRAINT invite_codes_kind_known CHECK (kind IN ('client', 'lawyer')),
    CONSTRAINT invite_codes_uses_bounded CHECK (uses >= 0 AND (max_uses IS NULL OR (max_uses > 0 AND uses <= max_uses)))
);
CREATE INDEX invite_codes_partner_idx ON invite_codes (partner_id, created_at);

-- A visitor arriving with a code (a click). Registration names the visit; the
-- attribution window runs from the visit.
CREATE TABLE invite_visits (
    id      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    code_id uuid NOT NULL REFERENCES invite_codes (id),
    at      timestamptz NOT NULL
);
CREATE INDEX invite_visits_code_idx ON invite_visits (code_id, at);

ALTER TABLE referrals
    ADD COLUMN invite_code_id uuid REFERENCES invite_codes (id),
    ADD COLUMN visit_id uuid REFERENCES invite_visits (id);

-- Commission rules, as admins set them; the newest row is in force. Commissions come
-- only from the platform's service fee, or are flat amounts for bringing lawyers:
-- never from a lawyer's fee (Lei 8.906/94 art. 34).
CREATE TABLE commission_rules (
    id                     bigserial PRIMARY KEY,
    client_service_fee_bps integer NOT NULL,
    lawyer_flat_cents      bigint NOT NULL,
    hold_days              integer NOT NULL,
    created_by             uuid REFERENCES users (id),
    created_at             timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT commission_rules_bps_range CHECK (client_service_fee_bps BETWEEN 0 AND 10000),
    CONSTRAINT commission_rules_flat_nonnegative CHECK (lawyer_flat_cents >= 0),
    CONSTRAINT commission_rules_hold_range CHECK (hold_days BETWEEN 0 AND 90)
);
INSERT INTO commission_rules (client_service_fee_bps, lawyer_flat_cents, hold_days) VALUES (2000, 5000, 7);
CREATE TRIGGER commission_rules_append_only BEFORE UPDATE OR DELETE ON commission_rules
    FOR EACH ROW EXECUTE FUNCTION refuse_change();

ALTER TABLE ledger_entries
    ADD COLUMN session_id uuid REFERENCES legal_sessions (id),
    ADD COLUMN referral_id uuid REFERENCES referrals (id);
-- Earned once per beneficiary and session, a lawyer's flat bonus once per referral,
-- and an entry reversed at most once.
CREATE UNIQUE INDEX ledger_entries_earned_once ON ledger_entries (beneficiary_id, session_id)
    WHERE kind = 'earned' AND session_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_entries_flat_once ON ledger_entries (referral_id)
    WHERE kind = 'earned' AND referral_id IS NOT NULL;
CREATE UNIQUE INDEX ledger_entries_reversed_once ON ledger_entries (reverses_id)
    WHERE reverses_id IS NOT NULL;
