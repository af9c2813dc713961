//! A tar archive streamed file by file (POSIX ustar headers from the `tar` crate), so a large
//! bundle is never held in memory whole.

use std::future::Future;

use bytes::Bytes;
use futures::stream::{self, Stream, StreamExt};

/// Streams `files` (name in the archive, key to fetch) as a tar archive; `fetch` reads one.
/// A file that cannot be read ends the stream with an error (the archive is then visibly
/// truncated: it has no end-of-archive blocks).
pub fn stream<F, Fut>(
    files: Vec<(String, String)>,
    fetch: F,
) -> impl Stream<Item = Result<Bytes, std::io::Error>>
where
    F: Fn(String) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<Vec<u8>>> + Send,
{
    let entries = stream::iter(files).then(move |(name, key)| {
        let read = fetch(key.clone());
        async move {
            let bytes = read.await.map_err(|e| {
                tracing::error!(error = ?e, key, "bundle file unreadable");
                std::io::Error::other(format!("{name} could not be read"))
            })?;
            entry(&name, bytes)
        }
    });
    entries.chain(stream::once(async { Ok(Bytes::from(vec![0u8; 1024])) }))
}

/// One archive member: header, content, padding to 512 bytes.
fn entry(name: &str, content: Vec<u8>) -> Result<Bytes, std::io::Error> {
    let mut header = tar::Header::new_ustar();
    header.set_path(name)?;
    header.set_size(content.len() as u64);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_entry_type(tar::EntryType::Regular);
    header.set_cksum();
    let pad = (512 - content.len() % 512) % 512;
    let mut out = Vec::with_capacity(512 + content.len() + pad);
    out.extend_from_slice(header.as_bytes());
    out.extend_from_slice(&content);
    out.resize(out.len() + pad, 0);
    Ok(Bytes::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_stream_is_a_tar_archive_the_tar_crate_reads_back() {
        let files = vec![
            ("manifest.json.sealed".to_owned(), "a".to_owned()),
            (
                "segments/000000-x-00000.webm.sealed".to_owned(),
                "b".to_owned(),
            ),
        ];
        let chunks: Vec<Bytes> = stream(files, |key| async move {
            Ok(key.repeat(if key == "a" { 3 } else { 700 }).into_bytes())
        })
        .map(|c| c.unwrap())
        .collect()
        .await;
        let all: Vec<u8> = chunks.concat();
        let mut archive = tar::Archive::new(all.as_slice());
        let mut read = Vec::new();
        for e in archive.entries().unwrap() {
            let mut e = e.unwrap();
            let mut s = String::new();
            std::io::Read::read_to_string(&mut e, &mut s).unwrap();
            read.push((e.path().unwrap().to_string_lossy().into_owned(), s.len()));
        }
        assert_eq!(
            read,
            vec![
                ("manifest.json.sealed".to_owned(), 3),
                ("segments/000000-x-00000.webm.sealed".to_owned(), 700)
            ]
        );
    }

    #[tokio::test]
    async fn an_unreadable_file_ends_the_stream_with_an_error() {
        let files = vec![("a".to_owned(), "missing".to_owned())];
        let items: Vec<_> = stream(files, |_| async { Err(anyhow::anyhow!("gone")) })
            .collect()
            .await;
        assert!(items[0].is_err());
    }
}
