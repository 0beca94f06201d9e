//! What the map draws beneath the events, loaded once when the server
//! starts: Syria's outline (Natural Earth, from the world-atlas npm
//! package, to clip the areas of control), the admin boundaries a user
//! gave (`--boundaries`), and the governorate capitals (from the
//! gazetteer, for the offline basemap).

use crate::areas;
use crate::error::{Error, Result};
use crate::frontend;
use gazetteer::{Gazetteer, Kind};
use geo::{LineString, MultiPolygon};
use serde::Serialize;
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Syria's outline from world-atlas's `countries-50m.json`: the copy
/// embedded in the binary, or the one in the `--assets` folder.
pub fn syria_border(assets: Option<&Path>) -> Result<MultiPolygon<f64>> {
    let text = frontend::read(assets, frontend::ATLAS)?;
    let text = std::str::from_utf8(&text).map_err(|e| Error::File {
        path: PathBuf::from(frontend::ATLAS),
        message: e.to_string(),
    })?;
    areas::country_from_topojson(text, "countries", "Syria").map_err(|message| Error::File {
        path: PathBuf::from(frontend::ATLAS),
        message,
    })
}

/// A country's outline, by its ISO 3166 numeric id ("760" is Syria).
#[derive(Debug, Clone)]
pub struct Outline {
    pub id: String,
    pub shape: MultiPolygon<f64>,
}

/// The id of Syria in world-atlas.
pub const SYRIA_ID: &str = "760";

/// The countries around Syria (their outlines reach into 25–55°E,
/// 25–45°N), for the static maps' basemap.
pub fn outlines_near_syria(assets: Option<&Path>) -> Result<Vec<Outline>> {
    use geo::{BoundingRect, Intersects, Rect};
    let text = frontend::read(assets, frontend::ATLAS)?;
    let text = std::str::from_utf8(&text).map_err(|e| Error::File {
        path: PathBuf::from(frontend::ATLAS),
        message: e.to_string(),
    })?;
    let region = Rect::new((25.0, 25.0), (55.0, 45.0));
    let all =
        areas::countries_from_topojson(text, "countries", |_, _| true).map_err(|message| {
            Error::File {
                path: PathBuf::from(frontend::ATLAS),
                message,
            }
        })?;
    Ok(all
        .into_iter()
        .filter(|(_, shape)| shape.bounding_rect().is_some_and(|b| b.intersects(&region)))
        .map(|(id, shape)| Outline { id, shape })
        .collect())
}

/// Admin boundaries loaded from a GeoJSON file (`--boundaries`), checked
/// when the server starts and served as a FeatureCollection.
#[derive(Debug, Clone)]
pub struct Boundaries {
    pub path: PathBuf,
    pub features: usize,
    pub geojson: Value,
    /// Every ring and line of the features, for the static images.
    pub lines: Vec<LineString<f64>>,
}

impl Boundaries {
    /// Read and check the file.
    pub fn from_file(path: &Path) -> Result<Boundaries> {
        let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
        Boundaries::parse(path.to_path_buf(), &text)
    }

    /// Any GeoJSON document: a FeatureCollection, a Feature or a geometry,
    /// kept as a FeatureCollection of its polygon and line features.
    pub fn parse(path: PathBuf, text: &str) -> Result<Boundaries> {
        let fail = |message: String| Error::File {
            path: path.clone(),
            message,
        };
        let doc: geojson::GeoJson = text
            .parse()
            .map_err(|e| fail(format!("not GeoJSON: {e}")))?;
        let features = match doc {
            geojson::GeoJson::FeatureCollection(fc) => fc.features,
            geojson::GeoJson::Feature(f) => vec![f],
            geojson::GeoJson::Geometry(g) => vec![geojson::Feature {
                geometry: Some(g),
                ..geojson::Feature::default()
            }],
        };
        let features: Vec<geojson::Feature> = features
            .into_iter()
            .filter(|f| {
                f.geometry.as_ref().is_some_and(|g| {
                    matches!(
                        g.value,
                        geojson::Value::Polygon(_)
                            | geojson::Value::MultiPolygon(_)
                            | geojson::Value::LineString(_)
                            | geojson::Value::MultiLineString(_)
                    )
                })
            })
            .collect();
        if features.is_empty() {
            return Err(fail("no polygon or line features".into()));
        }
        let n = features.len();
        let lines = features
            .iter()
            .filter_map(|f| f.geometry.as_ref())
            .filter_map(|g| geo::Geometry::<f64>::try_from(g).ok())
            .flat_map(geometry_lines)
            .collect();
        let fc = geojson::FeatureCollection {
            bbox: None,
            features,
            foreign_members: None,
        };
        let geojson = serde_json::to_value(&fc).map_err(|e| fail(e.to_string()))?;
        Ok(Boundaries {
            path,
            features: n,
            geojson,
            lines,
        })
    }
}

/// The rings of polygons and the lines of a geometry.
fn geometry_lines(g: geo::Geometry<f64>) -> Vec<LineString<f64>> {
    let rings = |p: geo::Polygon<f64>| {
        let (exterior, interiors) = p.into_inner();
        std::iter::once(exterior).chain(interiors)
    };
    match g {
        geo::Geometry::Polygon(p) => rings(p).collect(),
        geo::Geometry::MultiPolygon(m) => m.0.into_iter().flat_map(rings).collect(),
        geo::Geometry::LineString(l) => vec![l],
        geo::Geometry::MultiLineString(m) => m.0,
        _ => Vec::new(),
    }
}

/// A governorate capital: a name and a point.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Capital {
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// The governorate capitals: for each Syrian governorate (placed at its
/// capital in the gazetteer), the city at that point, named in French or
/// English; one label per point.
pub fn capitals(g: &Gazetteer, english: bool) -> Vec<Capital> {
    let places = g.places();
    let mut out: Vec<Capital> = Vec::new();
    for gov in places
        .iter()
        .filter(|p| p.kind == Kind::Governorate && p.in_syria())
    {
        let city = places
            .iter()
            .filter(|p| matches!(p.kind, Kind::City | Kind::Town) && p.in_syria())
            .map(|p| (gazetteer::distance_km(p.lat, p.lon, gov.lat, gov.lon), p))
            .filter(|(d, _)| *d < 5.0)
            .min_by(|a, b| {
                a.0.total_cmp(&b.0)
                    .then(b.1.population.cmp(&a.1.population))
            })
            .map(|(_, p)| p);
        let name = match (city, english) {
            (Some(c), true) if !c.name_en.is_empty() => c.name_en.clone(),
            (Some(c), _) => c.name().to_string(),
            (None, true) if !gov.admin1.is_empty() => gov.admin1.clone(),
            (None, _) => gov.name().to_string(),
        };
        let (lat, lon) = city.map_or((gov.lat, gov.lon), |c| (c.lat, c.lon));
        if out
            .iter()
            .any(|c| gazetteer::distance_km(c.lat, c.lon, lat, lon) < 1.0)
        {
            continue;
        }
        out.push(Capital { name, lat, lon });
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boundaries_keep_polygon_features() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"Idleb"},"geometry":{"type":"Polygon","coordinates":[[[36,35.5],[37,35.5],[37,36.3],[36,36.3],[36,35.5]]]}},
            {"type":"Feature","properties":{"name":"a point"},"geometry":{"type":"Point","coordinates":[36,35]}}]}"#;
        let b = Boundaries::parse("b.geojson".into(), text).unwrap();
        assert_eq!(b.features, 1);
        assert_eq!(b.geojson["features"][0]["properties"]["name"], "Idleb");
        let e = Boundaries::parse("x".into(), "{\"type\":\"Point\",\"coordinates\":[1,2]}")
            .unwrap_err();
        assert_eq!(e.to_string(), "x: no polygon or line features");
        let e = Boundaries::parse("x".into(), "not json").unwrap_err();
        assert!(e.to_string().starts_with("x: not GeoJSON"), "{e}");
    }

    #[test]
    fn the_countries_around_syria_are_outlined() {
        let outlines = outlines_near_syria(None).unwrap();
        let ids: Vec<&str> = outlines.iter().map(|o| o.id.as_str()).collect();
        // Syria, Lebanon, Turkey, Iraq, Jordan, Israel.
        for id in [SYRIA_ID, "422", "792", "368", "400", "376"] {
            assert!(ids.contains(&id), "{id} in {ids:?}");
        }
        assert!(!ids.contains(&"076"), "not Brazil");
    }

    #[test]
    fn capitals_are_the_governorate_seats_once_each() {
        let g = Gazetteer::builtin().unwrap();
        let fr = capitals(&g, false);
        let names: Vec<&str> = fr.iter().map(|c| c.name.as_str()).collect();
        for want in ["Alep", "Damas", "Homs", "Hama", "Idleb", "Raqqa"] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        // Damascus and Rif Dimashq share a seat: one label.
        assert_eq!(
            names.iter().filter(|n| n.starts_with("Damas")).count(),
            1,
            "{names:?}"
        );
        assert!((12..=14).contains(&fr.len()), "{names:?}");
        let en = capitals(&g, true);
        assert!(en.iter().any(|c| c.name == "Aleppo"), "{en:?}");
    }
}
