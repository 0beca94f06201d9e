//! Importers for the full sources a user can download: GeoNames dumps
//! (`SY.txt`, `SY.zip`, `allCountries.zip`, with `alternateNamesV2.txt`) and
//! OCHA/HDX P-coded populated places (CSV). Each writes the project's place
//! table format; bad rows are reported with file and line, never dropped
//! silently.

use crate::error::{Error, Result};
use crate::place::{Kind, Place, Source};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

/// A row that could not be imported.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rejected {
    pub file: PathBuf,
    pub line: usize,
    pub reason: String,
}

/// What an import produced.
#[derive(Debug, Default, serde::Serialize)]
pub struct Report {
    pub places: Vec<Place>,
    /// Rows read from the inputs.
    pub read: usize,
    /// Rows deliberately left out (other countries' villages, feature
    /// classes that are not places), counted by reason.
    pub filtered: HashMap<String, usize>,
    pub rejected: Vec<Rejected>,
    /// Alternate names attached from `alternateNamesV2.txt`.
    pub alternate_names: usize,
}

/// GeoNames admin1 codes of Syria → canonical governorate names.
const SY_ADMIN1: [(&str, &str); 14] = [
    ("01", "Al-Hasakah"),
    ("02", "Latakia"),
    ("03", "Quneitra"),
    ("04", "Raqqa"),
    ("05", "As-Suwayda"),
    ("06", "Daraa"),
    ("07", "Deir ez-Zor"),
    ("08", "Rif Dimashq"),
    ("09", "Aleppo"),
    ("10", "Hama"),
    ("11", "Homs"),
    ("12", "Idlib"),
    ("13", "Damascus"),
    ("14", "Tartus"),
];

/// Call `f` with each line (number from 1, bytes without the newline) of a
/// GeoNames dump, streaming the `.txt` inside a `.zip`.
fn for_each_line(path: &Path, mut f: impl FnMut(usize, &[u8])) -> Result<()> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let zip_err = |e: zip::result::ZipError| Error::Zip {
        path: path.into(),
        message: e.to_string(),
    };
    let mut buf = Vec::new();
    let mut read_all = |reader: &mut dyn BufRead| -> Result<()> {
        let mut n = 0;
        loop {
            buf.clear();
            if reader
                .read_until(b'\n', &mut buf)
                .map_err(|e| Error::io(path, e))?
                == 0
            {
                return Ok(());
            }
            n += 1;
            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                buf.pop();
            }
            f(n, &buf);
        }
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
    {
        let mut archive = zip::ZipArchive::new(file).map_err(zip_err)?;
        let name = (0..archive.len())
            .filter_map(|i| archive.name_for_index(i).map(String::from))
            .find(|n| n.ends_with(".txt") && !n.to_ascii_lowercase().starts_with("readme"))
            .ok_or_else(|| Error::Zip {
                path: path.into(),
                message: "no .txt dump inside".into(),
            })?;
        let entry = archive.by_name(&name).map_err(zip_err)?;
        return read_all(&mut BufReader::new(entry));
    }
    read_all(&mut BufReader::new(file))
}

/// Which GeoNames rows to keep.
#[derive(Debug, Clone)]
pub struct GeoNamesFilter {
    /// Countries whose every place is kept (`SY`).
    pub full_countries: Vec<String>,
    /// Elsewhere, populated places at least this big are kept.
    pub min_foreign_population: u64,
}

impl Default for GeoNamesFilter {
    fn default() -> Self {
        GeoNamesFilter {
            full_countries: vec!["SY".into()],
            min_foreign_population: 100_000,
        }
    }
}

fn kind_of(feature_class: &str, feature_code: &str, population: u64, syrian: bool) -> Option<Kind> {
    Some(match (feature_class, feature_code) {
        ("A", "ADM1") if syrian => Kind::Governorate,
        ("A", "ADM2") if syrian => Kind::District,
        ("A", c) if c.starts_with("PCL") => Kind::Country,
        ("P", "PPLC" | "PPLA") if syrian => Kind::City,
        ("P", _) if syrian && population >= 100_000 => Kind::City,
        ("P", _) if syrian && population >= 5_000 => Kind::Town,
        ("P", "PPLX") if syrian => Kind::Neighbourhood,
        ("P", _) if syrian => Kind::Village,
        ("P", _) => Kind::Foreign,
        ("S", "AIRB" | "AIRF" | "AIRP" | "AIRH" | "MILB" | "INSM" | "NVB") if syrian => Kind::Base,
        ("S", "CMPRF" | "CMP") if syrian => Kind::Camp,
        ("S", "PRN" | "BDGQ" | "DAM" | "PSTB" | "CSTM" | "CSTL" | "RUIN" | "HSTS") if syrian => {
            Kind::Landmark
        }
        ("H", "DAM" | "RSV" | "LK") if syrian => Kind::Landmark,
        ("L", "RGN" | "AREA" | "PLN" | "VAL") if syrian => Kind::Region,
        ("T", "MT" | "MTS" | "HLL" | "PLAT") if syrian => Kind::Region,
        _ => return None,
    })
}

/// Names worth indexing from a GeoNames alternatenames list: Latin or Arabic
/// script, not codes.
fn useful_name(n: &str) -> bool {
    let n = n.trim();
    if n.chars().count() < 3
        || n.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    {
        return false;
    }
    // Lowercase romanisations ("byshawr", "bai sha wa") are search keys,
    // not names a text would print.
    if !is_arabic(n) && !n.chars().next().is_some_and(char::is_uppercase) {
        return false;
    }
    n.chars().all(|c| {
        c.is_ascii()
            || ('\u{00C0}'..='\u{024F}').contains(&c)
            || ('\u{1E00}'..='\u{1EFF}').contains(&c)
            || ('\u{0600}'..='\u{06FF}').contains(&c)
            || matches!(c, 'ʿ' | 'ʾ' | '‘' | '’' | 'ʼ')
    })
}

fn is_arabic(n: &str) -> bool {
    n.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c))
}

/// Import GeoNames dumps, optionally with `alternateNamesV2.txt`.
pub fn geonames(
    files: &[PathBuf],
    alternate_names: Option<&Path>,
    filter: &GeoNamesFilter,
) -> Result<Report> {
    let mut report = Report::default();
    for path in files {
        for_each_line(path, |line_no, bytes| {
            let Ok(line) = std::str::from_utf8(bytes) else {
                report.rejected.push(Rejected {
                    file: path.clone(),
                    line: line_no,
                    reason: "not valid UTF-8".into(),
                });
                return;
            };
            if line.is_empty() || line.starts_with('#') {
                return;
            }
            report.read += 1;
            match geonames_row(line, filter) {
                Ok(p) => report.places.push(p),
                Err(RowError::Filtered(why)) => {
                    *report.filtered.entry(why.into()).or_default() += 1
                }
                Err(RowError::Bad(reason)) => report.rejected.push(Rejected {
                    file: path.clone(),
                    line: line_no,
                    reason,
                }),
            }
        })?;
    }
    if report.read == 0 {
        return Err(Error::Invalid(format!(
            "{}: no GeoNames rows found",
            files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    if let Some(alt) = alternate_names {
        attach_alternate_names(alt, &mut report)?;
    }
    Ok(report)
}

enum RowError {
    Filtered(&'static str),
    Bad(String),
}

fn geonames_row(line: &str, filter: &GeoNamesFilter) -> std::result::Result<Place, RowError> {
    let f: Vec<&str> = line.split('\t').collect();
    if f.len() != 19 {
        return Err(RowError::Bad(format!(
            "{} columns, a GeoNames row has 19",
            f.len()
        )));
    }
    let id: u64 = f[0]
        .parse()
        .map_err(|_| RowError::Bad(format!("geonameid {:?} is not a number", f[0])))?;
    let lat: f64 = f[4]
        .parse()
        .map_err(|_| RowError::Bad(format!("latitude {:?} is not a number", f[4])))?;
    let lon: f64 = f[5]
        .parse()
        .map_err(|_| RowError::Bad(format!("longitude {:?} is not a number", f[5])))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(RowError::Bad(format!(
            "coordinates {lat}, {lon} out of range"
        )));
    }
    let population: u64 = if f[14].is_empty() {
        0
    } else {
        f[14]
            .parse()
            .map_err(|_| RowError::Bad(format!("population {:?} is not a number", f[14])))?
    };
    let country = f[8].to_ascii_uppercase();
    let full = filter
        .full_countries
        .iter()
        .any(|c| c.eq_ignore_ascii_case(&country));
    let syrian = country == "SY";
    if !full && f[6] == "P" && population < filter.min_foreign_population && f[7] != "PPLC" {
        return Err(RowError::Filtered(
            "foreign place below the population threshold",
        ));
    }
    let Some(kind) = kind_of(f[6], f[7], population, syrian) else {
        return Err(RowError::Filtered("feature class not imported"));
    };
    let admin1 = if syrian {
        SY_ADMIN1
            .iter()
            .find(|(c, _)| *c == f[10])
            .map(|(_, n)| n.to_string())
            .ok_or_else(|| RowError::Bad(format!("Syrian admin1 code {:?} is unknown", f[10])))?
    } else {
        String::new()
    };
    let mut variants: Vec<String> = Vec::new();
    let mut name_ar = String::new();
    for n in f[3].split(',').map(str::trim).filter(|n| useful_name(n)) {
        if is_arabic(n) {
            if name_ar.is_empty() {
                name_ar = n.to_string();
            }
        } else if n != f[1] && !variants.iter().any(|v| v == n) {
            variants.push(n.to_string());
        }
    }
    if f[2] != f[1] && !f[2].is_empty() && !variants.iter().any(|v| v == f[2]) {
        variants.push(f[2].to_string());
    }
    Ok(Place {
        id: format!("gn-{id}"),
        kind,
        name_fr: String::new(),
        name_en: f[1].to_string(),
        name_ar,
        variants,
        country,
        admin1,
        parent: None,
        lat,
        lon,
        population: (population > 0).then_some(population),
        geonameid: Some(id),
        source: Source::GeoNames,
        note: format!("GeoNames {}.{}", f[6], f[7]),
    })
}

fn attach_alternate_names(path: &Path, report: &mut Report) -> Result<()> {
    let index: HashMap<u64, usize> = report
        .places
        .iter()
        .enumerate()
        .filter_map(|(i, p)| p.geonameid.map(|g| (g, i)))
        .collect();
    let places = &mut report.places;
    let rejected = &mut report.rejected;
    let mut attached = 0;
    for_each_line(path, |line_no, bytes| {
        let reject = |rejected: &mut Vec<Rejected>, reason: String| {
            rejected.push(Rejected {
                file: path.into(),
                line: line_no,
                reason,
            })
        };
        let Ok(line) = std::str::from_utf8(bytes) else {
            return reject(rejected, "not valid UTF-8".into());
        };
        if line.trim().is_empty() {
            return;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 4 {
            return reject(
                rejected,
                format!("{} columns, an alternate name row has at least 4", f.len()),
            );
        }
        let Ok(gid) = f[1].parse::<u64>() else {
            return reject(rejected, format!("geonameid {:?} is not a number", f[1]));
        };
        let Some(&i) = index.get(&gid) else { return };
        let (lang, name) = (f[2], f[3].trim());
        let historic = f.get(7).is_some_and(|h| *h == "1");
        if historic || !matches!(lang, "fr" | "en" | "ar" | "") || !useful_name(name) {
            return;
        }
        let p = &mut places[i];
        let preferred = f.get(4).is_some_and(|v| *v == "1");
        match lang {
            "fr" if p.name_fr.is_empty() || preferred => p.name_fr = name.to_string(),
            "ar" if p.name_ar.is_empty() || preferred => p.name_ar = name.to_string(),
            _ => {}
        }
        if !p.variants.iter().any(|v| v == name) && p.name_en != name && !is_arabic(name) {
            p.variants.push(name.to_string());
        }
        attached += 1;
    })?;
    report.alternate_names = attached;
    Ok(())
}

/// OCHA/HDX populated places: a CSV with `admin1Name_en`, `admin4Name_en`
/// (or the deepest level present), `admin4Name_ar`, a P-code and
/// `latitude`/`longitude` columns.
pub fn ocha(files: &[PathBuf]) -> Result<Report> {
    let mut report = Report::default();
    for path in files {
        let text = crate::error::read_text(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let headers = reader
            .headers()
            .map_err(|e| Error::Format {
                path: path.clone(),
                message: e.to_string(),
            })?
            .clone();
        let col = |name: &str| {
            headers
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name))
        };
        let (Some(lat_c), Some(lon_c)) = (
            col("latitude").or_else(|| col("lat")).or_else(|| col("y")),
            col("longitude")
                .or_else(|| col("lon"))
                .or_else(|| col("long"))
                .or_else(|| col("x")),
        ) else {
            return Err(Error::Format {
                path: path.clone(),
                message: "no latitude/longitude columns".into(),
            });
        };
        // The deepest admin level with a name is the place itself.
        let level = (1..=5)
            .rev()
            .find(|l| col(&format!("admin{l}Name_en")).is_some())
            .ok_or_else(|| Error::Format {
                path: path.clone(),
                message: "no adminNName_en column".into(),
            })?;
        let name_c = col(&format!("admin{level}Name_en")).unwrap_or_default();
        let name_ar_c = col(&format!("admin{level}Name_ar"));
        let pcode_c = col(&format!("admin{level}Pcode")).or_else(|| col("pcode"));
        let admin1_c = col("admin1Name_en");
        for (n, record) in reader.records().enumerate() {
            let line = n + 2;
            report.read += 1;
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    report.rejected.push(Rejected {
                        file: path.clone(),
                        line,
                        reason: e.to_string(),
                    });
                    continue;
                }
            };
            let get = |c: usize| record.get(c).unwrap_or("").trim();
            let bad = |reason: String| Rejected {
                file: path.clone(),
                line,
                reason,
            };
            let name = get(name_c);
            if name.is_empty() {
                report
                    .rejected
                    .push(bad(format!("admin{level}Name_en is empty")));
                continue;
            }
            let (Ok(lat), Ok(lon)) = (get(lat_c).parse::<f64>(), get(lon_c).parse::<f64>()) else {
                report.rejected.push(bad(format!(
                    "latitude/longitude {:?}, {:?} are not numbers",
                    get(lat_c),
                    get(lon_c)
                )));
                continue;
            };
            if !(32.0..=37.5).contains(&lat) || !(35.5..=42.5).contains(&lon) {
                report
                    .rejected
                    .push(bad(format!("{lat}, {lon} is outside Syria")));
                continue;
            }
            let admin1 = admin1_c.map(get).unwrap_or("");
            let Some(gov) = canonical_governorate(admin1) else {
                report.rejected.push(bad(format!(
                    "admin1Name_en {admin1:?} is not a Syrian governorate"
                )));
                continue;
            };
            let pcode = pcode_c.map(get).unwrap_or("");
            if pcode.is_empty() {
                report.rejected.push(bad("the P-code is empty".into()));
                continue;
            }
            report.places.push(Place {
                id: format!("ocha-{}", pcode.to_ascii_lowercase()),
                kind: Kind::Village,
                name_fr: String::new(),
                name_en: name.to_string(),
                name_ar: name_ar_c.map(get).unwrap_or("").to_string(),
                variants: Vec::new(),
                country: "SY".into(),
                admin1: gov.to_string(),
                parent: None,
                lat,
                lon,
                population: None,
                geonameid: None,
                source: Source::Ocha,
                note: format!("OCHA P-code {pcode}"),
            });
        }
    }
    Ok(report)
}

/// OCHA's and others' governorate spellings → the canonical admin1 name.
pub fn canonical_governorate(name: &str) -> Option<&'static str> {
    let key = crate::normalize::name_key(name);
    let table: [(&[&str], &str); 14] = [
        (&["Aleppo", "Alep", "Halab"], "Aleppo"),
        (&["Idleb", "Idlib"], "Idlib"),
        (&["Hama"], "Hama"),
        (&["Homs"], "Homs"),
        (&["Lattakia", "Latakia", "Lattaquié"], "Latakia"),
        (&["Tartous", "Tartus"], "Tartus"),
        (&["Damascus", "Damas"], "Damascus"),
        (
            &[
                "Rural Damascus",
                "Rif Dimashq",
                "Rif Damascus",
                "Damascus Countryside",
            ],
            "Rif Dimashq",
        ),
        (&["Dar'a", "Daraa", "Deraa"], "Daraa"),
        (
            &["As-Sweida", "As-Suwayda", "Sweida", "Suwayda"],
            "As-Suwayda",
        ),
        (&["Quneitra", "Al Qunaytirah"], "Quneitra"),
        (
            &["Deir-ez-Zor", "Deir ez-Zor", "Dayr az Zawr"],
            "Deir ez-Zor",
        ),
        (&["Ar-Raqqa", "Raqqa", "Ar Raqqah"], "Raqqa"),
        (
            &["Al-Hasakeh", "Al-Hasakah", "Hasakah", "Hassakeh"],
            "Al-Hasakah",
        ),
    ];
    table
        .iter()
        .find(|(names, _)| names.iter().any(|n| crate::normalize::name_key(n) == key))
        .map(|&(_, canonical)| canonical)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn temp(name: &str, content: &[u8]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gz-import-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join(name);
        std::fs::File::create(&p)
            .unwrap()
            .write_all(content)
            .unwrap();
        p
    }

    const ROW: &str = "163345\tTall Rif'at\tTall Rif'at\tTal Rifaat,Tell Rifaat,tal rifat,تل رفعت\t36.46974\t37.09727\tP\tPPL\tSY\t\t09\t\t\t\t20514\t\t430\tAsia/Damascus\t2012-01-18";

    #[test]
    fn a_geonames_row_becomes_a_syrian_town() {
        let p = temp("sy.txt", format!("{ROW}\n").as_bytes());
        let r = geonames(&[p], None, &GeoNamesFilter::default()).unwrap();
        assert_eq!(r.places.len(), 1);
        let t = &r.places[0];
        assert_eq!(
            (t.kind, t.admin1.as_str(), t.name_ar.as_str()),
            (Kind::Town, "Aleppo", "تل رفعت")
        );
        assert!(t.variants.contains(&"Tal Rifaat".to_string()));
        assert!(
            !t.variants.contains(&"tal rifat".to_string()),
            "lowercase search keys are dropped"
        );
    }

    #[test]
    fn bad_rows_are_reported_with_their_line() {
        let bad = ROW.replace("36.46974", "north");
        let p = temp("bad.txt", format!("{ROW}\n{bad}\nshort\trow\n").as_bytes());
        let r = geonames(&[p], None, &GeoNamesFilter::default()).unwrap();
        assert_eq!(r.places.len(), 1);
        assert_eq!(r.rejected.len(), 2);
        assert_eq!(r.rejected[0].line, 2);
        assert!(r.rejected[0].reason.contains("latitude"));
        assert!(r.rejected[1].reason.contains("19"));
    }

    #[test]
    fn a_zipped_dump_is_read() {
        let path = std::env::temp_dir().join(format!("gz-import-{}-SY.zip", std::process::id()));
        let file = std::fs::File::create(&path).unwrap();
        let mut zip = zip::ZipWriter::new(file);
        zip.start_file("SY.txt", zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(ROW.as_bytes()).unwrap();
        zip.finish().unwrap();
        let r = geonames(&[path], None, &GeoNamesFilter::default()).unwrap();
        assert_eq!(r.places.len(), 1);
    }

    #[test]
    fn alternate_names_fill_the_french_name() {
        let p = temp("sy2.txt", format!("{ROW}\n").as_bytes());
        let alt = temp(
            "alt.txt",
            "1\t163345\tfr\tTall Rifaat\t1\t\t\t\t\t\n2\t163345\tlink\thttps://x\t\t\t\t\t\t\n"
                .as_bytes(),
        );
        let r = geonames(&[p], Some(&alt), &GeoNamesFilter::default()).unwrap();
        assert_eq!(r.places[0].name_fr, "Tall Rifaat");
        assert_eq!(r.alternate_names, 1);
    }

    #[test]
    fn ocha_rows_import_and_bad_ones_are_named() {
        let csv = "admin1Name_en,admin1Pcode,admin4Name_en,admin4Name_ar,admin4Pcode,latitude,longitude\n\
                   Idleb,SY07,Kafr Nobol,كفرنبل,C4200,35.61,36.56\n\
                   Idleb,SY07,Nowhere,,C4201,51.5,-0.1\n\
                   Atlantis,SY99,Kafr X,,C4202,35.6,36.5\n";
        let r = ocha(&[temp("ocha.csv", csv.as_bytes())]).unwrap();
        assert_eq!(r.places.len(), 1);
        assert_eq!(r.places[0].admin1, "Idlib");
        assert_eq!(r.rejected.len(), 2);
        assert_eq!(r.rejected[0].line, 3);
    }

    #[test]
    fn an_empty_dump_is_an_error() {
        let p = temp("empty.txt", b"");
        assert!(geonames(&[p], None, &GeoNamesFilter::default()).is_err());
    }
}
