//! `tribuna vault`: runs where the vault's secret key is (an admin's machine), or
//! seals with public keys only. Needs no server, database or network.

use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context};
use tribuna_recorder::seal;
use tribuna_recorder::vault::{self, PublicKey, SecretKey};

pub enum Action {
    Keygen {
        out: PathBuf,
        /// (shares, threshold) for dual control.
        split: Option<(u8, u8)>,
    },
    Seal {
        to: Vec<PathBuf>,
        input: PathBuf,
        output: PathBuf,
    },
    Open {
        key: Vec<PathBuf>,
        input: PathBuf,
        output: PathBuf,
    },
}

pub fn run(action: Action) -> anyhow::Result<ExitCode> {
    match action {
        Action::Keygen { out, split } => keygen(&out, split),
        Action::Seal { to, input, output } => {
            let keys = to
                .iter()
                .map(|p| {
                    let text = std::fs::read_to_string(p)
                        .with_context(|| format!("reading {}", p.display()))?;
                    PublicKey::decode(&text).with_context(|| p.display().to_string())
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let label = input
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut src = BufReader::new(
                File::open(&input).with_context(|| format!("opening {}", input.display()))?,
            );
            let n = write_new(&output, |dst| Ok(seal::seal(&mut src, dst, &keys, &label)?))?;
            println!(
                "sealed {n} bytes to {} key(s): {}",
                keys.len(),
                output.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Action::Open { key, input, output } => {
            let secret = secret_key(&key)?;
            if input.is_dir() || input.extension().is_some_and(|e| e == "tar") {
                return open_bundle(&secret, &input, &output);
            }
            let total = std::fs::metadata(&input)
                .with_context(|| input.display().to_string())?
                .len();
            let mut src = BufReader::new(File::open(&input)?);
            let mut shown = 0u64;
            let n = write_new(&output, |dst| {
                seal::open(&mut src, dst, &secret, |done| {
                    // Progress for large bundles, about every 8 MiB.
                    if done >= shown + (8 << 20) {
                        shown = done;
                        eprintln!("… {} of ~{} MiB", done >> 20, total >> 20);
                    }
                })
                .with_context(|| input.display().to_string())
            })?;
            println!("opened {n} bytes: {}", output.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// The secret key from its file, or rebuilt from share files (dual control).
fn secret_key(files: &[PathBuf]) -> anyhow::Result<SecretKey> {
    let texts = files
        .iter()
        .map(|f| {
            std::fs::read_to_string(f)
                .map(zeroize::Zeroizing::new)
                .with_context(|| format!("reading {}", f.display()))
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    match texts.as_slice() {
        [one] if !one.trim().starts_with("tribuna-vault-share-") => {
            SecretKey::decode(one).with_context(|| files[0].display().to_string())
        }
        _ => {
            let shares: Vec<&str> = texts.iter().map(|t| t.as_str()).collect();
            let secret =
                vault::combine(&shares).context("rebuilding the vault key from its shares")?;
            eprintln!(
                "vault key {} rebuilt from {} shares",
                secret.public().key_id(),
                shares.len()
            );
            Ok(secret)
        }
    }
}

/// Opens every sealed file of a bundle (a tar archive or a directory) into `out`, keeping
/// the paths without `.sealed`. `out` must not exist yet; it is assembled aside and put in
/// place only when every file opened, so a bundle that fails to open leaves nothing.
fn open_bundle(secret: &SecretKey, input: &Path, out: &Path) -> anyhow::Result<ExitCode> {
    if out.exists() {
        bail!("{} already exists: choose another output", out.display());
    }
    let partial = out.with_extension("partial");
    std::fs::create_dir(&partial)
        .with_context(|| format!("creating {} (it must not exist yet)", partial.display()))?;
    let opened = open_members(secret, input, &partial).and_then(|n| {
        std::fs::rename(&partial, out)
            .with_context(|| format!("moving the opened bundle to {}", out.display()))?;
        Ok(n)
    });
    if opened.is_err() {
        let _ = std::fs::remove_dir_all(&partial);
    }
    let (files, bytes) = opened?;
    println!(
        "opened {files} files ({bytes} bytes) into {}; check it with `tribuna verify {} --tsa-root ROOT.pem`",
        out.display(),
        out.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// The sealed members of a bundle, opened one by one with a progress line each.
fn open_members(secret: &SecretKey, input: &Path, out: &Path) -> anyhow::Result<(usize, u64)> {
    let mut members: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    if input.is_dir() {
        let mut stack = vec![input.to_owned()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d)? {
                let p = e?.path();
                // Links are not followed (a bundle is plain files; a link loop never ends).
                let kind = std::fs::symlink_metadata(&p)?.file_type();
                if kind.is_symlink() {
                    continue;
                }
                if kind.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "sealed") {
                    let rel = p.strip_prefix(input)?.to_owned();
                    members.push((rel, std::fs::read(&p)?));
                }
            }
        }
    } else {
        let file = File::open(input).with_context(|| input.display().to_string())?;
        let mut archive = tar::Archive::new(BufReader::new(file));
        for entry in archive.entries()? {
            let mut entry = entry?;
            let rel = entry.path()?.into_owned();
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut bytes)?;
            members.push((rel, bytes));
        }
    }
    members.sort_by(|a, b| a.0.cmp(&b.0));
    if members.is_empty() {
        bail!("{} holds no sealed files", input.display());
    }
    let (n, mut total) = (members.len(), 0u64);
    for (i, (rel, sealed)) in members.into_iter().enumerate() {
        let name = rel.to_string_lossy();
        let plain = name
            .strip_suffix(".sealed")
            .with_context(|| format!("{name} is not a sealed file"))?;
        if rel.is_absolute()
            || rel
                .components()
                .any(|c| matches!(c, std::path::Component::ParentDir))
        {
            bail!("{name}: a bundle's paths stay inside it");
        }
        let target = out.join(plain);
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let mut dst = BufWriter::new(create_new(&target)?);
        let bytes = seal::open(&mut sealed.as_slice(), &mut dst, secret, |_| {})
            .with_context(|| name.to_string())?;
        dst.flush()?;
        total += bytes;
        eprintln!("[{}/{n}] {plain} ({bytes} bytes)", i + 1);
    }
    Ok((n, total))
}

/// Writes `output` through `write`, into `output.partial` first: it is put in place only once
/// `write` succeeded and the bytes are on disk, and never over an existing file (the input
/// included). On any failure nothing half-written is left behind.
fn write_new<T>(
    output: &Path,
    write: impl FnOnce(&mut BufWriter<File>) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    if output.exists() {
        bail!("{} already exists: choose another output", output.display());
    }
    let partial = output.with_extension("partial");
    let mut dst = BufWriter::new(create_new(&partial)?);
    let placed = write(&mut dst).and_then(|value| {
        let file = dst.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        // A link, unlike a rename, fails rather than replace a file that appeared meanwhile.
        std::fs::hard_link(&partial, output)
            .with_context(|| format!("{} already exists", output.display()))?;
        Ok(value)
    });
    let _ = std::fs::remove_file(&partial);
    placed
}

fn create_new(path: &Path) -> anyhow::Result<File> {
    File::options()
        .write(true)
        .create_new(true)
        .open(path)
        .with_context(|| format!("creating {} (it must not exist yet)", path.display()))
}

/// A new file, readable by its owner only.
fn create_private(path: &Path) -> anyhow::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    File::options()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("creating {} (it must not exist yet)", path.display()))
}

fn keygen(out: &Path, split: Option<(u8, u8)>) -> anyhow::Result<ExitCode> {
    let (secret, public) = vault::generate()?;
    let pk_path = out.join("vault.pub");
    let Some((shares, threshold)) = split else {
        let sk_path = out.join("vault.key");
        create_private(&sk_path)?.write_all(secret.encode().as_bytes())?;
        create_new(&pk_path)?.write_all(format!("{}\n", public.encode()).as_bytes())?;
        println!(
            "vault key {}: secret in {} (keep it offline), public in {}",
            public.key_id(),
            sk_path.display(),
            pk_path.display()
        );
        return Ok(ExitCode::SUCCESS);
    };
    let parts = vault::split(&secret, threshold, shares)?;
    for (i, part) in parts.iter().enumerate() {
        create_private(&out.join(format!("share-{}.key", i + 1)))?.write_all(part.as_bytes())?;
    }
    create_new(&pk_path)?.write_all(format!("{}\n", public.encode()).as_bytes())?;
    println!(
        "vault key {}: {shares} shares in {}/share-1.key … share-{shares}.key, any {threshold} of which open a recording (give each to a different admin; the whole secret was never written); public in {}",
        public.key_id(),
        out.display(),
        pk_path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `tribuna verify`: a report in Portuguese and English; exit 1 names the first problem.
pub fn verify(bundle: &Path, signer: Option<&str>, tsa_root: Option<&Path>) -> ExitCode {
    match tribuna_recorder::proof::verify(bundle, signer, tsa_root) {
        Ok(r) => {
            println!("VÁLIDO / VALID: {}", bundle.display());
            println!("  sessão / session: {}", r.session_id);
            println!(
                "  segmentos / segments: {} ({} bytes), lacunas / gaps: {}",
                r.segments, r.bytes, r.gaps
            );
            println!(
                "  assinatura Ed25519 / signature: ok (chave / key {})",
                r.signer
            );
            println!("  encadeamento / chain head: {}", r.head);
            println!("  carimbo de tempo RFC 3161 / timestamp: {} (verificado contra a raiz dada / checked against the given root)", r.timestamp);
            ExitCode::SUCCESS
        }
        Err(problem) => {
            println!("INVÁLIDO / INVALID: {}", bundle.display());
            println!("  {problem}");
            ExitCode::FAILURE
        }
    }
}
