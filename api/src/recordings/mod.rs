//! Legal Mode recordings: their durable record (`store`), the parties' and admins' routes,
//! and the sealed bundle's download as a tar stream.

pub mod requests;
pub mod routes;
pub mod store;
mod tar;

pub use routes::router;

/// The files of a sealed bundle besides its segments (docs/proof-format.md; the recorder's
/// `proof` module writes them under the same names).
const BUNDLE_FILES: [&str; 4] = [
    "manifest.json",
    "manifest.sig",
    "signer.pub",
    "manifest.tsr",
];

/// Every sealed object of a recording: (path in the bundle's tar, object key).
pub fn bundle_objects(
    r: &store::RecordingRow,
    segments: &[store::SegmentRow],
) -> Vec<(String, String)> {
    let names = BUNDLE_FILES
        .iter()
        .map(|f| (*f).to_owned())
        .chain(segments.iter().map(|s| format!("segments/{}", s.file)));
    names
        .map(|n| {
            let sealed = format!("{n}.sealed");
            let key = format!("{}/{sealed}", r.prefix);
            (sealed, key)
        })
        .collect()
}
