//! A place and its kind.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// What sort of place an entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Governorate,
    District,
    City,
    Town,
    Village,
    #[serde(rename = "neighborhood", alias = "neighbourhood")]
    Neighbourhood,
    Camp,
    Base,
    Region,
    Landmark,
    Country,
    Foreign,
}

impl Kind {
    pub const ALL: [Kind; 12] = [
        Kind::Governorate,
        Kind::District,
        Kind::City,
        Kind::Town,
        Kind::Village,
        Kind::Neighbourhood,
        Kind::Camp,
        Kind::Base,
        Kind::Region,
        Kind::Landmark,
        Kind::Country,
        Kind::Foreign,
    ];

    /// The name used in files and in the corpus schema (`neighborhood`).
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Governorate => "governorate",
            Kind::District => "district",
            Kind::City => "city",
            Kind::Town => "town",
            Kind::Village => "village",
            Kind::Neighbourhood => "neighborhood",
            Kind::Camp => "camp",
            Kind::Base => "base",
            Kind::Region => "region",
            Kind::Landmark => "landmark",
            Kind::Country => "country",
            Kind::Foreign => "foreign",
        }
    }

    /// Areas rather than points: an event placed there has precision `region`.
    pub fn is_area(self) -> bool {
        matches!(
            self,
            Kind::Governorate | Kind::District | Kind::Region | Kind::Country
        )
    }

    /// How likely a bare mention of a name means this kind, other things equal.
    pub fn prior(self) -> f64 {
        match self {
            Kind::City => 1.0,
            Kind::Governorate => 0.8,
            Kind::Country => 0.9,
            Kind::Town => 0.75,
            Kind::Foreign => 0.75,
            Kind::Base => 0.6,
            Kind::Region => 0.6,
            Kind::Camp => 0.55,
            Kind::Village => 0.5,
            Kind::Landmark => 0.5,
            Kind::Neighbourhood => 0.45,
            Kind::District => 0.35,
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase();
        if s == "neighbourhood" {
            return Ok(Kind::Neighbourhood);
        }
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown kind {s:?} (expected one of {})",
                    Kind::ALL.map(|k| k.as_str()).join(", ")
                )
            })
    }
}

/// Where an entry comes from; curated rows win over imported ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    GeoNames,
    Ocha,
    Curated,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::GeoNames => "geonames",
            Source::Ocha => "ocha",
            Source::Curated => "curated",
        }
    }
}

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    pub id: String,
    pub kind: Kind,
    pub name_fr: String,
    pub name_en: String,
    pub name_ar: String,
    /// Other spellings.
    pub variants: Vec<String>,
    /// ISO 3166 alpha-2.
    pub country: String,
    /// Governorate (canonical English name) for Syrian places.
    pub admin1: String,
    pub parent: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub population: Option<u64>,
    pub geonameid: Option<u64>,
    pub source: Source,
    pub note: String,
}

impl Place {
    pub fn in_syria(&self) -> bool {
        self.country == "SY"
    }

    /// The display name: French first, as the product is French.
    pub fn name(&self) -> &str {
        if self.name_fr.is_empty() {
            &self.name_en
        } else {
            &self.name_fr
        }
    }

    /// Every name the place is known by.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [
            self.name_fr.as_str(),
            self.name_en.as_str(),
            self.name_ar.as_str(),
        ]
        .into_iter()
        .chain(self.variants.iter().map(String::as_str))
        .filter(|n| !n.trim().is_empty())
    }
}

/// Great-circle distance in kilometres.
pub fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    6371.0 * 2.0 * a.sqrt().min(1.0).asin()
}

/// The point `distance_km` away from (lat, lon) towards `bearing_deg`
/// (0 = north, 90 = east).
pub fn offset_point(lat: f64, lon: f64, bearing_deg: f64, distance_km: f64) -> (f64, f64) {
    let r = 6371.0;
    let d = distance_km / r;
    let b = bearing_deg.to_radians();
    let (p1, l1) = (lat.to_radians(), lon.to_radians());
    let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * b.cos()).asin();
    let l2 = l1 + (b.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
    (p2.to_degrees(), l2.to_degrees())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_between_aleppo_and_damascus_is_about_310_km() {
        let d = distance_km(36.20124, 37.16117, 33.5102, 36.29128);
        assert!((d - 310.0).abs() < 10.0, "{d}");
    }

    #[test]
    fn offset_10_km_south_west_is_10_km_away() {
        let (lat, lon) = offset_point(36.2, 37.16, 225.0, 10.0);
        assert!(lat < 36.2 && lon < 37.16);
        assert!((distance_km(36.2, 37.16, lat, lon) - 10.0).abs() < 0.01);
    }

    #[test]
    fn kinds_parse_both_spellings() {
        assert_eq!("neighbourhood".parse::<Kind>(), Ok(Kind::Neighbourhood));
        assert_eq!("neighborhood".parse::<Kind>(), Ok(Kind::Neighbourhood));
        assert!("hamlet".parse::<Kind>().is_err());
    }
}
