//! Vault key pairs (X25519, used through HPKE). The secret half lives only where the
//! vault is opened (an admin's machine); the server is configured with public halves.

use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, Kem, Serializable};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const SECRET_PREFIX: &str = "tribuna-vault-secret-v1:";
const PUBLIC_PREFIX: &str = "tribuna-vault-public-v1:";
const SHARE_PREFIX: &str = "tribuna-vault-share-v1:";

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("not a {0} vault key (expected the prefix {1:?})")]
    WrongKind(&'static str, &'static str),
    #[error("the key is not valid hex or not 32 bytes")]
    Malformed,
    #[error("no randomness available: {0}")]
    Random(String),
    #[error("dual control needs 2 ≤ threshold ≤ shares ≤ 255 (got {0} of {1})")]
    BadSplit(u8, u8),
    #[error(
        "not a vault key share (expected the prefix {SHARE_PREFIX:?}, key id, threshold, share)"
    )]
    MalformedShare,
    #[error("the shares are of different vault keys")]
    MixedShares,
    #[error("{given} share(s) given; this key needs {needed} different ones")]
    TooFewShares { given: usize, needed: u8 },
    #[error("the shares do not rebuild vault key {0} (a share is damaged or not of this key)")]
    WrongShares(String),
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

/// Dual control: the secret split into `shares` parts, any `threshold` of which rebuild it
/// (Shamir's scheme over GF(256)); fewer reveal nothing about it. Each share's text names the
/// key (its id) and the threshold.
pub fn split(
    secret: &SecretKey,
    threshold: u8,
    shares: u8,
) -> Result<Vec<Zeroizing<String>>, KeyError> {
    if threshold < 2 || shares < threshold {
        return Err(KeyError::BadSplit(threshold, shares));
    }
    let bytes = Zeroizing::new(secret.0.to_bytes().to_vec());
    let key_id = secret.public().key_id();
    let dealer = sharks::Sharks(threshold).dealer(&bytes);
    Ok(dealer
        .take(usize::from(shares))
        .map(|share| {
            let raw = Zeroizing::new(Vec::from(&share));
            Zeroizing::new(format!(
                "{SHARE_PREFIX}{key_id}:{threshold}:{}",
                hex::encode(&*raw)
            ))
        })
        .collect())
}

/// Rebuilds the secret from at least its threshold of shares, and checks it is the key the
/// shares name.
pub fn combine(shares: &[&str]) -> Result<SecretKey, KeyError> {
    let mut key_id = None;
    let mut threshold = 0u8;
    let mut parts = Vec::new();
    for text in shares {
        let rest = text
            .trim()
            .strip_prefix(SHARE_PREFIX)
            .ok_or(KeyError::MalformedShare)?;
        let mut fields = rest.splitn(3, ':');
        let (Some(id), Some(t), Some(hex_share)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(KeyError::MalformedShare);
        };
        let t: u8 = t.parse().map_err(|_| KeyError::MalformedShare)?;
        if key_id.get_or_insert_with(|| id.to_owned()) != id || (threshold != 0 && threshold != t) {
            return Err(KeyError::MixedShares);
        }
        threshold = t;
        let raw = Zeroizing::new(hex::decode(hex_share).map_err(|_| KeyError::MalformedShare)?);
        parts.push(sharks::Share::try_from(raw.as_slice()).map_err(|_| KeyError::MalformedShare)?);
    }
    let key_id = key_id.ok_or(KeyError::TooFewShares {
        given: 0,
        needed: 2,
    })?;
    // The same share given twice counts once (and must not reach the interpolation twice).
    let mut seen = std::collections::HashSet::new();
    parts.retain(|p| seen.insert(Vec::from(p)[0]));
    if parts.len() < usize::from(threshold) {
        return Err(KeyError::TooFewShares {
            given: parts.len(),
            needed: threshold,
        });
    }
    let bytes = Zeroizing::new(
        sharks::Sharks(threshold)
            .recover(parts.iter())
            .map_err(|_| KeyError::WrongShares(key_id.clone()))?,
    );
    let secret = <X25519HkdfSha256 as Kem>::PrivateKey::from_bytes(&bytes)
        .map(SecretKey)
        .map_err(|_| KeyError::WrongShares(key_id.clone()))?;
    if secret.public().key_id() != key_id {
        return Err(KeyError::WrongShares(key_id));
    }
    Ok(secret)
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

    #[test]
    fn any_two_of_three_shares_rebuild_the_key_and_one_does_not() {
        let (sk, pk) = generate().unwrap();
        let shares = split(&sk, 2, 3).unwrap();
        let s: Vec<&str> = shares.iter().map(|z| z.as_str()).collect();
        for pair in [[s[0], s[1]], [s[1], s[2]], [s[2], s[0]]] {
            assert_eq!(combine(&pair).unwrap().public(), pk);
        }
        assert!(matches!(
            combine(&[s[0]]),
            Err(KeyError::TooFewShares {
                given: 1,
                needed: 2
            })
        ));
        assert!(matches!(
            combine(&[s[0], s[0]]),
            Err(KeyError::TooFewShares {
                given: 1,
                needed: 2
            })
        ));
        assert_eq!(
            combine(&[s[0], s[0], s[2]]).unwrap().public(),
            pk,
            "a repeated share is counted once"
        );
        // A share of another key, or a damaged one, is refused by name.
        let (other, _) = generate().unwrap();
        let foreign = split(&other, 2, 3).unwrap();
        assert!(matches!(
            combine(&[s[0], foreign[1].as_str()]),
            Err(KeyError::MixedShares)
        ));
        let mut damaged = s[1].to_owned();
        let last = damaged.pop().unwrap();
        damaged.push(if last == '0' { '1' } else { '0' });
        assert!(matches!(
            combine(&[s[0], &damaged]),
            Err(KeyError::WrongShares(_))
        ));
        assert!(matches!(split(&sk, 1, 3), Err(KeyError::BadSplit(1, 3))));
        assert!(matches!(split(&sk, 3, 2), Err(KeyError::BadSplit(3, 2))));
    }
}
