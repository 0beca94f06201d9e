//! The project's place table format (see `data/curated/README.md`).

use crate::error::{Error, Result};
use crate::place::{Kind, Place, Source};
use std::fmt::Write as _;
use std::path::Path;

pub const COLUMNS: [&str; 14] = [
    "id",
    "kind",
    "name_fr",
    "name_en",
    "name_ar",
    "variants",
    "country",
    "admin1",
    "parent",
    "lat",
    "lon",
    "population",
    "geonameid",
    "note",
];

/// The canonical governorate names used in the `admin1` column.
pub const GOVERNORATES: [&str; 14] = [
    "Aleppo",
    "Idlib",
    "Hama",
    "Homs",
    "Latakia",
    "Tartus",
    "Damascus",
    "Rif Dimashq",
    "Daraa",
    "As-Suwayda",
    "Quneitra",
    "Deir ez-Zor",
    "Raqqa",
    "Al-Hasakah",
];

/// Parse a place table. `path` only names the source in errors.
pub fn parse(path: &Path, text: &str, source: Source) -> Result<Vec<Place>> {
    let mut places = Vec::new();
    let mut header: Option<Vec<&str>> = None;
    for (n, raw) in text.lines().enumerate() {
        let line_no = n + 1;
        let line = raw.trim_end_matches('\r');
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let fields: Vec<&str> = line.split('\t').collect();
        let Some(cols) = &header else {
            if fields != COLUMNS {
                return Err(Error::Row {
                    path: path.into(),
                    line: line_no,
                    field: "header".into(),
                    message: format!("expected the header `{}`", COLUMNS.join("\\t")),
                });
            }
            header = Some(fields);
            continue;
        };
        if fields.len() != cols.len() {
            return Err(Error::Row {
                path: path.into(),
                line: line_no,
                field: "row".into(),
                message: format!("{} fields, expected {}", fields.len(), cols.len()),
            });
        }
        places.push(parse_row(path, line_no, &fields, source)?);
    }
    Ok(places)
}

fn parse_row(path: &Path, line: usize, f: &[&str], source: Source) -> Result<Place> {
    let err = |field: &str, message: String| Error::Row {
        path: path.into(),
        line,
        field: field.into(),
        message,
    };
    let get = |i: usize| f[i].trim();
    let id = get(0);
    if id.is_empty() || id.contains(char::is_whitespace) {
        return Err(err("id", format!("{id:?} must be a non-empty slug")));
    }
    let kind: Kind = get(1).parse().map_err(|m| err("kind", m))?;
    let (name_fr, name_en) = (get(2).to_string(), get(3).to_string());
    if name_fr.is_empty() && name_en.is_empty() {
        return Err(err("name_fr", "name_fr or name_en is required".into()));
    }
    let country = get(6).to_ascii_uppercase();
    if country.len() != 2 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err(
            "country",
            format!("{:?} is not an ISO alpha-2 code", get(6)),
        ));
    }
    let admin1 = get(7).to_string();
    if country == "SY" && kind != Kind::Country && !GOVERNORATES.contains(&admin1.as_str()) {
        return Err(err(
            "admin1",
            format!("{admin1:?} is not one of {}", GOVERNORATES.join(", ")),
        ));
    }
    let lat: f64 = get(9)
        .parse()
        .map_err(|_| err("lat", format!("{:?} is not a number", get(9))))?;
    let lon: f64 = get(10)
        .parse()
        .map_err(|_| err("lon", format!("{:?} is not a number", get(10))))?;
    if !(-90.0..=90.0).contains(&lat) || !lat.is_finite() {
        return Err(err("lat", format!("{lat} is out of range")));
    }
    if !(-180.0..=180.0).contains(&lon) || !lon.is_finite() {
        return Err(err("lon", format!("{lon} is out of range")));
    }
    let population = optional_int(get(11)).map_err(|m| err("population", m))?;
    let geonameid = optional_int(get(12)).map_err(|m| err("geonameid", m))?;
    Ok(Place {
        id: id.to_string(),
        kind,
        name_fr,
        name_en,
        name_ar: get(4).to_string(),
        variants: get(5)
            .split('|')
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect(),
        country,
        admin1,
        parent: Some(get(8).to_string()).filter(|p| !p.is_empty()),
        lat,
        lon,
        population,
        geonameid,
        source,
        note: get(13).to_string(),
    })
}

fn optional_int(s: &str) -> std::result::Result<Option<u64>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    s.parse()
        .map(Some)
        .map_err(|_| format!("{s:?} is not a whole number"))
}

fn clean(s: &str) -> String {
    s.replace(['\t', '\n', '\r', '|'], " ")
}

/// Write places in the table format, header first.
pub fn write(places: &[Place]) -> String {
    let mut out = COLUMNS.join("\t");
    out.push('\n');
    for p in places {
        let variants: Vec<String> = p.variants.iter().map(|v| clean(v)).collect();
        let _ = writeln!(
            out,
            "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{:.5}\t{:.5}\t{}\t{}\t{}",
            clean(&p.id),
            match p.kind {
                Kind::Neighbourhood => "neighbourhood",
                k => k.as_str(),
            },
            clean(&p.name_fr),
            clean(&p.name_en),
            clean(&p.name_ar),
            variants.join("|"),
            p.country,
            clean(&p.admin1),
            p.parent.as_deref().map(clean).unwrap_or_default(),
            p.lat,
            p.lon,
            p.population.map(|n| n.to_string()).unwrap_or_default(),
            p.geonameid.map(|n| n.to_string()).unwrap_or_default(),
            clean(&p.note),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "id\tkind\tname_fr\tname_en\tname_ar\tvariants\tcountry\tadmin1\tparent\tlat\tlon\tpopulation\tgeonameid\tnote";

    #[test]
    fn a_row_round_trips() {
        let text = format!("{HEADER}\n# comment\nkhan-tuman\tvillage\tKhan Toumane\tKhan Tuman\tخان طومان\tKhan Touman|Khan Tumane\tSY\tAleppo\t\t36.129\t37.064\t\t\tsouth-west of Aleppo\n");
        let places = parse(Path::new("t.tsv"), &text, Source::Curated).unwrap();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].variants, ["Khan Touman", "Khan Tumane"]);
        let again = parse(Path::new("t.tsv"), &write(&places), Source::Curated).unwrap();
        assert_eq!(again, places);
    }

    #[test]
    fn a_bad_latitude_names_file_line_and_field() {
        let text = format!("{HEADER}\nx\tvillage\tX\tX\t\t\tSY\tAleppo\t\tnorth\t37.0\t\t\t\n");
        let e = parse(Path::new("t.tsv"), &text, Source::Curated).unwrap_err();
        assert_eq!(
            e.to_string(),
            "t.tsv:2: field `lat`: \"north\" is not a number"
        );
    }

    #[test]
    fn a_short_row_is_an_error() {
        let text = format!("{HEADER}\nx\tvillage\tX\n");
        let e = parse(Path::new("t.tsv"), &text, Source::Curated).unwrap_err();
        assert!(
            e.to_string().starts_with("t.tsv:2: field `row`: 3 fields"),
            "{e}"
        );
    }

    #[test]
    fn an_unknown_governorate_is_an_error() {
        let text = format!("{HEADER}\nx\tvillage\tX\tX\t\t\tSY\tAlep\t\t36\t37\t\t\t\n");
        let e = parse(Path::new("t.tsv"), &text, Source::Curated).unwrap_err();
        assert!(e.to_string().contains("field `admin1`"), "{e}");
    }
}
