//! **A local timestamp authority for tests and development — not an accredited TSA.**
//! `openssl ts` can answer RFC 3161 requests but has no server of its own; this makes
//! a test CA and a TSA certificate (P-256, extended key usage timeStamping) and
//! answers `POST /` with `openssl ts -reply`. In production the manifest is stamped by
//! a real authority (e.g. an ICP-Brasil ACT) at `legal.tsa_url`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::post;
use axum::Router;

use crate::timestamp::{Scratch, TimestampError};

#[derive(Clone)]
pub struct LocalTsa {
    dir: PathBuf,
}

const CONFIG: &str = "[ tsa ]\ndefault_tsa = tsa_config\n[ tsa_config ]\nserial = SERIAL\ncrypto_device = builtin\nsigner_cert = DIR/tsa.pem\ncerts = DIR/tsa.pem\nsigner_key = DIR/tsa.key\nsigner_digest = sha256\ndefault_policy = 1.3.6.1.4.1.99999.1\ndigests = sha256, sha384, sha512\naccuracy = secs:1\nordering = yes\ntsa_name = yes\ness_cert_id_chain = no\ness_cert_id_alg = sha256\n";

fn run(dir: &Path, args: &[&str]) -> Result<(), TimestampError> {
    let out = std::process::Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .map_err(|e| TimestampError::Openssl(e.to_string()))?;
    if !out.status.success() {
        return Err(TimestampError::Openssl(
            String::from_utf8_lossy(&out.stderr).into_owned(),
        ));
    }
    Ok(())
}

impl LocalTsa {
    /// Creates (or reuses) the CA and TSA certificates in `dir`. Safe when several
    /// processes or tests create the same one: it is made aside and renamed into place.
    pub fn create(dir: &Path) -> Result<LocalTsa, TimestampError> {
        if dir.join("tsa.cnf").exists() {
            return Ok(LocalTsa {
                dir: dir.to_owned(),
            });
        }
        let parent = dir.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent)?;
        let mut b = [0u8; 8];
        getrandom::fill(&mut b).map_err(|e| TimestampError::Openssl(e.to_string()))?;
        let work = parent.join(format!(".tsa-{}", hex::encode(b)));
        std::fs::create_dir(&work)?;
        let made = Self::generate(&work, dir);
        if made.is_err() || std::fs::rename(&work, dir).is_err() {
            let _ = std::fs::remove_dir_all(&work);
            made?;
            if !dir.join("tsa.cnf").exists() {
                return Err(TimestampError::Openssl(format!(
                    "could not create {}",
                    dir.display()
                )));
            }
        }
        Ok(LocalTsa {
            dir: dir.to_owned(),
        })
    }

    /// Makes the keys, certificates and configuration in `work`, naming `final_dir` in the configuration.
    fn generate(work: &Path, final_dir: &Path) -> Result<(), TimestampError> {
        let ec = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
        ];
        run(
            work,
            &[
                &["req", "-x509"][..],
                &ec,
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "3650",
                    "-subj",
                    "/CN=Tribuna local TSA root (not accredited)",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            ]
            .concat(),
        )?;
        run(
            work,
            &[
                &["req"][..],
                &ec,
                &[
                    "-keyout",
                    "tsa.key",
                    "-out",
                    "tsa.csr",
                    "-subj",
                    "/CN=Tribuna local TSA (not accredited)",
                ],
            ]
            .concat(),
        )?;
        std::fs::write(work.join("ext.cnf"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n")?;
        run(
            work,
            &[
                "x509",
                "-req",
                "-in",
                "tsa.csr",
                "-CA",
                "ca.pem",
                "-CAkey",
                "ca.key",
                "-CAcreateserial",
                "-out",
                "tsa.pem",
                "-days",
                "3650",
                "-extfile",
                "ext.cnf",
            ],
        )?;
        std::fs::write(work.join("serial"), "01\n")?;
        let d = final_dir.to_str().expect("UTF-8 path");
        std::fs::write(
            work.join("tsa.cnf"),
            CONFIG
                .replace("SERIAL", &format!("{d}/serial"))
                .replace("DIR", d),
        )?;
        Ok(())
    }

    /// The root certificate a verifier must trust for this authority's tokens.
    pub fn root(&self) -> PathBuf {
        self.dir.join("ca.pem")
    }

    /// Answers one RFC 3161 request (DER) with a response (DER). One at a time:
    /// `openssl ts -reply` reads and rewrites its serial-number file without locking.
    pub fn reply(&self, query: &[u8]) -> Result<Vec<u8>, TimestampError> {
        static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());
        let _turn = ONE_AT_A_TIME
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let scratch = Scratch::new()?;
        let (q, r) = (scratch.path().join("q.tsq"), scratch.path().join("r.tsr"));
        std::fs::write(&q, query)?;
        let config = self.dir.join("tsa.cnf");
        run(
            &self.dir,
            &[
                "ts",
                "-reply",
                "-queryfile",
                q.to_str().expect("UTF-8"),
                "-config",
                config.to_str().expect("UTF-8"),
                "-out",
                r.to_str().expect("UTF-8"),
            ],
        )?;
        Ok(std::fs::read(r)?)
    }

    /// `POST /` with `application/timestamp-query` → `application/timestamp-reply`.
    pub fn router(self) -> Router {
        Router::new()
            .route("/", post(answer))
            .with_state(Arc::new(self))
    }
}

async fn answer(State(tsa): State<Arc<LocalTsa>>, body: Bytes) -> impl IntoResponse {
    let tsa = tsa.clone();
    match tokio::task::spawn_blocking(move || tsa.reply(&body)).await {
        Ok(Ok(reply)) => (
            [(header::CONTENT_TYPE, "application/timestamp-reply")],
            reply,
        )
            .into_response(),
        Ok(Err(e)) => (StatusCode::BAD_REQUEST, e.to_string()).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
