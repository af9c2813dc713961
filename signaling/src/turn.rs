//! TURN relays for networks that block UDP: the servers browsers may use, and the
//! time-limited credentials the API issues for them (the "TURN REST API" scheme that
//! coturn's `use-auth-secret` checks: the username is `<expiry>:<identity>`, the password
//! the Base64 HMAC-SHA1 of the username under a secret shared with the TURN server).

use base64::Engine;
use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use serde::Serialize;

/// One ICE server as a browser's `RTCIceServer` takes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IceServer {
    pub urls: Vec<String>,
    pub username: String,
    pub credential: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TurnError {
    #[error("TURN URLs start with turn: or turns: ({0:?} does not)")]
    BadUrl(String),
    #[error("the TURN secret must be at least 16 characters")]
    WeakSecret,
}

/// The TURN servers and the secret they share with us.
#[derive(Clone)]
pub struct TurnRelays {
    urls: Vec<String>,
    secret: Vec<u8>,
}

impl std::fmt::Debug for TurnRelays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TurnRelays")
            .field("urls", &self.urls)
            .field("secret", &"***")
            .finish()
    }
}

impl TurnRelays {
    pub fn new(urls: Vec<String>, secret: &str) -> Result<Self, TurnError> {
        if let Some(bad) = urls
            .iter()
            .find(|u| !(u.starts_with("turn:") || u.starts_with("turns:")))
        {
            return Err(TurnError::BadUrl(bad.clone()));
        }
        if secret.chars().count() < 16 {
            return Err(TurnError::WeakSecret);
        }
        Ok(TurnRelays {
            urls,
            secret: secret.as_bytes().to_vec(),
        })
    }

    /// Credentials for `identity` that the TURN server accepts until `expires_at`.
    pub fn credentials(&self, identity: &str, expires_at: DateTime<Utc>) -> IceServer {
        let username = format!("{}:{identity}", expires_at.timestamp());
        let mut mac =
            Hmac::<sha1::Sha1>::new_from_slice(&self.secret).expect("HMAC takes keys of any size");
        mac.update(username.as_bytes());
        IceServer {
            urls: self.urls.clone(),
            credential: base64::engine::general_purpose::STANDARD
                .encode(mac.finalize().into_bytes()),
            username,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn credentials_follow_the_turn_rest_scheme() {
        let relays = TurnRelays::new(
            vec!["turn:turn.example:3478?transport=tcp".into()],
            "north-shore-secret-0123456789",
        )
        .unwrap();
        let at = DateTime::from_timestamp(1_767_225_600, 0).unwrap();
        let server = relays.credentials("ana", at);
        assert_eq!(server.username, "1767225600:ana");
        // Python: base64(hmac.new(secret, b"1767225600:ana", sha1).digest())
        assert_eq!(server.credential, "QCE59aPpGLYvD6d14o95leB8QeA=");
        assert_eq!(server.urls, ["turn:turn.example:3478?transport=tcp"]);
    }

    #[test]
    fn bad_urls_and_weak_secrets_are_refused() {
        assert_eq!(
            TurnRelays::new(vec!["http://x".into()], "0123456789abcdef").unwrap_err(),
            TurnError::BadUrl("http://x".into())
        );
        assert_eq!(
            TurnRelays::new(vec!["turns:x:5349".into()], "short").unwrap_err(),
            TurnError::WeakSecret
        );
        let relays = TurnRelays::new(vec!["turn:x".into()], "0123456789abcdef").unwrap();
        assert!(!format!("{relays:?}").contains("0123456789abcdef"));
    }
}
