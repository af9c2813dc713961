//! The spool and the S3 store against a real S3-compatible server (moto's
//! `moto_server` on loopback, installed by scripts/test.sh), including the
//! store going down for a while.

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use tribuna_recorder::store::{sha256_hex, S3Settings, Spool, Store, PART};

struct Moto(Child);

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

async fn moto(port: u16) -> Moto {
    let child = Command::new("moto_server")
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("moto_server is installed (pip install 'moto[server]')");
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    while tokio::net::TcpStream::connect(("127.0.0.1", port))
        .await
        .is_err()
    {
        assert!(
            tokio::time::Instant::now() < deadline,
            "moto_server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    Moto(child)
}

fn settings(port: u16) -> S3Settings {
    S3Settings {
        endpoint: Some(format!("http://127.0.0.1:{port}")),
        region: "us-east-1".into(),
        bucket: "tribuna-recordings".into(),
        access_key: "test".into(),
        secret_key: "test".into(),
    }
}

async fn create_bucket(port: u16) {
    let Store::S3 { client, bucket } = Store::s3(&settings(port)) else {
        unreachable!()
    };
    client
        .create_bucket()
        .bucket(bucket)
        .send()
        .await
        .expect("bucket created");
}

fn temp() -> std::path::PathBuf {
    let mut b = [0u8; 8];
    getrandom::fill(&mut b).unwrap();
    std::env::temp_dir().join(format!("tribuna-spool-{}", hex::encode(b)))
}

#[tokio::test]
async fn sealed_files_reach_s3_intact_and_wait_in_the_spool_while_it_is_down() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let server = moto(port).await;
    create_bucket(port).await;
    let spool = Spool::new(temp(), Store::s3(&settings(port)));

    let small: Vec<u8> = (0..100_000u32).flat_map(|i| i.to_le_bytes()).collect();
    assert!(spool
        .deposit("recordings/r1/segment-000001.sealed", &small)
        .await
        .unwrap());
    let large: Vec<u8> = (0..(2 * PART + 12_345)).map(|i| (i % 253) as u8).collect();
    assert!(
        spool
            .deposit("recordings/r1/segment-000002.sealed", &large)
            .await
            .unwrap(),
        "a multipart upload"
    );
    assert!(spool.pending().is_empty(), "uploaded files leave the spool");
    for (key, sent) in [
        ("recordings/r1/segment-000001.sealed", &small),
        ("recordings/r1/segment-000002.sealed", &large),
    ] {
        assert_eq!(
            sha256_hex(&spool.store().get(key).await.unwrap()),
            sha256_hex(sent),
            "{key}"
        );
    }

    // The store goes down: deposits still succeed, into the spool.
    drop(server);
    assert!(!spool
        .deposit(
            "recordings/r1/segment-000003.sealed",
            b"while the store was down"
        )
        .await
        .unwrap());
    assert!(!spool
        .deposit("recordings/r1/manifest.sealed", b"the manifest")
        .await
        .unwrap());
    assert_eq!(
        spool.pending(),
        [
            "recordings/r1/manifest.sealed",
            "recordings/r1/segment-000003.sealed"
        ]
    );
    assert_eq!(spool.drain().await.pending, 2, "still down");

    // It comes back (moto keeps nothing across restarts, so the bucket is made again).
    let _server = moto(port).await;
    create_bucket(port).await;
    let drained = spool.drain().await;
    assert_eq!((drained.uploaded, drained.pending), (2, 0));
    assert!(spool.pending().is_empty());
    assert_eq!(
        spool
            .store()
            .get("recordings/r1/segment-000003.sealed")
            .await
            .unwrap(),
        b"while the store was down"
    );
}

#[tokio::test]
async fn the_local_directory_store_is_the_zero_configuration_default() {
    let dir = temp();
    let spool = Spool::new(temp(), Store::Local(dir.clone()));
    assert!(spool
        .deposit("recordings/r2/segment-000001.sealed", b"sealed bytes")
        .await
        .unwrap());
    assert_eq!(
        std::fs::read(dir.join("recordings/r2/segment-000001.sealed")).unwrap(),
        b"sealed bytes"
    );
}
