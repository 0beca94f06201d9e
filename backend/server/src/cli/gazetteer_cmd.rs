//! `frontline gazetteer …`: lookup, scan, import, check.

use super::{to_json, truncate, Config};
use crate::error::{Error, Result};
use clap::Subcommand;
use gazetteer::import::{self, GeoNamesFilter};
use gazetteer::{tsv, Gazetteer};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Subcommand)]
pub enum GazetteerCommand {
    /// Ranked candidates for a place name.
    Lookup {
        query: String,
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 5)]
        limit: usize,
    },
    /// Every place mention in a text file, with offsets and resolution.
    Scan {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Import a downloaded source into a place table.
    Import {
        #[command(subcommand)]
        source: ImportSource,
    },
    /// Load every table, report problems and counts.
    Check {
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum ImportSource {
    /// GeoNames dumps: SY.txt, SY.zip, allCountries.zip or extracts in that format.
    Geonames {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// alternateNamesV2.txt (or its .zip) for French and Arabic names.
        #[arg(long)]
        alternate_names: Option<PathBuf>,
        /// Countries whose every place is kept (others keep big cities only).
        #[arg(long = "country", default_values_t = vec!["SY".to_string()])]
        countries: Vec<String>,
        /// Population from which a foreign populated place is kept.
        #[arg(long, default_value_t = 100_000)]
        min_foreign_population: u64,
        /// Output table.
        #[arg(long, short)]
        out: PathBuf,
    },
    /// OCHA/HDX P-coded populated places (CSV).
    Ocha {
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, short)]
        out: PathBuf,
    },
}

pub fn run(config: &Config, command: GazetteerCommand) -> Result<ExitCode> {
    match command {
        GazetteerCommand::Lookup { query, json, limit } => {
            let g = super::gazetteer(config)?;
            let found = g.lookup(&query);
            if json {
                let rows: Vec<_> = found
                    .iter()
                    .take(limit)
                    .map(|c| candidate_json(&g, c.place, c.score, c.exact))
                    .collect();
                say!("{}", to_json(&rows)?);
            } else if found.is_empty() {
                say!("no place matches {query:?}");
            } else {
                say!(
                    "{:<34} {:<13} {:<12} {:>9} {:>9} {:>6}  id",
                    "name",
                    "kind",
                    "admin1",
                    "lat",
                    "lon",
                    "score"
                );
                for c in found.iter().take(limit) {
                    let p = g.place(c.place);
                    say!(
                        "{:<34} {:<13} {:<12} {:>9.4} {:>9.4} {:>6.3}  {}",
                        truncate(&format!("{} / {}", p.name(), p.name_en), 34),
                        p.kind.as_str(),
                        if p.in_syria() {
                            p.admin1.as_str()
                        } else {
                            p.country.as_str()
                        },
                        p.lat,
                        p.lon,
                        c.score,
                        p.id
                    );
                }
            }
            Ok(if found.is_empty() {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            })
        }
        GazetteerCommand::Scan { file, json } => {
            let text = gazetteer::error::read_text(&file)?;
            let g = super::gazetteer(config)?;
            let resolved = g.analyze(&text);
            if json {
                let rows: Vec<_> = resolved
                    .iter()
                    .map(|r| {
                        let mut v = candidate_json(&g, r.place, r.score, true);
                        v["surface"] = r.mention.surface.clone().into();
                        v["start"] = r.mention.start.into();
                        v["end"] = r.mention.end.into();
                        v["point"] = serde_json::json!([r.lat, r.lon]);
                        v["precision"] = r.precision.as_str().into();
                        v["radius_km"] = r.radius_km.into();
                        v["alternatives"] = r.mention.candidates.len().saturating_sub(1).into();
                        v
                    })
                    .collect();
                say!("{}", to_json(&rows)?);
            } else {
                for r in &resolved {
                    let p = g.place(r.place);
                    say!(
                        "{:>6}-{:<6} {:<26} -> {:<28} {:<12} {:<12} {:>8.4} {:>8.4} {:<6} ({} other)",
                        r.mention.start,
                        r.mention.end,
                        truncate(&r.mention.surface, 26),
                        truncate(p.name(), 28),
                        p.kind.as_str(),
                        if p.in_syria() { p.admin1.as_str() } else { p.country.as_str() },
                        r.lat,
                        r.lon,
                        format!("{:?}", r.precision).to_lowercase(),
                        r.mention.candidates.len() - 1
                    );
                }
                say!("{} mentions", resolved.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        GazetteerCommand::Import { source } => {
            let (report, out) = match source {
                ImportSource::Geonames {
                    files,
                    alternate_names,
                    countries,
                    min_foreign_population,
                    out,
                } => {
                    let filter = GeoNamesFilter {
                        full_countries: countries,
                        min_foreign_population,
                    };
                    (
                        import::geonames(&files, alternate_names.as_deref(), &filter)?,
                        out,
                    )
                }
                ImportSource::Ocha { files, out } => (import::ocha(&files)?, out),
            };
            for r in &report.rejected {
                eprintln!("skipped {}:{}: {}", r.file.display(), r.line, r.reason);
            }
            let mut places = report.places;
            places.sort_by(|a, b| a.country.cmp(&b.country).then(a.id.cmp(&b.id)));
            std::fs::write(&out, tsv::write(&places)).map_err(|e| Error::io(&out, e))?;
            let filtered: usize = report.filtered.values().sum();
            say!(
                "{} rows read: {} imported, {} filtered out, {} rejected; {} alternate names attached; written to {}",
                report.read,
                places.len(),
                filtered,
                report.rejected.len(),
                report.alternate_names,
                out.display()
            );
            for (why, n) in &report.filtered {
                say!("  filtered: {n} {why}");
            }
            Ok(if report.rejected.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            })
        }
        GazetteerCommand::Check { json } => {
            let g = super::gazetteer(config)?;
            let stats = g.stats();
            if json {
                say!("{}", to_json(&stats)?);
            } else {
                say!(
                    "{} places ({} in Syria, {} foreign): {} curated, {} imported; {} indexed names",
                    stats.places, stats.syrian, stats.foreign, stats.curated, stats.imported, stats.names
                );
                for (k, n) in &stats.by_kind {
                    say!("  {k:<14} {n}");
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn candidate_json(
    g: &Gazetteer,
    id: gazetteer::PlaceId,
    score: f64,
    exact: bool,
) -> serde_json::Value {
    let p = g.place(id);
    serde_json::json!({
        "id": p.id,
        "name": p.name(),
        "name_en": p.name_en,
        "name_ar": p.name_ar,
        "kind": p.kind.as_str(),
        "admin1": p.admin1,
        "country": p.country,
        "in_syria": p.in_syria(),
        "lat": p.lat,
        "lon": p.lon,
        "score": (score * 1000.0).round() / 1000.0,
        "exact": exact,
        "geonameid": p.geonameid,
    })
}
