//! Room access tokens: short-lived HS256 JWTs carrying the grants of one
//! participant in one room.

use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

const ISSUER: &str = "tribuna";

/// What a participant may do in a room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomGrant {
    pub room: String,
    pub identity: String,
    pub display_name: String,
    pub can_publish: bool,
    pub can_subscribe: bool,
    /// The room records (Legal Mode) once both parties consent.
    pub legal_mode: bool,
    /// The holder is the recorder, not a person.
    pub recorder: bool,
}

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    iss: String,
    sub: String,
    iat: i64,
    nbf: i64,
    exp: i64,
    grant: RoomGrant,
}

/// The shared secret that signs room tokens (at least 32 bytes).
#[derive(Clone)]
pub struct RoomTokenKey(Vec<u8>);

impl std::fmt::Debug for RoomTokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RoomTokenKey(***)")
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoomTokenError {
    #[error("room token keys must be at least 32 bytes")]
    WeakKey,
    #[error("the room token is malformed")]
    Malformed,
    #[error("the room token's signature is not ours")]
    Forged,
    #[error("the room token has expired")]
    Expired,
    #[error("the room token is not valid yet")]
    NotYetValid,
    #[error("the room token is for another room")]
    WrongRoom,
}

impl RoomTokenKey {
    pub fn new(secret: Vec<u8>) -> Result<Self, RoomTokenError> {
        if secret.len() < 32 {
            return Err(RoomTokenError::WeakKey);
        }
        Ok(RoomTokenKey(secret))
    }

    /// A token for `grant`, valid from `now` for `ttl`.
    pub fn mint(&self, grant: &RoomGrant, now: DateTime<Utc>, ttl: Duration) -> String {
        let claims = Claims {
            iss: ISSUER.to_owned(),
            sub: grant.identity.clone(),
            iat: now.timestamp(),
            nbf: now.timestamp() - 5,
            exp: (now + ttl).timestamp(),
            grant: grant.clone(),
        };
        jsonwebtoken::encode(
            &Header::new(Algorithm::HS256),
            &claims,
            &EncodingKey::from_secret(&self.0),
        )
        .expect("HS256 encoding of plain claims cannot fail")
    }

    /// The grant in `token`, if it is ours, current at `now`, and for `room`.
    pub fn verify(
        &self,
        token: &str,
        room: &str,
        now: DateTime<Utc>,
    ) -> Result<RoomGrant, RoomTokenError> {
        let mut validation = Validation::new(Algorithm::HS256);
        // Times are checked below against the injected clock.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[ISSUER]);
        let data =
            jsonwebtoken::decode::<Claims>(token, &DecodingKey::from_secret(&self.0), &validation)
                .map_err(|e| {
                    use jsonwebtoken::errors::ErrorKind;
                    match e.kind() {
                        ErrorKind::InvalidSignature => RoomTokenError::Forged,
                        _ => RoomTokenError::Malformed,
                    }
                })?;
        let claims = data.claims;
        let t = now.timestamp();
        if t >= claims.exp {
            return Err(RoomTokenError::Expired);
        }
        if t < claims.nbf {
            return Err(RoomTokenError::NotYetValid);
        }
        if claims.grant.room != room {
            return Err(RoomTokenError::WrongRoom);
        }
        Ok(claims.grant)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant() -> RoomGrant {
        RoomGrant {
            room: "session-1".into(),
            identity: "user-1".into(),
            display_name: "Ana".into(),
            can_publish: true,
            can_subscribe: true,
            legal_mode: false,
            recorder: false,
        }
    }

    fn key(byte: u8) -> RoomTokenKey {
        RoomTokenKey::new(vec![byte; 32]).unwrap()
    }

    #[test]
    fn a_minted_token_verifies_for_its_room_until_it_expires() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let token = key(1).mint(&grant(), now, Duration::minutes(10));
        assert_eq!(key(1).verify(&token, "session-1", now), Ok(grant()));
        assert_eq!(
            key(1).verify(&token, "session-2", now),
            Err(RoomTokenError::WrongRoom)
        );
        let later = now + Duration::minutes(10);
        assert_eq!(
            key(1).verify(&token, "session-1", later),
            Err(RoomTokenError::Expired)
        );
        let before = now - Duration::minutes(1);
        assert_eq!(
            key(1).verify(&token, "session-1", before),
            Err(RoomTokenError::NotYetValid)
        );
    }

    #[test]
    fn forged_and_malformed_tokens_are_refused() {
        let now = DateTime::from_timestamp(1_800_000_000, 0).unwrap();
        let token = key(2).mint(&grant(), now, Duration::minutes(10));
        assert_eq!(
            key(1).verify(&token, "session-1", now),
            Err(RoomTokenError::Forged)
        );
        assert_eq!(
            key(1).verify("not.a.token", "session-1", now),
            Err(RoomTokenError::Malformed)
        );
        assert_eq!(
            RoomTokenKey::new(vec![0; 8]).unwrap_err(),
            RoomTokenError::WeakKey
        );
    }
}
