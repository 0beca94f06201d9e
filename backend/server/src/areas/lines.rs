//! Front-line segments (one per pair of neighbouring cells) joined into
//! continuous lines: segments meet where three cells meet, computed once
//! per cell, so their ends are matched within a tolerance.

use super::cells::Pt;
use chrono::NaiveDate;
use std::collections::HashMap;

/// A piece of border between two cells, and the newest report behind it.
#[derive(Debug, Clone, Copy)]
pub struct Segment {
    pub a: Pt,
    pub b: Pt,
    pub newest: Option<NaiveDate>,
}

/// Joined segments: the points in order and the newest report of any.
#[derive(Debug, Clone, PartialEq)]
pub struct Polyline {
    pub pts: Vec<Pt>,
    pub newest: Option<NaiveDate>,
}

/// Ends within `tol` of each other become one node.
struct Nodes {
    tol: f64,
    grid: HashMap<(i64, i64), Vec<usize>>,
    pts: Vec<Pt>,
}

impl Nodes {
    fn key(&self, p: Pt) -> (i64, i64) {
        (
            (p.x / self.tol).floor() as i64,
            (p.y / self.tol).floor() as i64,
        )
    }

    fn node(&mut self, p: Pt) -> usize {
        let (r, c) = self.key(p);
        for k in (r - 1..=r + 1).flat_map(|a| (c - 1..=c + 1).map(move |b| (a, b))) {
            if let Some(found) = self.grid.get(&k).and_then(|ids| {
                ids.iter().copied().find(|&n| {
                    let d = self.pts[n] - p;
                    d.x.abs() <= self.tol && d.y.abs() <= self.tol
                })
            }) {
                return found;
            }
        }
        self.pts.push(p);
        let id = self.pts.len() - 1;
        self.grid.entry((r, c)).or_default().push(id);
        id
    }
}

/// The segments joined end to end into as few lines as their branching
/// allows (a line stops where three or more segments meet).
pub fn join(segments: &[Segment], tol: f64) -> Vec<Polyline> {
    let mut nodes = Nodes {
        tol,
        grid: HashMap::new(),
        pts: Vec::new(),
    };
    // Each kept segment as (node, node), and each node's segments.
    let mut ends: Vec<(usize, usize, Option<NaiveDate>)> = Vec::new();
    let mut at: Vec<Vec<usize>> = Vec::new();
    for s in segments {
        let (a, b) = (nodes.node(s.a), nodes.node(s.b));
        at.resize(nodes.pts.len(), Vec::new());
        if a == b {
            continue;
        }
        at[a].push(ends.len());
        at[b].push(ends.len());
        ends.push((a, b, s.newest));
    }
    let mut used = vec![false; ends.len()];
    let mut out = Vec::new();
    // Open lines start at their ends (or branchings); what is left are rings.
    let starts: Vec<usize> = (0..at.len())
        .filter(|&n| at[n].len() != 2)
        .chain(0..at.len())
        .collect();
    for start in starts {
        while let Some(&first) = at[start].iter().find(|&&s| !used[s]) {
            out.push(walk(start, first, &ends, &at, &mut used, &nodes.pts));
        }
    }
    out
}

/// Follow segments from `node` through nodes where exactly two meet.
fn walk(
    mut node: usize,
    mut seg: usize,
    ends: &[(usize, usize, Option<NaiveDate>)],
    at: &[Vec<usize>],
    used: &mut [bool],
    pts: &[Pt],
) -> Polyline {
    let mut line = Polyline {
        pts: vec![pts[node]],
        newest: None,
    };
    loop {
        used[seg] = true;
        let (a, b, newest) = ends[seg];
        line.newest = line.newest.max(newest);
        node = if a == node { b } else { a };
        line.pts.push(pts[node]);
        if at[node].len() != 2 {
            return line;
        }
        match at[node].iter().find(|&&s| !used[s]) {
            Some(&next) => seg = next,
            None => return line,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seg(a: (f64, f64), b: (f64, f64), day: Option<&str>) -> Segment {
        Segment {
            a: Pt { x: a.0, y: a.1 },
            b: Pt { x: b.0, y: b.1 },
            newest: day.map(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()),
        }
    }

    #[test]
    fn segments_join_across_tiny_gaps_and_keep_the_newest_date() {
        let lines = join(
            &[
                seg((1.0, 0.0), (2.0, 1.0), Some("2020-03-01")),
                seg((0.0, 0.0), (1.0, 0.0), Some("2020-01-01")),
                seg((2.0, 1.0000000001), (3.0, 1.0), None),
            ],
            1e-6,
        );
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0].pts.len(), 4);
        assert_eq!(lines[0].newest.unwrap().to_string(), "2020-03-01");
    }

    #[test]
    fn a_branching_splits_lines_and_a_ring_stays_whole() {
        let y = join(
            &[
                seg((0.0, 0.0), (1.0, 0.0), None),
                seg((1.0, 0.0), (2.0, 1.0), None),
                seg((1.0, 0.0), (2.0, -1.0), None),
            ],
            1e-6,
        );
        assert_eq!(y.len(), 3);
        let ring = join(
            &[
                seg((0.0, 0.0), (1.0, 0.0), None),
                seg((1.0, 0.0), (1.0, 1.0), None),
                seg((1.0, 1.0), (0.0, 0.0), None),
            ],
            1e-6,
        );
        assert_eq!(ring.len(), 1);
        assert_eq!(ring[0].pts.first(), ring[0].pts.last());
    }
}
