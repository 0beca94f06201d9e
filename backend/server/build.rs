//! Embeds into the binary what it must carry to run anywhere:
//!
//! - the demo dispatches (`demo/dispatches/*.json`), so `frontline demo`
//!   works from any directory;
//! - the front end's files (`frontend/js`, `frontend/css` and the
//!   distribution files of the npm packages the pages load, listed in
//!   `src/frontend/sources.rs`), with a content hash per file (its ETag)
//!   and one over them all (the `<version>` in `/assets/<version>/…`).
//!   The npm packages come from `frontend/node_modules`: without them the
//!   build stops and says to run `npm ci` in `frontend/`.

use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

include!("src/frontend/sources.rs");

fn main() {
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into()));
    // Read when the script runs, not baked in when it was compiled: a
    // target/ reused from another checkout must not read that checkout.
    let manifest = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let manifest = manifest.as_path();
    // The front end first: its check for `npm ci` prints nothing before
    // its message.
    frontend_files(manifest, &out_dir);
    demo_dispatches(manifest, &out_dir);
}

fn demo_dispatches(manifest: &Path, out_dir: &Path) {
    let dir = manifest.join("demo").join("dispatches");
    println!("cargo:rerun-if-changed={}", dir.display());
    // A missing folder would build a binary whose demo is silently empty.
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    assert!(!files.is_empty(), "no demo dispatch in {}", dir.display());
    let mut out = String::from(
        "/// Demo dispatches: (file name, contents).\npub const DISPATCHES: &[(&str, &str)] = &[\n",
    );
    for p in &files {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        );
    }
    out.push_str("];\n");
    std::fs::write(out_dir.join("demo_dispatches.rs"), out)
        .unwrap_or_else(|e| panic!("writing demo_dispatches.rs: {e}"));
}

/// Stop the build with a message (and nothing else on stdout before it).
fn fail(message: String) -> ! {
    eprintln!("\nerror: {message}\n");
    std::process::exit(1);
}

/// Every file below `dir` (dotfiles excepted), with its path relative to
/// `dir` joined by `/`, sorted.
fn files_below(dir: &Path, rel: &str, out: &mut Vec<(String, PathBuf)>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| fail(format!("reading {}: {e}", dir.display())))
        .filter_map(|e| e.ok())
        .collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') {
            continue;
        }
        let path = e.path();
        let url = format!("{rel}/{name}");
        if path.is_dir() {
            files_below(&path, &url, out);
        } else {
            out.push((url, path));
        }
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

fn frontend_files(manifest: &Path, out_dir: &Path) {
    let frontend = manifest.join("../../frontend");
    let frontend = frontend
        .canonicalize()
        .unwrap_or_else(|e| fail(format!("{}: {e}", frontend.display())));
    // Check first: a failed build script is run again by the next build.
    for (_, src) in SOURCES {
        let path = frontend.join(src);
        if !path.exists() {
            let hint = if src.starts_with("node_modules/") {
                format!(
                    "the map's npm packages are not installed: run `npm ci` in {} \
                     (the binary embeds Leaflet, leaflet.markercluster, topojson-client \
                     and world-atlas from frontend/node_modules)",
                    frontend.display()
                )
            } else {
                "the front end's sources are incomplete".into()
            };
            fail(format!("{} is missing: {hint}", path.display()));
        }
    }
    println!(
        "cargo:rerun-if-changed={}",
        manifest.join("src/frontend/sources.rs").display()
    );
    println!(
        "cargo:rerun-if-changed={}",
        frontend.join("package-lock.json").display()
    );
    let mut files: Vec<(String, PathBuf)> = Vec::new();
    for (url, src) in SOURCES {
        let path = frontend.join(src);
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            let before = files.len();
            files_below(&path, url, &mut files);
            if files.len() == before {
                fail(format!("{} holds no file", path.display()));
            }
        } else {
            files.push((url.to_string(), path));
        }
    }
    files.sort();
    files.dedup_by(|a, b| a.0 == b.0);
    let mut version = Sha256::new();
    let mut table = String::new();
    let mut total = 0usize;
    for (url, path) in &files {
        let bytes =
            std::fs::read(path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        total += bytes.len();
        let hash = hex(&Sha256::digest(&bytes)[..16]);
        version.update(format!("{url}\0{hash}\n"));
        let _ = writeln!(
            table,
            "    File {{ path: {url:?}, etag: \"\\\"{hash}\\\"\", bytes: include_bytes!({:?}) }},",
            path.display().to_string()
        );
    }
    let version = hex(&version.finalize()[..8]);
    let out = format!(
        "/// The hash of every embedded file and its path: `<version>` in\n\
         /// `/assets/<version>/…`, new whenever one file changes.\n\
         pub const VERSION: &str = {version:?};\n\n\
         /// Total size of the embedded files, in bytes.\n\
         pub const TOTAL_BYTES: usize = {total};\n\n\
         /// The embedded files, sorted by path.\n\
         pub static FILES: &[File] = &[\n{table}];\n"
    );
    std::fs::write(out_dir.join("frontend_files.rs"), out)
        .unwrap_or_else(|e| panic!("writing frontend_files.rs: {e}"));
}
