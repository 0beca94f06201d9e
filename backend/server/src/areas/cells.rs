//! The power diagram of the known places, on a flat km projection: each
//! place gets the convex cell of the points nearer to it than to any
//! other place, where a stale place's distances are lengthened
//! (`|x − p|² + w`, with `w` > 0), and no point farther than the reach.
//!
//! Every cell is a convex polygon: a disc of `ARC_VERTICES` vertices cut
//! by one half-plane per neighbour, with each edge remembering which
//! neighbour (or the reach) made it. Shared edges between places of two
//! sides are the front lines.

use geo::{Coord, LineString, Polygon};
use std::collections::HashMap;

pub type Pt = Coord<f64>;

/// Vertices of the reach disc (a cell's outer arc): 32 keeps arcs smooth
/// at country zoom (each edge ~7 km for a 35 km reach) and cells small.
pub const ARC_VERTICES: usize = 32;

/// What made an edge of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edge {
    /// The limit of the reach around the place.
    Reach,
    /// The border with another place's cell (its index).
    Site(usize),
}

/// A place on the projection: position (km) and power weight (km²).
#[derive(Debug, Clone, Copy)]
pub struct Site {
    pub at: Pt,
    pub weight: f64,
}

/// A convex polygon, counter-clockwise; `edges[k]` made the edge from
/// `pts[k]` to `pts[k + 1]`.
#[derive(Debug, Clone, Default)]
pub struct Cell {
    pub pts: Vec<Pt>,
    pub edges: Vec<Edge>,
}

fn dot(a: Pt, b: Pt) -> f64 {
    a.x * b.x + a.y * b.y
}

fn cross(a: Pt, b: Pt) -> f64 {
    a.x * b.y - a.y * b.x
}

impl Cell {
    /// The reach disc around `c`, as a polygon inscribed in the circle.
    pub fn disc(c: Pt, r: f64) -> Cell {
        let pts = (0..ARC_VERTICES)
            .map(|k| {
                let a = std::f64::consts::TAU * k as f64 / ARC_VERTICES as f64;
                Pt {
                    x: c.x + r * a.cos(),
                    y: c.y + r * a.sin(),
                }
            })
            .collect();
        Cell {
            pts,
            edges: vec![Edge::Reach; ARC_VERTICES],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.pts.len() < 3
    }

    /// The part where `normal · x ≤ offset`; the cut is labelled `label`.
    pub fn clip(&self, normal: Pt, offset: f64, label: Edge) -> Cell {
        let n = self.pts.len();
        let side: Vec<f64> = self.pts.iter().map(|p| dot(normal, *p) - offset).collect();
        if side.iter().all(|s| *s <= 0.0) {
            return self.clone();
        }
        let mut out = Cell::default();
        for k in 0..n {
            let (p, q) = (self.pts[k], self.pts[(k + 1) % n]);
            let (fp, fq) = (side[k], side[(k + 1) % n]);
            if fp <= 0.0 {
                out.pts.push(p);
                out.edges.push(self.edges[k]);
            }
            if (fp <= 0.0) != (fq <= 0.0) {
                let t = fp / (fp - fq);
                out.pts.push(p + (q - p) * t);
                // Leaving the half-plane: the next edge runs along the cut.
                out.edges
                    .push(if fp <= 0.0 { label } else { self.edges[k] });
            }
        }
        if out.is_empty() {
            Cell::default()
        } else {
            out
        }
    }

    /// The part of the segment `a`–`b` inside the cell (Cyrus–Beck).
    pub fn clip_segment(&self, a: Pt, b: Pt) -> Option<(Pt, Pt)> {
        let (mut t0, mut t1) = (0.0_f64, 1.0_f64);
        let d = b - a;
        let n = self.pts.len();
        for k in 0..n {
            let (p, q) = (self.pts[k], self.pts[(k + 1) % n]);
            let e = q - p;
            // Inside is on the left of each edge (counter-clockwise).
            let num = cross(e, a - p);
            let den = cross(e, d);
            if den.abs() < 1e-12 {
                if num < -1e-9 {
                    return None;
                }
                continue;
            }
            let t = -num / den;
            if den > 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
            if t0 > t1 {
                return None;
            }
        }
        (t1 - t0 > 1e-9).then(|| (a + d * t0, a + d * t1))
    }

    pub fn polygon(&self) -> Polygon<f64> {
        Polygon::new(LineString::from(self.pts.clone()), vec![])
    }
}

/// The half-plane (`normal · x ≤ offset`) of the points whose power
/// distance to `i` is below that to `j` by at least `2 |pj − pi| margin`
/// (about `margin` km on i's side of their border).
pub fn bisector(i: &Site, j: &Site, margin: f64) -> (Pt, f64) {
    let d = j.at - i.at;
    let normal = d * 2.0;
    let offset =
        dot(j.at, j.at) - dot(i.at, i.at) + j.weight - i.weight - 2.0 * dot(d, d).sqrt() * margin;
    (normal, offset)
}

/// Sites bucketed on a square grid as wide as the farthest neighbour
/// that can matter, so a cell only looks at the 3 × 3 buckets around it.
pub struct Neighbourhood {
    size: f64,
    buckets: HashMap<(i64, i64), Vec<usize>>,
}

impl Neighbourhood {
    pub fn new(sites: &[Site], size: f64) -> Neighbourhood {
        let mut buckets: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, s) in sites.iter().enumerate() {
            buckets.entry(Self::key(size, s.at)).or_default().push(i);
        }
        Neighbourhood { size, buckets }
    }

    fn key(size: f64, p: Pt) -> (i64, i64) {
        ((p.x / size).floor() as i64, (p.y / size).floor() as i64)
    }

    /// Every site within `size` of `p` (and some a little farther).
    pub fn around(&self, p: Pt) -> impl Iterator<Item = usize> + '_ {
        let (r, c) = Self::key(self.size, p);
        (r - 1..=r + 1)
            .flat_map(move |a| (c - 1..=c + 1).map(move |b| (a, b)))
            .filter_map(|k| self.buckets.get(&k))
            .flatten()
            .copied()
    }
}

/// Each site's cell: its reach disc cut by every neighbour's bisector.
/// Of two sites at the same point, the first keeps the cell.
pub fn power_cells(sites: &[Site], reach: f64, near: &Neighbourhood) -> Vec<Cell> {
    sites
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut cell = Cell::disc(s.at, reach);
            for j in near.around(s.at).filter(|j| *j != i) {
                let o = &sites[j];
                if (o.at - s.at).x.abs() < 1e-9 && (o.at - s.at).y.abs() < 1e-9 {
                    if j < i {
                        return Cell::default();
                    }
                    continue;
                }
                let (normal, offset) = bisector(s, o, 0.0);
                cell = cell.clip(normal, offset, Edge::Site(j));
                if cell.is_empty() {
                    break;
                }
            }
            cell
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site(x: f64, y: f64, weight: f64) -> Site {
        Site {
            at: Pt { x, y },
            weight,
        }
    }

    #[test]
    fn two_equal_sites_split_at_the_midpoint() {
        let sites = [site(0.0, 0.0, 0.0), site(20.0, 0.0, 0.0)];
        let near = Neighbourhood::new(&sites, 80.0);
        let cells = power_cells(&sites, 35.0, &near);
        let max_x = cells[0].pts.iter().map(|p| p.x).fold(f64::MIN, f64::max);
        let min_x = cells[1].pts.iter().map(|p| p.x).fold(f64::MAX, f64::min);
        assert!((max_x - 10.0).abs() < 1e-9 && (min_x - 10.0).abs() < 1e-9);
        // The cut edge remembers the neighbour.
        assert!(cells[0].edges.contains(&Edge::Site(1)));
        assert!(cells[1].edges.contains(&Edge::Site(0)));
    }

    #[test]
    fn a_weighted_site_gives_ground() {
        // w = 10² km²: the border moves 100 / (2 × 20) = 2.5 km toward it.
        let sites = [site(0.0, 0.0, 0.0), site(20.0, 0.0, 100.0)];
        let near = Neighbourhood::new(&sites, 80.0);
        let cells = power_cells(&sites, 35.0, &near);
        let max_x = cells[0].pts.iter().map(|p| p.x).fold(f64::MIN, f64::max);
        assert!((max_x - 12.5).abs() < 1e-9, "{max_x}");
    }

    #[test]
    fn segments_are_clipped_to_a_cell() {
        let square = Cell {
            pts: vec![
                Pt { x: 0.0, y: 0.0 },
                Pt { x: 1.0, y: 0.0 },
                Pt { x: 1.0, y: 1.0 },
                Pt { x: 0.0, y: 1.0 },
            ],
            edges: vec![Edge::Reach; 4],
        };
        let (a, b) = square
            .clip_segment(Pt { x: -1.0, y: 0.5 }, Pt { x: 2.0, y: 0.5 })
            .unwrap();
        assert!((a.x - 0.0).abs() < 1e-12 && (b.x - 1.0).abs() < 1e-12);
        assert!(square
            .clip_segment(Pt { x: -1.0, y: 2.0 }, Pt { x: 2.0, y: 2.0 })
            .is_none());
    }

    #[test]
    fn a_second_site_at_the_same_point_gets_no_cell() {
        let sites = [site(0.0, 0.0, 0.0), site(0.0, 0.0, 0.0)];
        let near = Neighbourhood::new(&sites, 80.0);
        let cells = power_cells(&sites, 35.0, &near);
        assert!(!cells[0].is_empty());
        assert!(cells[1].is_empty());
    }
}
