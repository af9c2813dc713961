-- Accounts, login sessions and lawyer profiles.

CREATE TABLE users (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email              text NOT NULL,
    password_hash      text NOT NULL,
    display_name       text NOT NULL,
    role               text NOT NULL,
    status             text NOT NULL DEFAULT 'active',
    stripe_customer_id text,
    locale             text NOT NULL DEFAULT 'pt-BR',
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT users_email_unique UNIQUE (email),
    CONSTRAINT users_email_lowercase CHECK (email = lower(email) AND email LIKE '%_@_%'),
    CONSTRAINT users_display_name_length CHECK (length(display_name) BETWEEN 1 AND 100),
    CONSTRAINT users_role_known CHECK (role IN ('CLIENT', 'LAWYER', 'PARTNER', 'ADMIN')),
    CONSTRAINT users_status_known CHECK (status IN ('active', 'suspended')),
    CONSTRAINT users_locale_known CHECK (locale IN ('pt-BR', 'en')),
    CONSTRAINT users_stripe_customer_unique UNIQUE (stripe_customer_id)
);

-- A login session. Only the SHA-256 of the cookie's token is stored, so a
-- copy of this table cannot be replayed as cookies.
CREATE TABLE auth_sessions (
    token_hash bytea PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id),
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz,
    CONSTRAINT auth_sessions_token_hash_length CHECK (length(token_hash) = 32)
);
CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id);

CREATE TABLE lawyer_profiles (
    user_id              uuid PRIMARY KEY REFERENCES users (id),
    oab_number           text NOT NULL,
    oab_state            text NOT NULL,
    verification_status  text NOT NULL DEFAULT 'pending',
    verified_at          timestamptz,
    verified_by          uuid REFERENCES users (id),
    areas                text[] NOT NULL DEFAULT '{}',
    languages            text[] NOT NULL DEFAULT '{pt-BR}',
    fee_cents            bigint NOT NULL,
    consultation_minutes integer NOT NULL,
    time_zone            text NOT NULL,
    bio                  text NOT NULL DEFAULT '',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT lawyer_profiles_oab_unique UNIQUE (oab_state, oab_number),
    CONSTRAINT lawyer_profiles_oab_number_format CHECK (oab_number ~ '^[0-9]{1,7}[A-Z]?$'),
    CONSTRAINT lawyer_profiles_oab_state_known CHECK (oab_state IN (
        'AC', 'AL', 'AP', 'AM', 'BA', 'CE', 'DF', 'ES', 'GO', 'MA', 'MT', 'MS', 'MG', 'PA',
        'PB', 'PR', 'PE', 'PI', 'RJ', 'RN', 'RS', 'RO', 'RR', 'SC', 'SP', 'SE', 'TO')),
    CONSTRAINT lawyer_profiles_verification_known CHECK (
        verification_status IN ('pending', 'verified', 'rejected')),
    CONSTRAINT lawyer_profiles_verified_has_verifier CHECK (
        (verification_status = 'verified') = (verified_at IS NOT NULL AND verified_by IS NOT NULL)),
    CONSTRAINT lawyer_profiles_fee_positive CHECK (fee_cents > 0),
    CONSTRAINT lawyer_profiles_length_range CHECK (consultation_minutes BETWEEN 15 AND 240),
    CONSTRAINT lawyer_profiles_bio_length CHECK (length(bio) <= 4000)
);

-- A referral is first touch: one per referred user, never changed afterwards.
CREATE TABLE referrals (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    partner_id       uuid NOT NULL REFERENCES users (id),
    referred_user_id uuid NOT NULL REFERENCES users (id),
    referred_role    text NOT NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT referrals_first_touch UNIQUE (referred_user_id),
    CONSTRAINT referrals_not_self CHECK (partner_id <> referred_user_id),
    CONSTRAINT referrals_role_known CHECK (referred_role IN ('CLIENT', 'LAWYER'))
);

-- Links a client with a lawyer, and with the partner who brought either of them.
CREATE TABLE assignments (
    id         uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    client_id  uuid NOT NULL REFERENCES users (id),
    lawyer_id  uuid NOT NULL REFERENCES users (id),
    partner_id uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT assignments_pair_unique UNIQUE (client_id, lawyer_id),
    CONSTRAINT assignments_distinct_people CHECK (client_id <> lawyer_id)
);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % is refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'restrict_violation', CONSTRAINT = TG_TABLE_NAME || '_append_only';
END;
$$;

CREATE TRIGGER referrals_append_only BEFORE UPDATE OR DELETE ON referrals
    FOR EACH ROW EXECUTE FUNCTION refuse_change();
