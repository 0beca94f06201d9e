//! Embeds every table under `data/` into the library, so the binary carries
//! its gazetteer and needs no files at run time.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    // Read when the script runs, not baked in when it was compiled: a
    // target/ reused from another checkout must not read that checkout.
    let manifest = std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default();
    let root = Path::new(&manifest).join("data");
    println!("cargo:rerun-if-changed={}", root.display());
    let dir = root.join("curated");
    let mut curated: Vec<_> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .collect();
    curated.retain(|p| p.extension().is_some_and(|e| e == "tsv"));
    curated.sort();
    // A gazetteer without its curated overlay would build and silently
    // resolve almost nothing: refuse instead.
    assert!(
        !curated.is_empty(),
        "{}: no curated .tsv table",
        dir.display()
    );
    let mut out = String::from(
        "/// Curated tables: (file name, contents).\npub const CURATED: &[(&str, &str)] = &[\n",
    );
    for p in &curated {
        println!("cargo:rerun-if-changed={}", p.display());
        let name = p.file_name().unwrap_or_default().to_string_lossy();
        let _ = writeln!(
            out,
            "    ({name:?}, include_str!({:?})),",
            p.display().to_string()
        );
    }
    out.push_str("];\n");
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    std::fs::write(Path::new(&out_dir).join("builtin.rs"), out)
        .unwrap_or_else(|e| panic!("writing builtin.rs: {e}"));
}
