//! The browser app: built with npm on first start, served as static files.

use std::path::Path;
use std::process::Command;

use anyhow::{bail, Context};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse};
use axum::routing::{get_service, MethodRouter};
use tower_http::services::{ServeDir, ServeFile};

/// Builds `dir/dist` with `npm ci && npm run build` when it is missing.
pub fn ensure_built(dir: &Path) -> anyhow::Result<()> {
    if dir.join("dist/index.html").exists() || !dir.join("package.json").exists() {
        return Ok(());
    }
    if Command::new("npm").arg("--version").output().is_err() {
        bail!("the web client is not built and npm is missing: install Node.js and npm, or set TRIBUNA_WEB_BUILD=false");
    }
    if !dir.join("node_modules").exists() {
        tracing::info!(dir = %dir.display(), "installing the web client's packages (npm ci)");
        npm(dir, &["ci", "--no-audit", "--no-fund"])?;
    }
    tracing::info!(dir = %dir.display(), "building the web client (npm run build)");
    npm(dir, &["run", "build"])
}

fn npm(dir: &Path, args: &[&str]) -> anyhow::Result<()> {
    let status = Command::new("npm")
        .args(args)
        .current_dir(dir)
        .status()
        .with_context(|| format!("running npm {}", args.join(" ")))?;
    if !status.success() {
        bail!(
            "npm {} failed in {} (see its output above)",
            args.join(" "),
            dir.display()
        );
    }
    Ok(())
}

/// Static files with the single-page app's `index.html` for every other path.
pub fn service(dir: &Path) -> MethodRouter {
    let dist = dir.join("dist");
    if dist.join("index.html").exists() {
        get_service(ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html"))))
    } else {
        axum::routing::get(|| async {
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Html("<!doctype html><meta charset=utf-8><title>Tribuna</title><p>O cliente web não foi construído. / The web client has not been built: run <code>npm ci &amp;&amp; npm run build</code> in <code>web-client/</code>.</p><p><a href=\"/api/docs\">API</a></p>"),
            )
                .into_response()
        })
    }
}
