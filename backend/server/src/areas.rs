//! Areas of control as of a date, derived from the places whose latest
//! controller is known: pure (points and a border in, polygons out).
//!
//! The country is cut into a grid of cells of about `cell_km`. Each cell
//! takes the side of its nearest controlled place (a discrete Voronoi
//! diagram), unless
//! - no known place lies within `reach_km`: the cell stays uncoloured;
//! - the nearest place of another side is less than `contested_km`
//!   farther than the nearest one: the cell is contested;
//! - the nearest place's controller is unknown: the cell is unknown, never
//!   given to a side.
//!
//! A cell whose nearest place has had no news for `stale_days` is stale.
//! Cells of one class that follow each other in a row merge into one
//! rectangle; the rectangles of a class are merged into whole shapes,
//! then clipped to the border.

use chrono::NaiveDate;
use frontline_store::ControlPoint;
use geo::{unary_union, BooleanOps, BoundingRect, Intersects, MultiPolygon, Polygon, Rect};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

const KM_PER_DEG_LAT: f64 = 111.32;

/// Tuning of the area computation; the defaults suit a country the size
/// of Syria and news-placed towns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaOptions {
    /// Size of a grid cell, in km (default 5).
    pub cell_km: f64,
    /// Beyond this distance from every known place, no colour (default 35).
    pub reach_km: f64,
    /// Width of the contested band between two sides, in km (default 6).
    pub contested_km: f64,
    /// A place with no news for this many days is stale (default 180).
    pub stale_days: i64,
}

/// Control news older than this many days is flagged `stale` by default,
/// on the control points and the areas alike.
pub const STALE_DAYS: i64 = 180;

impl Default for AreaOptions {
    fn default() -> Self {
        AreaOptions {
            cell_km: 5.0,
            reach_km: 35.0,
            contested_km: 6.0,
            stale_days: STALE_DAYS,
        }
    }
}

/// A place and who controls it.
#[derive(Debug, Clone, PartialEq)]
pub struct Holder {
    pub lat: f64,
    pub lon: f64,
    /// `None` when the news does not say who took it.
    pub actor: Option<String>,
    /// The latest news of any kind about the place.
    pub last_report: Option<NaiveDate>,
}

impl From<ControlPoint> for Holder {
    /// A place's latest control news; its last report is the latest news
    /// of any kind there, or that control news itself.
    fn from(c: ControlPoint) -> Holder {
        Holder {
            lat: c.lat,
            lon: c.lon,
            last_report: c
                .last_report
                .as_deref()
                .or(Some(c.since.as_str()))
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            actor: c.actor,
        }
    }
}

/// What a cell shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Held by the named actor.
    Held,
    /// Two sides within `contested_km` of each other.
    Contested,
    /// The nearest place's controller is not known.
    Unknown,
}

/// One class of cells: a status, the actor for `Held`, and staleness.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Class {
    pub status: Status,
    pub actor: Option<String>,
    pub stale: bool,
}

/// The area of one class.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    pub class: Class,
    pub shape: MultiPolygon<f64>,
}

/// Approximate distance in km on an equirectangular projection around
/// `lat0` (good to well under 1% over a few hundred km at Syria's
/// latitudes, and much cheaper than haversine for a grid).
fn km(lat0_cos: f64, a: (f64, f64), b: (f64, f64)) -> f64 {
    let dy = (a.0 - b.0) * KM_PER_DEG_LAT;
    let dx = (a.1 - b.1) * KM_PER_DEG_LAT * lat0_cos;
    (dx * dx + dy * dy).sqrt()
}

/// The side a holder stands for, as a map key.
fn side(h: &Holder) -> Option<&str> {
    h.actor.as_deref().map(str::trim).filter(|a| !a.is_empty())
}

/// Holders bucketed by whole degrees divided into `bucket` steps, so that a
/// cell looks only at its neighbourhood.
struct Buckets<'a> {
    size: f64,
    cells: HashMap<(i64, i64), Vec<&'a Holder>>,
}

impl<'a> Buckets<'a> {
    fn new(holders: &'a [Holder], size: f64) -> Self {
        let mut cells: HashMap<(i64, i64), Vec<&Holder>> = HashMap::new();
        for h in holders
            .iter()
            .filter(|h| h.lat.is_finite() && h.lon.is_finite())
        {
            cells
                .entry(Self::key(size, h.lat, h.lon))
                .or_default()
                .push(h);
        }
        Buckets { size, cells }
    }

    fn key(size: f64, lat: f64, lon: f64) -> (i64, i64) {
        ((lat / size).floor() as i64, (lon / size).floor() as i64)
    }

    fn near(&self, lat: f64, lon: f64) -> impl Iterator<Item = &'a Holder> + '_ {
        let (r, c) = Self::key(self.size, lat, lon);
        (r - 1..=r + 1)
            .flat_map(move |i| (c - 1..=c + 1).map(move |j| (i, j)))
            .filter_map(|k| self.cells.get(&k))
            .flatten()
            .copied()
    }
}

/// The class of the cell centred at (`lat`, `lon`), if it is coloured.
fn classify(
    buckets: &Buckets,
    lat: f64,
    lon: f64,
    at: NaiveDate,
    o: &AreaOptions,
) -> Option<Class> {
    let cos = lat.to_radians().cos();
    let mut nearest: Option<(f64, &Holder)> = None;
    for h in buckets.near(lat, lon) {
        let d = km(cos, (lat, lon), (h.lat, h.lon));
        if d <= o.reach_km && nearest.is_none_or(|(best, _)| d < best) {
            nearest = Some((d, h));
        }
    }
    let (d1, h1) = nearest?;
    let stale = h1
        .last_report
        .is_none_or(|last| (at - last).num_days() > o.stale_days);
    let Some(mine) = side(h1) else {
        return Some(Class {
            status: Status::Unknown,
            actor: None,
            stale,
        });
    };
    let contested = buckets.near(lat, lon).any(|h| {
        side(h).is_some_and(|s| s != mine)
            && km(cos, (lat, lon), (h.lat, h.lon)) - d1 < o.contested_km
    });
    Some(if contested {
        Class {
            status: Status::Contested,
            actor: None,
            stale,
        }
    } else {
        Class {
            status: Status::Held,
            actor: Some(mine.to_string()),
            stale,
        }
    })
}

/// Areas of control inside `border` as of `at`, one per class, in class
/// order. Holders outside the border still colour the cells they are
/// nearest to inside it.
pub fn areas(
    holders: &[Holder],
    border: &MultiPolygon<f64>,
    at: NaiveDate,
    o: &AreaOptions,
) -> Vec<Area> {
    let Some(bounds) = border.bounding_rect() else {
        return Vec::new();
    };
    let positive = |x: f64| x.is_finite() && x > 0.0;
    if holders.is_empty() || !positive(o.cell_km) || !positive(o.reach_km) {
        return Vec::new();
    }
    let mid_lat = (bounds.min().y + bounds.max().y) / 2.0;
    let dlat = o.cell_km / KM_PER_DEG_LAT;
    let dlon = o.cell_km / (KM_PER_DEG_LAT * mid_lat.to_radians().cos().max(0.01));
    // Buckets at least as wide as the reach, in degrees of longitude.
    let bucket = (o.reach_km + o.contested_km) / (KM_PER_DEG_LAT * 0.5);
    let buckets = Buckets::new(holders, bucket.max(dlon));
    let rows = ((bounds.height() / dlat).ceil() as usize).max(1);
    let cols = ((bounds.width() / dlon).ceil() as usize).max(1);

    let mut runs: BTreeMap<Class, Vec<Polygon<f64>>> = BTreeMap::new();
    for r in 0..rows {
        let y0 = bounds.min().y + r as f64 * dlat;
        let row = Rect::new((bounds.min().x, y0), (bounds.max().x, y0 + dlat)).to_polygon();
        if !border.intersects(&row) {
            continue;
        }
        let mut current: Option<(Class, usize)> = None;
        for c in 0..=cols {
            // Classify first (cheap), then test the border only for
            // coloured cells.
            let class = (c < cols).then_some(()).and_then(|()| {
                let x0 = bounds.min().x + c as f64 * dlon;
                let cell = Rect::new((x0, y0), (x0 + dlon, y0 + dlat));
                let centre = cell.center();
                classify(&buckets, centre.y, centre.x, at, o).filter(|_| border.intersects(&cell))
            });
            if current.as_ref().map(|(k, _)| k) != class.as_ref() {
                if let Some((k, start)) = current.take() {
                    let x0 = bounds.min().x + start as f64 * dlon;
                    let x1 = bounds.min().x + c as f64 * dlon;
                    runs.entry(k)
                        .or_default()
                        .push(Rect::new((x0, y0), (x1, y0 + dlat)).to_polygon());
                }
                current = class.map(|k| (k, c));
            }
        }
    }

    // The runs of a class merged into whole shapes before clipping: the
    // map draws each area's edge (for contrast with the land), which must
    // follow the area's outline, not the grid's rows.
    runs.into_iter()
        .map(|(class, rects)| Area {
            class,
            shape: unary_union(&rects).intersection(border),
        })
        .filter(|a| !a.shape.0.is_empty())
        .collect()
}

/// A country's outline from a TopoJSON topology (such as world-atlas's
/// `countries-50m.json`): the geometry of `object` whose `id` or
/// `properties.name` is `wanted`.
pub fn country_from_topojson(
    json: &str,
    object: &str,
    wanted: &str,
) -> Result<MultiPolygon<f64>, String> {
    let mut doc: serde_json::Value =
        serde_json::from_str(json).map_err(|e| format!("cannot read TopoJSON: {e}"))?;
    // Only the wanted geometry is converted: the rest of the world would
    // cost start-up time (and a warning each from the topojson crate).
    // The id is also copied into the properties, where the GeoJSON reader
    // below keeps it (the topojson crate warns for a geometry without one).
    if let Some(geoms) = doc
        .pointer_mut(&format!("/objects/{object}/geometries"))
        .and_then(|g| g.as_array_mut())
    {
        geoms.retain(|g| {
            let id = match g.get("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            id == wanted || g.pointer("/properties/name").and_then(|v| v.as_str()) == Some(wanted)
        });
        for g in geoms.iter_mut().filter_map(|g| g.as_object_mut()) {
            if let Some(id) = g.get("id").cloned() {
                let props = g
                    .entry("properties")
                    .or_insert_with(|| serde_json::json!({}));
                if let Some(p) = props.as_object_mut() {
                    p.insert("id".into(), id);
                }
            }
        }
    }
    let topo = match doc {
        serde_json::Value::Object(o) => match topojson::TopoJson::from_json_object(o) {
            Ok(topojson::TopoJson::Topology(t)) => t,
            Ok(_) => return Err("not a TopoJSON topology".into()),
            Err(e) => return Err(format!("cannot read TopoJSON: {e}")),
        },
        _ => return Err("not a TopoJSON topology".into()),
    };
    let collection =
        topojson::to_geojson(&topo, object).map_err(|e| format!("no object {object:?}: {e}"))?;
    // topojson speaks an older geojson; go through JSON to the current one.
    let value = serde_json::to_value(&collection).map_err(|e| e.to_string())?;
    let collection = geojson::FeatureCollection::try_from(value).map_err(|e| e.to_string())?;
    let feature = collection
        .features
        .into_iter()
        .find(|f| {
            let id = match f.property("id") {
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            id == wanted || f.property("name").and_then(|v| v.as_str()) == Some(wanted)
        })
        .ok_or_else(|| format!("no feature {wanted:?} in {object:?}"))?;
    let geometry = feature
        .geometry
        .ok_or_else(|| format!("{wanted:?} has no geometry"))?;
    match geo::Geometry::<f64>::try_from(geometry).map_err(|e| e.to_string())? {
        geo::Geometry::Polygon(p) => Ok(MultiPolygon(vec![p])),
        geo::Geometry::MultiPolygon(m) => Ok(m),
        _ => Err(format!("{wanted:?} is not a polygon")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area as _, Contains, Point};

    fn square(w: f64, s: f64, e: f64, n: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![Rect::new((w, s), (e, n)).to_polygon()])
    }

    fn holder(lat: f64, lon: f64, actor: Option<&str>, last: &str) -> Holder {
        Holder {
            lat,
            lon,
            actor: actor.map(String::from),
            last_report: NaiveDate::parse_from_str(last, "%Y-%m-%d").ok(),
        }
    }

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn find<'a>(areas: &'a [Area], status: Status, actor: Option<&str>) -> Option<&'a Area> {
        areas
            .iter()
            .find(|a| a.class.status == status && a.class.actor.as_deref() == actor)
    }

    #[test]
    fn two_sides_split_the_land_with_a_contested_band_between() {
        // 1° × 1° box, two towns 0.5° of longitude (~45 km) apart.
        let border = square(36.0, 35.0, 37.0, 36.0);
        let holders = [
            holder(35.5, 36.25, Some("Syrian government"), "2020-01-01"),
            holder(35.5, 36.75, Some("HTS"), "2020-01-01"),
        ];
        let a = areas(
            &holders,
            &border,
            day("2020-02-01"),
            &AreaOptions::default(),
        );
        let gov = find(&a, Status::Held, Some("Syrian government")).expect("government area");
        let hts = find(&a, Status::Held, Some("HTS")).expect("HTS area");
        let band = find(&a, Status::Contested, None).expect("contested band");
        assert!(gov.shape.contains(&Point::new(36.25, 35.5)));
        assert!(hts.shape.contains(&Point::new(36.75, 35.5)));
        assert!(band.shape.contains(&Point::new(36.5, 35.5)));
        assert!(!gov.shape.contains(&Point::new(36.7, 35.5)));
        assert!(!a.iter().any(|x| x.class.stale));
    }

    #[test]
    fn a_sides_rows_merge_into_one_shape_without_seams() {
        // One town alone in a box: its area is a single polygon without
        // holes (the map draws its edge, which must not follow the rows).
        let border = square(36.0, 35.0, 37.0, 36.0);
        let holders = [holder(35.5, 36.5, Some("SDF"), "2020-01-01")];
        let a = areas(
            &holders,
            &border,
            day("2020-02-01"),
            &AreaOptions::default(),
        );
        let sdf = find(&a, Status::Held, Some("SDF")).expect("SDF area");
        assert_eq!(sdf.shape.0.len(), 1, "{} pieces", sdf.shape.0.len());
        assert!(sdf.shape.0[0].interiors().is_empty());
        assert!(sdf.shape.contains(&Point::new(36.5, 35.5)));
    }

    #[test]
    fn nothing_is_coloured_beyond_the_reach() {
        let border = square(36.0, 35.0, 38.0, 36.0);
        let holders = [holder(35.5, 36.2, Some("SDF"), "2020-01-01")];
        let a = areas(
            &holders,
            &border,
            day("2020-01-02"),
            &AreaOptions::default(),
        );
        assert_eq!(a.len(), 1);
        let sdf = &a[0].shape;
        assert!(sdf.contains(&Point::new(36.2, 35.5)));
        // 0.5° of longitude is ~45 km at 35.5°N: out of reach.
        assert!(!sdf.contains(&Point::new(36.7, 35.5)));
        assert!(!sdf.contains(&Point::new(37.5, 35.5)));
        // About a 35 km disc: π·35² ≈ 3850 km², in square degrees here.
        let km2 =
            sdf.unsigned_area() * KM_PER_DEG_LAT * KM_PER_DEG_LAT * 35.5f64.to_radians().cos();
        assert!((3000.0..4800.0).contains(&km2), "area {km2} km²");
    }

    #[test]
    fn areas_are_clipped_to_the_border() {
        // A triangle: everything coloured must stay inside it.
        let tri = MultiPolygon(vec![Polygon::new(
            vec![(36.0, 35.0), (37.0, 35.0), (36.0, 36.0), (36.0, 35.0)].into(),
            vec![],
        )]);
        let holders = [holder(35.3, 36.3, Some("Turkey"), "2020-01-01")];
        let a = areas(&holders, &tri, day("2020-01-02"), &AreaOptions::default());
        let shape = &a[0].shape;
        let outside = shape.difference(&tri);
        assert!(
            outside.unsigned_area() < 1e-9,
            "{}",
            outside.unsigned_area()
        );
        assert!(shape.unsigned_area() > 0.0);
    }

    #[test]
    fn unknown_controllers_stay_unknown() {
        let border = square(36.0, 35.0, 37.0, 36.0);
        let holders = [
            holder(35.5, 36.2, None, "2020-01-01"),
            holder(35.5, 36.8, Some("  "), "2020-01-01"),
        ];
        let a = areas(
            &holders,
            &border,
            day("2020-01-02"),
            &AreaOptions::default(),
        );
        assert!(a
            .iter()
            .all(|x| x.class.status == Status::Unknown && x.class.actor.is_none()));
        assert!(!a.is_empty());
    }

    #[test]
    fn places_without_recent_news_are_stale() {
        let border = square(36.0, 35.0, 37.0, 36.0);
        let holders = [
            holder(35.5, 36.2, Some("Islamic State"), "2015-01-01"),
            holder(35.5, 36.8, Some("Syrian government"), "2019-12-01"),
        ];
        let a = areas(
            &holders,
            &border,
            day("2020-01-01"),
            &AreaOptions::default(),
        );
        let is = a
            .iter()
            .find(|x| x.class.actor.as_deref() == Some("Islamic State"))
            .expect("IS area");
        assert!(is.class.stale);
        let gov = a
            .iter()
            .find(|x| x.class.actor.as_deref() == Some("Syrian government"))
            .expect("government area");
        assert!(!gov.class.stale);
    }

    #[test]
    fn no_holders_or_no_border_give_nothing() {
        let border = square(36.0, 35.0, 37.0, 36.0);
        assert!(areas(&[], &border, day("2020-01-01"), &AreaOptions::default()).is_empty());
        let h = [holder(35.5, 36.5, Some("SDF"), "2020-01-01")];
        assert!(areas(
            &h,
            &MultiPolygon(vec![]),
            day("2020-01-01"),
            &AreaOptions::default()
        )
        .is_empty());
        let bad = AreaOptions {
            cell_km: 0.0,
            ..AreaOptions::default()
        };
        assert!(areas(&h, &border, day("2020-01-01"), &bad).is_empty());
    }

    #[test]
    fn a_country_is_read_from_topojson() {
        // Two squares sharing an arc, quantised, as world-atlas writes them.
        let topo = r#"{"type":"Topology",
          "transform":{"scale":[0.001,0.001],"translate":[36,35]},
          "objects":{"countries":{"type":"GeometryCollection","geometries":[
            {"type":"Polygon","id":"760","properties":{"name":"Syria"},"arcs":[[0,1]]},
            {"type":"Polygon","id":"422","properties":{"name":"Lebanon"},"arcs":[[-1,2]]}]}},
          "arcs":[[[1000,0],[0,1000]],[[1000,1000],[-1000,0],[0,-1000],[1000,0]],
                  [[1000,0],[1000,0],[0,1000],[-1000,0]]]}"#;
        let syria = country_from_topojson(topo, "countries", "Syria").expect("Syria");
        assert!(
            (syria.unsigned_area() - 1.0).abs() < 1e-9,
            "{}",
            syria.unsigned_area()
        );
        assert!(syria.contains(&Point::new(36.5, 35.5)));
        let by_id = country_from_topojson(topo, "countries", "422").expect("Lebanon by id");
        assert!(by_id.contains(&Point::new(37.5, 35.5)));
        assert!(country_from_topojson(topo, "countries", "Atlantis").is_err());
        assert!(country_from_topojson("{}", "countries", "Syria").is_err());
    }
}
