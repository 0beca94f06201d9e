//! Areas of control and front lines as of a date, derived from the places
//! whose latest controller is known: pure (points and a border in,
//! polygons and lines out).
//!
//! On a flat km projection around Syria, every place gets the cell of
//! the points nearer to it than to any other place (a power diagram: a
//! Voronoi diagram in which stale places count as farther away), limited
//! to `reach_km` around the place. Cells are then dissolved per class:
//! - held by a side: the cells of that side's places;
//! - contested: the band of `contested_km` along the border between two
//!   sides (where the nearest place of another side is less than
//!   `contested_km` farther than the nearest place), cut out of both;
//! - unknown: the cells of places whose controller the news does not name.
//!
//! A class is stale where its place has had no news for `stale_days`;
//! a stale place is also weighted down: its distances are lengthened by
//! `stale_penalty_km` (in the power sense, `√(d² + penalty²)`), so fresher
//! neighbours take part of its ground.
//!
//! Areas are clipped to the border and simplified; front lines are where
//! two sides' cells meet (before the contested band is cut), joined into
//! lines, clipped to the border, with the newest report behind each.

mod cells;
mod lines;
mod outline;
mod rings;

pub use outline::{countries_from_topojson, country_from_topojson};

use cells::{bisector, power_cells, Cell, Edge, Neighbourhood, Pt, Site};
use chrono::NaiveDate;
use frontline_store::ControlPoint;
use geo::{
    unary_union, BooleanOps, BoundingRect, LineString, MapCoords, MultiLineString, MultiPolygon,
    Polygon, Simplify,
};
use serde::Serialize;
use std::collections::BTreeMap;

const KM_PER_DEG_LAT: f64 = 111.32;

/// Tuning of the area computation; the defaults suit a country the size
/// of Syria and news-placed towns.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AreaOptions {
    /// Beyond this distance from every known place, no colour (default 35).
    pub reach_km: f64,
    /// Width of the contested band between two sides, in km (default 6).
    pub contested_km: f64,
    /// A place with no news for this many days is stale (default 180).
    pub stale_days: i64,
    /// How much farther a stale place counts, in km (default 10): on the
    /// line to a fresh neighbour 20 km away, the border moves 2.5 km
    /// toward the stale place (`penalty² / 2d`).
    pub stale_penalty_km: f64,
    /// Largest deviation simplification may introduce, in km (default 0.3).
    pub simplify_km: f64,
}

/// Control news older than this many days is flagged `stale` by default,
/// on the control points and the areas alike.
pub const STALE_DAYS: i64 = 180;

impl Default for AreaOptions {
    fn default() -> Self {
        AreaOptions {
            reach_km: 35.0,
            contested_km: 6.0,
            stale_days: STALE_DAYS,
            stale_penalty_km: 10.0,
            simplify_km: 0.3,
        }
    }
}

impl AreaOptions {
    fn usable(&self) -> bool {
        let non_negative = |x: f64| x.is_finite() && x >= 0.0;
        self.reach_km.is_finite()
            && self.reach_km > 0.0
            && non_negative(self.contested_km)
            && non_negative(self.stale_penalty_km)
            && non_negative(self.simplify_km)
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

/// What an area shows.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Held by the named actor.
    Held,
    /// Within the band between two sides.
    Contested,
    /// The nearest place's controller is not known.
    Unknown,
}

/// One class of area: a status, the actor for `Held`, and staleness.
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

/// Where the areas of two sides meet.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontLine {
    /// The two sides, in alphabetical order.
    pub sides: [String; 2],
    /// The newest news about the places on either side of the line.
    pub newest_report: Option<NaiveDate>,
    /// Whether that news is older than `stale_days`.
    pub stale: bool,
    pub shape: MultiLineString<f64>,
}

/// Everything the map draws for control as of a date.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ControlMap {
    /// One area per class, in class order.
    pub areas: Vec<Area>,
    /// Front lines, by pair of sides.
    pub front_lines: Vec<FrontLine>,
}

/// An equirectangular projection to km around the border's centre
/// (good to well under 1% over a few hundred km at Syria's latitudes).
#[derive(Debug, Clone, Copy)]
struct Projection {
    lon0: f64,
    lat0: f64,
    km_per_deg_lon: f64,
}

impl Projection {
    fn around(border: &MultiPolygon<f64>) -> Option<Projection> {
        let b = border.bounding_rect()?;
        let c = b.center();
        Some(Projection {
            lon0: c.x,
            lat0: c.y,
            km_per_deg_lon: KM_PER_DEG_LAT * c.y.to_radians().cos().max(0.01),
        })
    }

    fn km(&self, lon: f64, lat: f64) -> Pt {
        Pt {
            x: (lon - self.lon0) * self.km_per_deg_lon,
            y: (lat - self.lat0) * KM_PER_DEG_LAT,
        }
    }

    fn deg(&self, p: Pt) -> Pt {
        Pt {
            x: p.x / self.km_per_deg_lon + self.lon0,
            y: p.y / KM_PER_DEG_LAT + self.lat0,
        }
    }
}

/// A holder as the diagram sees it.
struct Place<'a> {
    side: Option<&'a str>,
    stale: bool,
    last_report: Option<NaiveDate>,
}

/// The side a holder stands for.
fn side(h: &Holder) -> Option<&str> {
    h.actor.as_deref().map(str::trim).filter(|a| !a.is_empty())
}

/// Two places of different, known sides.
fn opposed(a: &Place, b: &Place) -> bool {
    matches!((a.side, b.side), (Some(x), Some(y)) if x != y)
}

/// Areas of control and front lines inside `border` as of `at`. Holders
/// outside the border still colour the ground they are nearest to inside.
pub fn control_map(
    holders: &[Holder],
    border: &MultiPolygon<f64>,
    at: NaiveDate,
    o: &AreaOptions,
) -> ControlMap {
    let Some(proj) = Projection::around(border) else {
        return ControlMap::default();
    };
    if !o.usable() {
        return ControlMap::default();
    }
    let holders: Vec<&Holder> = holders
        .iter()
        .filter(|h| h.lat.is_finite() && h.lon.is_finite())
        .collect();
    let places: Vec<Place> = holders
        .iter()
        .map(|h| Place {
            side: side(h),
            stale: h
                .last_report
                .is_none_or(|last| (at - last).num_days() > o.stale_days),
            last_report: h.last_report,
        })
        .collect();
    let sites: Vec<Site> = holders
        .iter()
        .zip(&places)
        .map(|(h, p)| Site {
            at: proj.km(h.lon, h.lat),
            weight: if p.stale {
                o.stale_penalty_km * o.stale_penalty_km
            } else {
                0.0
            },
        })
        .collect();
    // Farther than this, a place cannot change another's cell or band.
    let range = 2.0 * o.reach_km + o.stale_penalty_km + o.contested_km;
    let near = Neighbourhood::new(&sites, range);
    let cells = power_cells(&sites, o.reach_km, &near);
    // The border simplified once: the areas follow it within
    // `simplify_km`, with a fraction of its vertices.
    let border_km = border
        .map_coords(|c| proj.km(c.x, c.y))
        .simplify(&o.simplify_km);
    let diagram = Diagram {
        places: &places,
        sites: &sites,
        cells: &cells,
        near: &near,
        border_km: &border_km,
        proj,
        o,
    };
    ControlMap {
        areas: diagram.areas(),
        front_lines: diagram.front_lines(at),
    }
}

/// The computed cells and what they are needed with.
struct Diagram<'a> {
    places: &'a [Place<'a>],
    sites: &'a [Site],
    cells: &'a [Cell],
    near: &'a Neighbourhood,
    border_km: &'a MultiPolygon<f64>,
    proj: Projection,
    o: &'a AreaOptions,
}

impl Diagram<'_> {
    /// Place `i`'s cell less the contested band along other sides.
    fn core(&self, i: usize) -> Cell {
        let mut core = self.cells[i].clone();
        let margin = self.o.contested_km / 2.0;
        for j in self.near.around(self.sites[i].at) {
            if j == i || !opposed(&self.places[i], &self.places[j]) || margin == 0.0 {
                continue;
            }
            let (normal, offset) = bisector(&self.sites[i], &self.sites[j], margin);
            core = core.clip(normal, offset, Edge::Reach);
            if core.is_empty() {
                break;
            }
        }
        core
    }

    /// Each class's pieces (cells or parts of cells), in km.
    fn pieces(&self) -> BTreeMap<Class, Vec<Polygon<f64>>> {
        let mut out: BTreeMap<Class, Vec<Polygon<f64>>> = BTreeMap::new();
        for (i, cell) in self.cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let p = &self.places[i];
            let class = |status, actor: Option<&str>| Class {
                status,
                actor: actor.map(String::from),
                stale: p.stale,
            };
            let Some(side) = p.side else {
                out.entry(class(Status::Unknown, None))
                    .or_default()
                    .push(cell.polygon());
                continue;
            };
            let core = self.core(i);
            if core.pts.len() == cell.pts.len() && core.pts == cell.pts {
                out.entry(class(Status::Held, Some(side)))
                    .or_default()
                    .push(cell.polygon());
                continue;
            }
            let band = if core.is_empty() {
                MultiPolygon(vec![cell.polygon()])
            } else {
                cell.polygon().difference(&core.polygon())
            };
            out.entry(class(Status::Contested, None))
                .or_default()
                .extend(band);
            if !core.is_empty() {
                out.entry(class(Status::Held, Some(side)))
                    .or_default()
                    .push(core.polygon());
            }
        }
        out
    }

    /// The classes' pieces dissolved, clipped to the border, simplified
    /// and back in degrees.
    fn areas(&self) -> Vec<Area> {
        self.pieces()
            .into_iter()
            .filter_map(|(class, pieces)| {
                let merged = unary_union(&pieces).intersection(self.border_km);
                let shape = self.finish(merged);
                (!shape.0.is_empty()).then_some(Area { class, shape })
            })
            .collect()
    }

    /// Valid (rings that touch themselves split), in degrees.
    fn finish(&self, m: MultiPolygon<f64>) -> MultiPolygon<f64> {
        rings::simple(m).map_coords(|c| self.proj.deg(c))
    }

    /// The borders between cells of two sides, joined per pair of sides.
    fn front_lines(&self, at: NaiveDate) -> Vec<FrontLine> {
        let mut by_pair: BTreeMap<[&str; 2], Vec<lines::Segment>> = BTreeMap::new();
        for (i, cell) in self.cells.iter().enumerate() {
            let n = cell.pts.len();
            for k in 0..n {
                let Edge::Site(j) = cell.edges[k] else {
                    continue;
                };
                let (a, b) = (&self.places[i], &self.places[j]);
                let (Some(sa), Some(sb)) = (a.side, b.side) else {
                    continue;
                };
                if j < i || sa == sb {
                    continue;
                }
                // The edge is on the pair's border; the neighbour's cell
                // may end sooner (its reach).
                let Some((p, q)) = self.cells[j].clip_segment(cell.pts[k], cell.pts[(k + 1) % n])
                else {
                    continue;
                };
                let pair = if sa < sb { [sa, sb] } else { [sb, sa] };
                by_pair.entry(pair).or_default().push(lines::Segment {
                    a: p,
                    b: q,
                    newest: a.last_report.max(b.last_report),
                });
            }
        }
        let mut out = Vec::new();
        for (pair, segments) in by_pair {
            for line in lines::join(&segments, 1e-4) {
                let ls = MultiLineString(vec![LineString::from(line.pts)]);
                let clipped = self
                    .border_km
                    .clip(&ls, false)
                    .simplify(&self.o.simplify_km);
                let parts: Vec<LineString<f64>> =
                    clipped.0.into_iter().filter(|l| l.0.len() >= 2).collect();
                if parts.is_empty() {
                    continue;
                }
                out.push(FrontLine {
                    sides: [pair[0].to_string(), pair[1].to_string()],
                    newest_report: line.newest,
                    stale: line
                        .newest
                        .is_none_or(|d| (at - d).num_days() > self.o.stale_days),
                    shape: MultiLineString(parts).map_coords(|c| self.proj.deg(c)),
                });
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
