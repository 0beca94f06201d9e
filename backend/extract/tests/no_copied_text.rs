//! The articles of `../shared/corpus/` belong to their publishers: no run of
//! eight consecutive words of their texts may appear in the project's own
//! files (sources, tables, tests, templates, demo dispatches, docs).
//! Skipped when `../shared` is absent.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// How many consecutive words make a copy.
const RUN: usize = 8;

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Lower-case words: maximal runs of letters and digits (an apostrophe or
/// any punctuation separates words).
fn words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

fn runs(words: &[String]) -> impl Iterator<Item = String> + '_ {
    words.windows(RUN).map(|w| w.join(" "))
}

fn corpus_runs(corpus: &Path) -> HashSet<String> {
    let mut out = HashSet::new();
    let Ok(sets) = std::fs::read_dir(corpus) else {
        return out;
    };
    for set in sets.flatten() {
        let Ok(files) = std::fs::read_dir(set.path()) else {
            continue;
        };
        for f in files.flatten() {
            let path = f.path();
            if path.extension().is_none_or(|e| e != "json") {
                continue;
            }
            let Ok(raw) = std::fs::read_to_string(&path) else {
                continue;
            };
            let Ok(doc) = serde_json::from_str::<serde_json::Value>(&raw) else {
                continue;
            };
            for field in ["text", "title"] {
                if let Some(t) = doc.get(field).and_then(|v| v.as_str()) {
                    out.extend(runs(&words(t)));
                }
            }
        }
    }
    out
}

/// The project's own text files: everything but build output, installed
/// packages, git's store and test artefacts.
fn project_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        let name = e.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !matches!(
                name.as_str(),
                "target" | "node_modules" | ".git" | "artifacts"
            ) && !name.starts_with("target")
            {
                project_files(&path, out);
            }
        } else if path.extension().is_some_and(|x| {
            matches!(
                x.to_str().unwrap_or(""),
                "rs" | "tsv"
                    | "md"
                    | "js"
                    | "mjs"
                    | "html"
                    | "css"
                    | "json"
                    | "sh"
                    | "py"
                    | "toml"
                    | "txt"
                    | "sql"
                    | "geojson"
            )
        }) && !name.ends_with("-lock.json")
        {
            out.push(path);
        }
    }
}

#[test]
fn no_eight_words_of_a_corpus_article_are_in_the_project() {
    let root = repo_root();
    let corpus = root.join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    let copied = corpus_runs(&corpus);
    assert!(
        !copied.is_empty(),
        "no corpus text read from {}",
        corpus.display()
    );
    let mut files = Vec::new();
    project_files(&root, &mut files);
    assert!(files.len() > 50, "only {} project files found", files.len());
    let mut found = Vec::new();
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        // Escaped accents in sources ("\u{e9}") would hide a copy; JSON and
        // Rust sources here write accents as UTF-8.
        let w = words(&text);
        let hits: Vec<String> = runs(&w).filter(|r| copied.contains(r)).collect();
        for run in hits {
            found.push(format!("{}: \"{run}\"", path.display()));
        }
    }
    assert!(
        found.is_empty(),
        "text copied from corpus articles:\n{}",
        found.join("\n")
    );
}

#[test]
fn words_split_on_apostrophes_and_punctuation() {
    assert_eq!(
        words("L'armée a repris, hier, Alep-Est."),
        ["l", "armée", "a", "repris", "hier", "alep", "est"]
    );
}
