use super::*;
use geo::{Area as _, Contains, CoordsIter, Point, Rect, Validation};

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

fn map(holders: &[Holder], border: &MultiPolygon<f64>, at: &str) -> ControlMap {
    control_map(holders, border, day(at), &AreaOptions::default())
}

#[test]
fn two_sides_split_the_land_with_a_contested_band_and_a_front_line_between() {
    // 1° × 1° box, two towns 0.5° of longitude (~45 km) apart.
    let border = square(36.0, 35.0, 37.0, 36.0);
    let holders = [
        holder(35.5, 36.25, Some("Syrian government"), "2020-01-10"),
        holder(35.5, 36.75, Some("HTS"), "2020-01-20"),
    ];
    let m = map(&holders, &border, "2020-02-01");
    let gov = find(&m.areas, Status::Held, Some("Syrian government")).expect("government");
    let hts = find(&m.areas, Status::Held, Some("HTS")).expect("HTS area");
    let band = find(&m.areas, Status::Contested, None).expect("contested band");
    assert!(gov.shape.contains(&Point::new(36.25, 35.5)));
    assert!(hts.shape.contains(&Point::new(36.75, 35.5)));
    assert!(band.shape.contains(&Point::new(36.5, 35.5)));
    assert!(!gov.shape.contains(&Point::new(36.49, 35.5)));
    assert!(!m.areas.iter().any(|x| x.class.stale));

    assert_eq!(m.front_lines.len(), 1, "{:?}", m.front_lines);
    let front = &m.front_lines[0];
    assert_eq!(
        front.sides,
        ["HTS".to_string(), "Syrian government".to_string()]
    );
    assert_eq!(front.newest_report, Some(day("2020-01-20")));
    assert!(!front.stale);
    // The line runs north–south halfway between the towns.
    for c in front.shape.coords_iter() {
        assert!((c.x - 36.5).abs() < 1e-6, "{c:?}");
    }
    let span = front
        .shape
        .coords_iter()
        .map(|c| c.y)
        .fold(f64::MIN, f64::max)
        - front
            .shape
            .coords_iter()
            .map(|c| c.y)
            .fold(f64::MAX, f64::min);
    assert!(span > 0.4, "the line spans {span}° of latitude");
}

#[test]
fn nothing_is_coloured_beyond_the_reach() {
    let border = square(36.0, 35.0, 38.0, 36.0);
    let m = map(
        &[holder(35.5, 36.2, Some("SDF"), "2020-01-01")],
        &border,
        "2020-01-02",
    );
    assert_eq!(m.areas.len(), 1);
    let sdf = &m.areas[0].shape;
    assert!(sdf.contains(&Point::new(36.2, 35.5)));
    // 0.5° of longitude is ~45 km at 35.5°N: out of reach; 0.3° is ~27 km.
    assert!(!sdf.contains(&Point::new(36.7, 35.5)));
    assert!(sdf.contains(&Point::new(36.5, 35.5)));
    assert!(m.front_lines.is_empty());
}

#[test]
fn unknown_controllers_are_kept_apart_and_draw_no_front_line() {
    let border = square(36.0, 35.0, 37.0, 36.0);
    let m = map(
        &[
            holder(35.5, 36.25, None, "2020-01-01"),
            holder(35.5, 36.75, Some("SDF"), "2020-01-01"),
        ],
        &border,
        "2020-01-02",
    );
    let unknown = find(&m.areas, Status::Unknown, None).expect("unknown area");
    assert!(unknown.shape.contains(&Point::new(36.3, 35.5)));
    assert!(find(&m.areas, Status::Contested, None).is_none());
    assert!(m.front_lines.is_empty());
}

#[test]
fn stale_places_are_flagged_and_give_ground_to_fresh_ones() {
    let border = square(36.0, 35.0, 37.0, 36.0);
    let m = map(
        &[
            holder(35.5, 36.25, Some("Islamic State"), "2015-01-01"),
            holder(35.5, 36.75, Some("Syrian government"), "2019-12-01"),
        ],
        &border,
        "2020-01-01",
    );
    let is = find(&m.areas, Status::Held, Some("Islamic State")).expect("IS area");
    assert!(is.class.stale);
    let gov = find(&m.areas, Status::Held, Some("Syrian government")).expect("gov");
    assert!(!gov.class.stale);
    // The front moved from 36.5° toward the stale place.
    let x = m.front_lines[0].shape.coords_iter().next().unwrap().x;
    assert!(x < 36.49 && x > 36.3, "front at {x}");
    assert!(m.front_lines[0].newest_report == Some(day("2019-12-01")));
}

#[test]
fn no_holders_no_border_or_bad_options_give_nothing() {
    let border = square(36.0, 35.0, 37.0, 36.0);
    assert_eq!(map(&[], &border, "2020-01-01"), ControlMap::default());
    let h = [holder(35.5, 36.5, Some("SDF"), "2020-01-01")];
    assert_eq!(
        map(&h, &MultiPolygon(vec![]), "2020-01-01"),
        ControlMap::default()
    );
    let bad = AreaOptions {
        reach_km: 0.0,
        ..AreaOptions::default()
    };
    assert_eq!(
        control_map(&h, &border, day("2020-01-01"), &bad),
        ControlMap::default()
    );
    let nan = [holder(f64::NAN, 36.5, Some("SDF"), "2020-01-01")];
    assert_eq!(map(&nan, &border, "2020-01-01"), ControlMap::default());
}

/// A fixed scatter of places over Syria: four sides in rough regions and
/// some unknown or stale, as news places them.
fn scatter() -> Vec<Holder> {
    let mut seed: u64 = 7;
    let mut next = move || {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 11) as f64 / (1u64 << 53) as f64
    };
    (0..120)
        .map(|k| {
            let lat = 32.5 + next() * 4.6;
            let lon = 35.8 + next() * 6.2;
            let actor = match (k % 9, lon > 39.5, lat > 35.8) {
                (0, _, _) => None,
                (_, true, true) => Some("SDF"),
                (_, true, false) => Some("Islamic State"),
                (_, false, true) => Some("HTS"),
                _ => Some("Syrian government"),
            };
            let last = if k % 5 == 0 {
                "2018-01-01"
            } else {
                "2019-11-01"
            };
            holder(lat, lon, actor, last)
        })
        .collect()
}

/// Whether `p` lies on the border (within rounding).
fn on_border(border: &MultiPolygon<f64>, p: Point<f64>) -> bool {
    use geo::{Distance, Euclidean, LinesIter};
    border
        .lines_iter()
        .any(|l| Euclidean.distance(&p, &l) < 1e-9)
}

fn axis_aligned_share(ring: &LineString<f64>) -> f64 {
    let edges: Vec<_> = ring.lines().filter(|l| l.start != l.end).collect();
    let flat = edges
        .iter()
        .filter(|l| (l.start.x - l.end.x).abs() < 1e-9 || (l.start.y - l.end.y).abs() < 1e-9)
        .count();
    flat as f64 / edges.len().max(1) as f64
}

#[test]
fn areas_over_syria_are_valid_smooth_small_and_inside_the_border() {
    let syria = crate::basemap::syria_border(None).expect("Syria's outline");
    let holders = scatter();
    let o = AreaOptions {
        simplify_km: std::env::var("SIMP")
            .map(|v| v.parse().unwrap())
            .unwrap_or(0.3),
        ..AreaOptions::default()
    };
    let m = control_map(&holders, &syria, day("2020-01-01"), &o);
    assert!(m.areas.len() >= 6, "{} areas", m.areas.len());
    let syria_area = syria.unsigned_area();
    let mut total = 0.0;
    let mut vertices = 0;
    for a in &m.areas {
        let errors: Vec<String> = a
            .shape
            .validation_errors()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{:?}: {errors:?}", a.class);
        let area = a.shape.unsigned_area();
        total += area;
        let outside = a.shape.difference(&syria).unsigned_area();
        assert!(
            outside < area * 1e-3,
            "{:?}: {outside} of {area} outside",
            a.class
        );
        for p in &a.shape.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let share = axis_aligned_share(ring);
                assert!(
                    share <= 0.5,
                    "{:?}: {share} of a ring's edges axis-aligned",
                    a.class
                );
            }
        }
        vertices += a.shape.coords_count();
    }
    // No two classes overlap: their areas add up to their union's.
    let all: Vec<&MultiPolygon<f64>> = m.areas.iter().map(|a| &a.shape).collect();
    let union = unary_union(all.iter().flat_map(|m| m.0.iter())).unsigned_area();
    assert!((union - total).abs() < total * 1e-3, "{union} vs {total}");
    assert!(total <= syria_area * 1.001);
    // Small enough to draw at once (about 10 a place today).
    assert!(vertices < holders.len() * 60, "{vertices} vertices");
    assert!(!m.front_lines.is_empty());
    for f in &m.front_lines {
        assert_ne!(f.sides[0], f.sides[1]);
        assert!(f.sides[0] < f.sides[1]);
        for c in f.shape.coords_iter() {
            let inside = syria.contains(&Point::from(c)) || on_border(&syria, Point::from(c));
            assert!(inside, "{c:?} outside Syria");
        }
    }
}
