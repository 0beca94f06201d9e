//! Embeds the demo dispatches (`demo/dispatches/*.json`) into the binary,
//! so `frontline demo` works from any directory.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("demo")
        .join("dispatches");
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
    let out_dir = std::env::var("OUT_DIR").unwrap_or_else(|_| ".".into());
    std::fs::write(Path::new(&out_dir).join("demo_dispatches.rs"), out)
        .unwrap_or_else(|e| panic!("writing demo_dispatches.rs: {e}"));
}
