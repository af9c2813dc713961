//! The sealed-file format: a recording key wrapped to each vault public key (HPKE:
//! X25519, HKDF-SHA256, ChaCha20-Poly1305), and the content encrypted under that key
//! with XChaCha20-Poly1305 in the STREAM construction (big-endian 32-bit counter),
//! 64 KiB per chunk. Every chunk authenticates the header, and STREAM marks the last
//! chunk, so any change, reordering or truncation is detected.
//!
//! ```text
//! "TRIBUNA-SEAL-1\n" | u32 BE header length | header (JSON) | chunk 0 | chunk 1 | … | last chunk
//! ```

use std::io::{Read, Write};

use aead_stream::{DecryptorBE32, EncryptorBE32};
use chacha20poly1305::aead::{KeyInit, Payload};
use chacha20poly1305::XChaCha20Poly1305;
use hpke::aead::ChaCha20Poly1305;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use hpke::{Deserializable, OpModeR, OpModeS, Serializable};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::vault::{PublicKey, SecretKey};

type StreamNonce =
    aead_stream::Nonce<XChaCha20Poly1305, aead_stream::StreamBE32<XChaCha20Poly1305>>;

const MAGIC: &[u8] = b"TRIBUNA-SEAL-1\n";
pub const CHUNK: usize = 64 * 1024;
const TAG: usize = 16;
const WRAP_INFO: &[u8] = b"tribuna vault key wrap v1";

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
    #[error("not a sealed file (bad magic or header)")]
    NotSealed,
    #[error("none of this file's recipients is the given key")]
    NotARecipient,
    #[error("the file was altered, reordered or truncated (authentication failed at chunk {0})")]
    Tampered(u64),
    #[error("sealing needs at least one vault public key")]
    NoRecipients,
    #[error("crypto: {0}")]
    Crypto(String),
}

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    v: u32,
    /// What was sealed (e.g. `recording/<id>/segment-000012.webm`); bound into the key wrap.
    label: String,
    chunk: usize,
    /// The STREAM nonce prefix (19 bytes), hex.
    nonce: String,
    recipients: Vec<Recipient>,
}

#[derive(Debug, Serialize, Deserialize)]
struct Recipient {
    key_id: String,
    /// HPKE encapsulated key, hex.
    enc: String,
    /// The wrapped content key, hex.
    wrapped: String,
}

fn random<const N: usize>() -> Result<Zeroizing<[u8; N]>, SealError> {
    let mut b = Zeroizing::new([0u8; N]);
    getrandom::fill(b.as_mut()).map_err(|e| SealError::Crypto(e.to_string()))?;
    Ok(b)
}

/// Seals everything read from `input` to `to` (vault public keys only: whoever seals
/// cannot open). The content key is random and erased when this returns.
/// Returns the number of plaintext bytes sealed.
pub fn seal(
    input: &mut impl Read,
    output: &mut impl Write,
    to: &[PublicKey],
    label: &str,
) -> Result<u64, SealError> {
    if to.is_empty() {
        return Err(SealError::NoRecipients);
    }
    let key = random::<32>()?;
    let nonce = random::<19>()?;
    let mut recipients = Vec::with_capacity(to.len());
    for pk in to {
        let (enc, wrapped) =
            hpke::single_shot_seal::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
                &OpModeS::Base,
                &pk.0,
                WRAP_INFO,
                key.as_ref(),
                label.as_bytes(),
            )
            .map_err(|e| SealError::Crypto(e.to_string()))?;
        recipients.push(Recipient {
            key_id: pk.key_id(),
            enc: hex::encode(enc.to_bytes()),
            wrapped: hex::encode(wrapped),
        });
    }
    let header = serde_json::to_vec(&Header {
        v: 1,
        label: label.to_owned(),
        chunk: CHUNK,
        nonce: hex::encode(nonce.as_ref()),
        recipients,
    })
    .map_err(|e| SealError::Crypto(e.to_string()))?;
    output.write_all(MAGIC)?;
    output.write_all(&(header.len() as u32).to_be_bytes())?;
    output.write_all(&header)?;
    let cipher = XChaCha20Poly1305::new_from_slice(key.as_ref())
        .map_err(|e| SealError::Crypto(e.to_string()))?;
    let stream_nonce: StreamNonce = (*nonce).into();
    let mut stream = EncryptorBE32::from_aead(cipher, &stream_nonce);
    let mut total = 0u64;
    let mut current = fill(input, CHUNK)?;
    loop {
        let next = fill(input, CHUNK)?;
        total += current.len() as u64;
        if next.is_empty() {
            let sealed = stream
                .encrypt_last(Payload {
                    msg: &current,
                    aad: &header,
                })
                .map_err(|_| SealError::Crypto("encrypt".into()))?;
            output.write_all(&sealed)?;
            break;
        }
        let sealed = stream
            .encrypt_next(Payload {
                msg: &current,
                aad: &header,
            })
            .map_err(|_| SealError::Crypto("encrypt".into()))?;
        output.write_all(&sealed)?;
        current = next;
    }
    output.flush()?;
    Ok(total)
}

/// Reads up to `n` bytes (fewer only at the end).
fn fill(input: &mut impl Read, n: usize) -> Result<Vec<u8>, SealError> {
    let mut buf = Vec::with_capacity(n);
    input.take(n as u64).read_to_end(&mut buf)?;
    Ok(buf)
}

/// Opens a sealed file with a vault secret key, writing the plaintext to `output`
/// and reporting progress (bytes so far). Nothing unauthenticated is ever written:
/// each chunk is checked before it is written.
pub fn open(
    input: &mut impl Read,
    output: &mut impl Write,
    key: &SecretKey,
    mut progress: impl FnMut(u64),
) -> Result<u64, SealError> {
    let mut magic = [0u8; MAGIC.len()];
    input
        .read_exact(&mut magic)
        .map_err(|_| SealError::NotSealed)?;
    if magic != MAGIC {
        return Err(SealError::NotSealed);
    }
    let mut len = [0u8; 4];
    input
        .read_exact(&mut len)
        .map_err(|_| SealError::NotSealed)?;
    let len = u32::from_be_bytes(len) as usize;
    if len > 1 << 20 {
        return Err(SealError::NotSealed);
    }
    let mut header_bytes = vec![0u8; len];
    input
        .read_exact(&mut header_bytes)
        .map_err(|_| SealError::NotSealed)?;
    let header: Header = serde_json::from_slice(&header_bytes).map_err(|_| SealError::NotSealed)?;
    let nonce = hex::decode(&header.nonce).map_err(|_| SealError::NotSealed)?;
    if header.v != 1 || header.chunk != CHUNK || nonce.len() != 19 {
        return Err(SealError::NotSealed);
    }
    let me = key.public().key_id();
    let recipient = header
        .recipients
        .iter()
        .find(|r| r.key_id == me)
        .ok_or(SealError::NotARecipient)?;
    let enc_bytes = hex::decode(&recipient.enc).map_err(|_| SealError::NotSealed)?;
    let enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&enc_bytes)
        .map_err(|_| SealError::NotSealed)?;
    let wrapped = hex::decode(&recipient.wrapped).map_err(|_| SealError::NotSealed)?;
    let content_key = Zeroizing::new(
        hpke::single_shot_open::<ChaCha20Poly1305, HkdfSha256, X25519HkdfSha256>(
            &OpModeR::Base,
            &key.0,
            &enc,
            WRAP_INFO,
            &wrapped,
            header.label.as_bytes(),
        )
        .map_err(|_| SealError::Tampered(0))?,
    );
    let cipher =
        XChaCha20Poly1305::new_from_slice(&content_key).map_err(|_| SealError::Tampered(0))?;
    let nonce: [u8; 19] = nonce
        .as_slice()
        .try_into()
        .map_err(|_| SealError::NotSealed)?;
    let stream_nonce: StreamNonce = nonce.into();
    let mut stream = DecryptorBE32::from_aead(cipher, &stream_nonce);
    let mut total = 0u64;
    let mut index = 0u64;
    let mut current = fill(input, CHUNK + TAG)?;
    loop {
        let next = fill(input, CHUNK + TAG)?;
        if next.is_empty() {
            let plain = stream
                .decrypt_last(Payload {
                    msg: &current,
                    aad: &header_bytes,
                })
                .map_err(|_| SealError::Tampered(index))?;
            output.write_all(&plain)?;
            total += plain.len() as u64;
            progress(total);
            break;
        }
        let plain = stream
            .decrypt_next(Payload {
                msg: &current,
                aad: &header_bytes,
            })
            .map_err(|_| SealError::Tampered(index))?;
        output.write_all(&plain)?;
        total += plain.len() as u64;
        progress(total);
        current = next;
        index += 1;
    }
    output.flush()?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vault::generate;

    fn sealed(data: &[u8], to: &[PublicKey]) -> Vec<u8> {
        let mut out = Vec::new();
        seal(
            &mut &data[..],
            &mut out,
            to,
            "recording/r1/segment-000001.webm",
        )
        .unwrap();
        out
    }

    fn opened(sealed: &[u8], key: &SecretKey) -> Result<Vec<u8>, SealError> {
        let mut out = Vec::new();
        open(&mut &sealed[..], &mut out, key, |_| {})?;
        Ok(out)
    }

    #[test]
    fn sealed_content_opens_with_any_recipient_key_at_every_size() {
        let (a_sk, a_pk) = generate().unwrap();
        let (b_sk, b_pk) = generate().unwrap();
        for size in [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 3 * CHUNK + 17] {
            let data: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            let s = sealed(&data, &[a_pk.clone(), b_pk.clone()]);
            assert_eq!(opened(&s, &a_sk).unwrap(), data, "size {size}");
            assert_eq!(opened(&s, &b_sk).unwrap(), data, "size {size}");
            assert!(
                !s.windows(16)
                    .any(|w| size >= 16 && data.windows(16).take(4).any(|d| d == w)),
                "no plaintext in the sealed file"
            );
        }
    }

    #[test]
    fn a_key_that_is_not_a_recipient_opens_nothing() {
        let (_, pk) = generate().unwrap();
        let (stranger, _) = generate().unwrap();
        let s = sealed(b"privileged conversation", &[pk]);
        assert!(matches!(
            opened(&s, &stranger),
            Err(SealError::NotARecipient)
        ));
    }

    #[test]
    fn any_flipped_byte_truncation_or_reordering_is_detected() {
        let (sk, pk) = generate().unwrap();
        let data: Vec<u8> = (0..(2 * CHUNK + 100)).map(|i| i as u8).collect();
        let s = sealed(&data, &[pk]);
        let header_end = MAGIC.len()
            + 4
            + u32::from_be_bytes(s[MAGIC.len()..MAGIC.len() + 4].try_into().unwrap()) as usize;
        for at in [
            header_end - 3,
            header_end + 5,
            header_end + CHUNK + TAG + 1,
            s.len() - 1,
        ] {
            let mut bad = s.clone();
            bad[at] ^= 0x01;
            assert!(opened(&bad, &sk).is_err(), "flip at {at}");
        }
        assert!(
            matches!(
                opened(&s[..s.len() - (100 + TAG)], &sk),
                Err(SealError::Tampered(_))
            ),
            "last chunk dropped"
        );
        let mut swapped = s[..header_end].to_vec();
        swapped.extend_from_slice(&s[header_end + CHUNK + TAG..header_end + 2 * (CHUNK + TAG)]);
        swapped.extend_from_slice(&s[header_end..header_end + CHUNK + TAG]);
        swapped.extend_from_slice(&s[header_end + 2 * (CHUNK + TAG)..]);
        assert!(
            matches!(opened(&swapped, &sk), Err(SealError::Tampered(0))),
            "chunks reordered"
        );
    }

    #[test]
    fn sealing_needs_a_vault_key() {
        assert!(matches!(
            seal(&mut &b"x"[..], &mut Vec::new(), &[], "l"),
            Err(SealError::NoRecipients)
        ));
    }
}
