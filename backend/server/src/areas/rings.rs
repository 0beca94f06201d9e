//! Polygons as OGC asks for them: the overlay library may close a ring
//! on itself at a vertex (a pinch), which validators and some renderers
//! refuse. Such rings are split into simple rings, each becoming an
//! outer ring, a hole or a separate polygon by its winding.

use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Twice the signed area of a closed ring (positive counter-clockwise).
fn signed_area2(pts: &[Coord<f64>]) -> f64 {
    pts.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum()
}

/// Below this (twice the area, in the unit squared), a loop is noise.
const TINY: f64 = 1e-9;

/// A closed ring split at the vertices it passes twice.
fn split(ring: &LineString<f64>) -> Vec<Vec<Coord<f64>>> {
    let pts = &ring.0;
    let open = match pts.split_last() {
        Some((last, rest)) if Some(last) == rest.first() => rest,
        _ => &pts[..],
    };
    let mut stack: Vec<Coord<f64>> = Vec::with_capacity(open.len());
    let mut out = Vec::new();
    for &p in open {
        match stack.iter().rposition(|q| *q == p) {
            Some(k) => {
                let mut lp = stack.split_off(k);
                stack.push(p);
                lp.push(p);
                out.push(lp);
            }
            None => stack.push(p),
        }
    }
    if let Some(&first) = stack.first() {
        stack.push(first);
        out.push(stack);
    }
    out.retain(|r| r.len() >= 4 && signed_area2(r).abs() > TINY);
    out
}

/// Every polygon with pinched rings split into simple ones.
pub fn simple(m: MultiPolygon<f64>) -> MultiPolygon<f64> {
    let mut out = Vec::with_capacity(m.0.len());
    for p in m.0 {
        let (ext, holes) = p.into_inner();
        let mut outer = split(&ext);
        outer.sort_by(|a, b| signed_area2(b).abs().total_cmp(&signed_area2(a).abs()));
        let Some(main) = outer.first().cloned() else {
            continue;
        };
        let sign = signed_area2(&main).signum();
        let mut main_holes = Vec::new();
        let mut islands = Vec::new();
        let loops = outer.into_iter().skip(1);
        let hole_loops = holes.iter().flat_map(split);
        for r in loops.chain(hole_loops) {
            if signed_area2(&r).signum() == sign {
                islands.push(r);
            } else {
                main_holes.push(LineString(r));
            }
        }
        out.push(Polygon::new(LineString(main), main_holes));
        out.extend(
            islands
                .into_iter()
                .map(|r| Polygon::new(LineString(r), vec![])),
        );
    }
    MultiPolygon(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Validation};

    fn ring(pts: &[(f64, f64)]) -> LineString<f64> {
        LineString::from(pts.to_vec())
    }

    #[test]
    fn a_pinched_ring_becomes_an_outer_ring_and_a_hole() {
        // A square whose boundary runs round a diamond, clockwise, and
        // back through (2, 0): that loop is a hole touching the outside.
        let pinched = ring(&[
            (0.0, 0.0),
            (2.0, 0.0),
            (1.0, 1.0),
            (2.0, 2.0),
            (3.0, 1.0),
            (2.0, 0.0),
            (4.0, 0.0),
            (4.0, 4.0),
            (0.0, 4.0),
            (0.0, 0.0),
        ]);
        let m = MultiPolygon(vec![Polygon::new(pinched, vec![])]);
        let fixed = simple(m.clone());
        assert!(fixed.is_valid(), "{:?}", fixed.validation_errors());
        assert_eq!(fixed.0.len(), 1);
        assert_eq!(fixed.0[0].interiors().len(), 1);
        assert!((fixed.unsigned_area() - (16.0 - 2.0)).abs() < 1e-9);
    }

    #[test]
    fn simple_polygons_pass_unchanged() {
        let sq = Polygon::new(
            ring(&[(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)]),
            vec![],
        );
        let m = MultiPolygon(vec![sq.clone()]);
        assert_eq!(simple(m), MultiPolygon(vec![sq]));
    }
}
