//! RFC 3161 timestamps of the manifest, through `openssl ts` (Debian's openssl):
//! the request is made with `openssl ts -query`, sent over HTTP to the configured
//! timestamp authority (in production an ICP-Brasil accredited ACT), and the token
//! is checked with `openssl ts -verify` — signature, message imprint, the TSA
//! certificate's timestamping purpose and its chain to the root the verifier trusts.

use std::path::Path;
use std::process::Command;

#[derive(Debug, thiserror::Error)]
pub enum TimestampError {
    #[error("openssl: {0}")]
    Openssl(String),
    #[error("the timestamp authority at {url} answered {status}")]
    Authority { url: String, status: String },
    #[error("the timestamp token does not verify: {0}")]
    Invalid(String),
    #[error("i/o: {0}")]
    Io(#[from] std::io::Error),
}

fn openssl(args: &[&str]) -> Result<std::process::Output, TimestampError> {
    Command::new("openssl")
        .args(args)
        .output()
        .map_err(|e| TimestampError::Openssl(format!("cannot run openssl: {e}")))
}

fn scratch() -> Result<tempdir::Dir, TimestampError> {
    tempdir::Dir::new().map_err(TimestampError::Io)
}

/// An RFC 3161 request (DER) for the SHA-256 of `data`, with a nonce, asking for the TSA's certificate.
pub fn request(data: &[u8]) -> Result<Vec<u8>, TimestampError> {
    let dir = scratch()?;
    let (data_path, query_path) = (dir.path().join("data"), dir.path().join("query.tsq"));
    std::fs::write(&data_path, data)?;
    let out = openssl(&[
        "ts",
        "-query",
        "-data",
        path(&data_path)?,
        "-sha256",
        "-cert",
        "-out",
        path(&query_path)?,
    ])?;
    if !out.status.success() {
        return Err(TimestampError::Openssl(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    Ok(std::fs::read(&query_path)?)
}

/// Asks the authority at `url` to timestamp the SHA-256 of `data`; returns the response (DER).
pub async fn stamp(url: &str, data: &[u8]) -> Result<Vec<u8>, TimestampError> {
    let query = request(data)?;
    let res = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/timestamp-query")
        .body(query)
        .send()
        .await
        .map_err(|e| TimestampError::Authority {
            url: url.to_owned(),
            status: e.to_string(),
        })?;
    if !res.status().is_success() {
        return Err(TimestampError::Authority {
            url: url.to_owned(),
            status: res.status().to_string(),
        });
    }
    let body = res.bytes().await.map_err(|e| TimestampError::Authority {
        url: url.to_owned(),
        status: e.to_string(),
    })?;
    Ok(body.to_vec())
}

/// openssl takes paths as text: one that is not UTF-8 is refused with its name.
fn path(p: &Path) -> Result<&str, TimestampError> {
    p.to_str()
        .ok_or_else(|| TimestampError::Invalid(format!("not a UTF-8 path: {}", p.display())))
}

/// Checks that `token` (a TimeStampResp, DER, at `token_path`) timestamps the file at
/// `data_path` and chains to `root_pem`; returns the authority's time, as it prints it.
pub fn verify(
    data_path: &Path,
    token_path: &Path,
    root_pem: &Path,
) -> Result<String, TimestampError> {
    let out = openssl(&[
        "ts",
        "-verify",
        "-data",
        path(data_path)?,
        "-in",
        path(token_path)?,
        "-CAfile",
        path(root_pem)?,
    ])?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if !out.status.success() || !text.contains("Verification: OK") {
        let reason = text
            .lines()
            .find(|l| l.contains("error"))
            .unwrap_or("verification failed")
            .to_owned();
        return Err(TimestampError::Invalid(reason));
    }
    let info = openssl(&["ts", "-reply", "-in", path(token_path)?, "-text"])?;
    let info = String::from_utf8_lossy(&info.stdout);
    Ok(info
        .lines()
        .find_map(|l| l.strip_prefix("Time stamp: "))
        .unwrap_or("?")
        .trim()
        .to_owned())
}

/// A private temporary directory, removed on drop.
mod tempdir {
    use std::path::{Path, PathBuf};

    pub struct Dir(PathBuf);

    impl Dir {
        pub fn new() -> std::io::Result<Dir> {
            let mut b = [0u8; 12];
            getrandom::fill(&mut b).map_err(|e| std::io::Error::other(e.to_string()))?;
            let p = std::env::temp_dir().join(format!("tribuna-ts-{}", hex::encode(b)));
            std::fs::create_dir(&p)?;
            Ok(Dir(p))
        }
        pub fn path(&self) -> &Path {
            &self.0
        }
    }

    impl Drop for Dir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

pub(crate) use tempdir::Dir as Scratch;
