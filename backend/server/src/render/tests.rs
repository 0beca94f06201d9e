use super::*;
use crate::areas::{Class, Status};
use geo::{MultiLineString, MultiPolygon, Rect};

fn frame() -> Frame {
    Frame {
        lat: 35.0,
        lon: 38.5,
        zoom: 7.0,
        width: 800,
        height: 500,
    }
}

fn words() -> Words {
    Words {
        title: "Frontline — contrôle au 1er janvier 2020".into(),
        attribution: "Lieux : GeoNames · Frontières : Natural Earth".into(),
        front_line: "Ligne de front".into(),
        contested: "Contesté".into(),
        boundaries: "Limites administratives".into(),
        unknown: "Inconnu".into(),
        stale: "Nouvelles anciennes".into(),
        english: false,
    }
}

#[test]
fn the_frame_projects_its_centre_to_the_middle_and_bounds_contain_it() {
    let f = frame();
    let (x, y) = f.px(38.5, 35.0);
    assert!((x - 400.0).abs() < 1e-9 && (y - 250.0).abs() < 1e-9);
    let [w, s, e, n] = f.bounds(0.0);
    assert!(w < 38.5 && e > 38.5 && s < 35.0 && n > 35.0);
    // 800 px at zoom 7 is 800 / (256 × 128) of the world: ~8.8°.
    assert!((e - w - 8.79).abs() < 0.05, "{}", e - w);
    // North is up.
    assert!(f.px(38.5, 36.0).1 < 250.0);
}

#[test]
fn images_show_areas_front_lines_and_events_with_escaped_text() {
    let outlines = crate::basemap::outlines_near_syria(None).unwrap();
    let areas = [Area {
        class: Class {
            status: Status::Held,
            actor: Some("<b>Brigade</b> & co".into()),
            stale: false,
        },
        shape: MultiPolygon(vec![Rect::new((37.0, 34.0), (38.0, 35.0)).to_polygon()]),
    }];
    let fronts = [FrontLine {
        sides: ["A".into(), "B".into()],
        newest_report: None,
        stale: false,
        shape: MultiLineString(vec![vec![(38.0, 34.0), (38.0, 35.0)].into()]),
    }];
    let events = [EventDot {
        lat: 36.2,
        lon: 37.16,
        event_type: "strike".into(),
        subtype: Some("air".into()),
        actor: None,
        fatalities: Some(100),
    }];
    let scene = Scene {
        frame: frame(),
        outlines: &outlines,
        capitals: &[],
        areas: &areas,
        fronts: &fronts,
        boundaries: &[],
        control: &[],
        events: &events,
        highlight: None,
        words: words(),
    };
    let doc = svg(&scene);
    assert!(
        doc.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"800\" height=\"500\"")
    );
    assert!(!doc.contains("<b>Brigade"));
    assert!(doc.contains("&lt;b&gt;Brigade&lt;/b&gt; &amp; co"));
    assert!(doc.contains("Ligne de front"));

    let bytes = png(&doc, 1.0).unwrap();
    let img = tiny_skia::Pixmap::decode_png(&bytes).unwrap();
    assert_eq!((img.width(), img.height()), (800, 500));
    let at = |lon: f64, lat: f64| {
        let (x, y) = scene.frame.px(lon, lat);
        let p = img.pixel(x as u32, y as u32).unwrap();
        (p.red(), p.green(), p.blue())
    };
    // Syria's land, untouched, is its light beige; the sea is blue.
    assert_eq!(at(39.5, 35.6), (0xf4, 0xf1, 0xe8));
    let sea = at(35.0, 35.0);
    assert!(sea.2 > sea.0, "{sea:?}");
    // Inside the area: tinted away from the plain land colour.
    assert_ne!(at(37.3, 34.5), (0xf4, 0xf1, 0xe8));
    // On the front line: dark.
    let line = at(38.0, 34.5);
    assert!(line.0 < 80 && line.1 < 80, "{line:?}");
    // The event: the web map's glyph, in the strike colour on a white
    // disc — both colours inside its box, the colour at its centre.
    let colour = style::type_colour("strike");
    let hex = |k: usize| u8::from_str_radix(&colour[k..k + 2], 16).unwrap();
    let strike = (hex(1), hex(3), hex(5));
    let near = |p: (u8, u8, u8), q: (u8, u8, u8)| {
        p.0.abs_diff(q.0) < 30 && p.1.abs_diff(q.1) < 30 && p.2.abs_diff(q.2) < 30
    };
    assert!(near(at(37.16, 36.2), strike), "{:?}", at(37.16, 36.2));
    let (cx, cy) = scene.frame.px(37.16, 36.2);
    let half = style::event_size(Some(100)) / 2.0 - 2.0;
    let in_box: Vec<(u8, u8, u8)> = (-5..=5)
        .flat_map(|i| (-5..=5).map(move |j| (i, j)))
        .filter_map(|(i, j)| {
            let (x, y) = (cx + half * i as f64 / 5.0, cy + half * j as f64 / 5.0);
            img.pixel(x as u32, y as u32)
                .map(|p| (p.red(), p.green(), p.blue()))
        })
        .collect();
    assert!(
        in_box.iter().any(|&p| near(p, (255, 255, 255))),
        "a white disc"
    );
    assert!(
        in_box.iter().filter(|&&p| near(p, strike)).count() > 5,
        "a glyph"
    );
    // The title band is white and carries dark text somewhere.
    let dark_title = (10..400).any(|x| img.pixel(x, 14).is_some_and(|p| p.red() < 100));
    assert!(dark_title, "the title is drawn");

    let double = png(&doc, 2.0).unwrap();
    let big = tiny_skia::Pixmap::decode_png(&double).unwrap();
    assert_eq!((big.width(), big.height()), (1600, 1000));
}

/// Events of every type at one spot, and held areas of `sides` actors.
fn crowded(sides: usize) -> (Vec<Area>, Vec<EventDot>) {
    let areas = (0..sides)
        .map(|k| Area {
            class: Class {
                status: Status::Held,
                actor: Some(format!("Side {k}")),
                stale: false,
            },
            shape: MultiPolygon(vec![Rect::new((38.0, 34.8), (38.4, 35.2)).to_polygon()]),
        })
        .collect();
    let events = frontline_extract::EventType::ALL
        .iter()
        .map(|t| EventDot {
            lat: 35.0,
            lon: 38.5,
            event_type: t.as_str().into(),
            subtype: None,
            actor: None,
            fatalities: None,
        })
        .collect();
    (areas, events)
}

fn legend_of(height: u32, width: u32, sides: usize) -> (usize, String) {
    let (areas, events) = crowded(sides);
    let scene = Scene {
        frame: Frame {
            height,
            width,
            ..frame()
        },
        outlines: &[],
        capitals: &[],
        areas: &areas,
        fronts: &[],
        boundaries: &[],
        control: &[],
        events: &events,
        highlight: None,
        words: words(),
    };
    let doc = svg(&scene);
    (doc.matches(r#"class="legend-row""#).count(), doc)
}

#[test]
fn a_short_image_lays_its_legend_in_columns_and_counts_what_it_cannot_show() {
    // Tall: one column, every row (8 sides + 5 types).
    let (rows, doc) = legend_of(500, 800, 8);
    assert_eq!(rows, 13);
    assert!(!doc.contains(">+"), "nothing hidden");
    // Short but wide: the same 13 rows in columns, none dropped.
    let (rows, doc) = legend_of(160, 800, 8);
    assert_eq!(rows, 13);
    assert!(!doc.contains(">+"), "nothing hidden");
    // Short and narrow: what does not fit is counted in a "+N" row.
    let (rows, doc) = legend_of(130, 200, 8);
    assert!(rows < 13 && rows > 0, "{rows}");
    let hidden = 13 - (rows - 1);
    assert!(doc.contains(&format!(">+{hidden}</text>")), "{doc}");
}
