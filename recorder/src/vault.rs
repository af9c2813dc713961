//! Vault key pairs (X25519, used through HPKE). The secret half lives only where the
//! vault is opened (an admin's machine); the server is configured with public halves.

use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const SECRET_PREFIX: &str = "tribuna-vault-secret-v1:";
const PUBLIC_PREFIX: &str = "tribuna-vault-public-v1:";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a {0} vault key (expected the prefix {1:?})")]
    WrongKind(&'static str, &'static str),
    #[error("the key is not valid hex or not 32 bytes")]
    Malformed,
    #[error("no randomness available: {0}")]
    Random(String),
}

#[derive(Clone, PartialEq, Eq)]
pub struct PublicKey(pub(crate) <X25519HkdfSha256 as Kem>::PublicKey);

pub struct SecretKey(pub(crate) <X25519HkdfSha256 as Kem>::PrivateKey);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretKey(***)")
    }
}

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.key_id())
    }
}

/// A new key pair from the operating system's randomness.
pub fn generate() -> Result<(SecretKey, PublicKey), KeyError> {
    let mut ikm = Zeroizing::new([0u8; 32]);
    getrandom::fill(ikm.as_mut()).map_err(|e| KeyError::Random(e.to_string()))?;
    let (sk, pk) = X25519HkdfSha256::derive_keypair(ikm.as_ref());
    Ok((SecretKey(sk), PublicKey(pk)))
}

impl PublicKey {
    /// A short, stable name for the key: the first 8 bytes of its SHA-256, in hex.
    pub fn key_id(&self) -> String {
        hex::encode(&Sha256::digest(self.0.to_bytes())[..8])
    }
    pub fn encode(&self) -> String {
        format!("{PUBLIC_PREFIX}{}", hex::encode(self.0.to_bytes()))
    }
    pub fn decode(text: &str) -> Result<Self, KeyError> {
        let hex_part = text
            .trim()
            .strip_prefix(PUBLIC_PREFIX)
            .ok_or(KeyError::WrongKind("public", PUBLIC_PREFIX))?;
        let bytes = hex::decode(hex_part).map_err(|_| KeyError::Malformed)?;
        <X25519HkdfSha256 as Kem>::PublicKey::from_bytes(&bytes)
            .map(PublicKey)
            .map_err(|_| KeyError::Malformed)
    }
}

impl SecretKey {
    pub fn encode(&self) -> Zeroizing<String> {
        Zeroizing::new(format!("{SECRET_PREFIX}{}", hex::encode(self.0.to_bytes())))
    }
    pub fn decode(text: &str) -> Result<Self, KeyError> {
        let hex_part = text
            .trim()
            .strip_prefix(SECRET_PREFIX)
            .ok_or(KeyError::WrongKind("secret", SECRET_PREFIX))?;
        let bytes = Zeroizing::new(hex::decode(hex_part).map_err(|_| KeyError::Malformed)?);
        <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&bytes)
            .map(SecretKey)
            .map_err(|_| KeyError::Malformed)
    }
    pub fn public(&self) -> PublicKey {
        PublicKey(X25519HkdfSha256::sk_to_pk(&self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_round_trip_through_their_text_form_and_never_print_the_secret() {
        let (sk, pk) = generate().unwrap();
        assert_eq!(PublicKey::decode(&pk.encode()).unwrap(), pk);
        assert_eq!(SecretKey::decode(&sk.encode()).unwrap().public(), pk);
        assert_eq!(format!("{sk:?}"), "SecretKey(***)");
        assert!(
            PublicKey::decode(&sk.encode()).is_err(),
            "a secret is not a public key"
        );
        assert!(SecretKey::decode("tribuna-vault-secret-v1:zz").is_err());
    }
}
