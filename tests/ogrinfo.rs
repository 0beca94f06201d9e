//! GDAL's OGC API – Features driver (`ogrinfo OAPIF:`) lists the events
//! layer and reads every feature, following `next` links. Skipped with a
//! message when `ogrinfo` is not installed (Debian: `gdal-bin`).

mod common;

use common::{write_samples, Scratch, Server};
use std::process::Command;

#[test]
fn ogrinfo_lists_the_layer_and_reads_features() {
    if Command::new("ogrinfo").arg("--version").output().is_err() {
        eprintln!("SKIPPED: ogrinfo is not installed (apt-get install gdal-bin)");
        return;
    }
    let s = Scratch::new();
    let dir = write_samples(&s);
    assert!(s.ingest(&[dir.to_str().unwrap()]).status.success());
    let server = Server::start("serve", &s.db(), &[]);
    let n = server.get_json("/api/events")["features"]
        .as_array()
        .unwrap()
        .len();
    let source = format!("OAPIF:{}", server.url("/ogc"));

    let out = Command::new("ogrinfo")
        .args(["-ro", &source])
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{listing}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(listing.contains("1: events"), "{listing}");
    assert!(
        !String::from_utf8_lossy(&out.stderr).contains("ERROR"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // Small pages, so that GDAL follows several `next` links.
    let out = Command::new("ogrinfo")
        .args(["-ro", "-al", "-oo", "PAGE_SIZE=2", &source])
        .output()
        .unwrap();
    let features = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        features.matches("OGRFeature(events)").count(),
        n,
        "{features}"
    );
    assert!(
        features.contains("type (String) = control_change"),
        "{features}"
    );
    assert!(features.contains("POINT ("), "{features}");
}
