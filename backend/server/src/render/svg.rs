//! The SVG document of a scene. Every text from the data (actor names)
//! is escaped; colours come from the vocabulary through `style`.

use super::style::{
    self, actor_colour, actor_label, event_size, glyph_id, type_colour, type_label,
};
use super::{EventDot, Frame, Scene};
use crate::areas::Status;
use crate::basemap::SYRIA_ID;
use frontline_extract::vocab::{Shape, Vocabulary};
use geo::{BoundingRect, Coord, LineString, MultiPolygon, Rect};
use std::fmt::Write;

const FONT: &str = "DejaVu Sans, Verdana, Arial, sans-serif";
const TITLE_HEIGHT: f64 = 28.0;
const ATTRIBUTION_HEIGHT: f64 = 16.0;

/// Text safe inside SVG elements and attributes.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if (c as u32) < 0x20 && c != '\t' && c != '\n' => {}
            c => out.push(c),
        }
    }
    out
}

/// The scene as a standalone SVG document of the frame's size.
pub fn svg(scene: &Scene) -> String {
    let f = &scene.frame;
    let (w, h) = (f.width, f.height);
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{FONT}">"#
    );
    let _ = write!(out, r#"<title>{}</title>"#, escape(&scene.words.title));
    glyphs(&mut out);
    let _ = write!(
        out,
        r#"<rect width="{w}" height="{h}" fill="{}"/>"#,
        style::SEA
    );
    basemap(&mut out, scene);
    areas(&mut out, scene);
    boundaries(&mut out, scene);
    fronts(&mut out, scene);
    control_dots(&mut out, scene);
    events(&mut out, scene);
    highlight(&mut out, scene);
    // The capitals' names above the symbols, to stay readable.
    capitals(&mut out, scene);
    title(&mut out, scene);
    legend(&mut out, scene);
    attribution(&mut out, scene);
    out.push_str("</svg>");
    out
}

/// Whether a shape's bounding box meets the image (with a margin).
fn visible(f: &Frame, rect: Option<Rect<f64>>) -> bool {
    let Some(r) = rect else {
        return false;
    };
    let (x0, y1) = f.px(r.min().x, r.min().y);
    let (x1, y0) = f.px(r.max().x, r.max().y);
    x1 >= -50.0 && y1 >= -50.0 && x0 <= f.width as f64 + 50.0 && y0 <= f.height as f64 + 50.0
}

/// Path data of a ring or line, skipping points under half a pixel from
/// the last one kept.
fn path(out: &mut String, f: &Frame, line: &LineString<f64>, close: bool) {
    let mut last: Option<(f64, f64)> = None;
    for (k, Coord { x, y }) in line.0.iter().enumerate() {
        let (px, py) = f.px(*x, *y);
        let end = k + 1 == line.0.len();
        if let Some((lx, ly)) = last {
            if !end && (px - lx).abs() < 0.5 && (py - ly).abs() < 0.5 {
                continue;
            }
        }
        let _ = write!(
            out,
            "{}{:.1},{:.1}",
            if last.is_none() { "M" } else { "L" },
            px,
            py
        );
        last = Some((px, py));
    }
    if close && last.is_some() {
        out.push('Z');
    }
}

fn polygons(out: &mut String, f: &Frame, m: &MultiPolygon<f64>) {
    for p in m.0.iter().filter(|p| visible(f, p.bounding_rect())) {
        path(out, f, p.exterior(), true);
        for hole in p.interiors() {
            path(out, f, hole, true);
        }
    }
}

fn basemap(out: &mut String, s: &Scene) {
    for o in s.outlines.iter().filter(|o| o.id != SYRIA_ID) {
        out.push_str(r#"<path d=""#);
        polygons(out, &s.frame, &o.shape);
        let _ = write!(
            out,
            r#"" fill="{}" stroke="{}" stroke-width="0.8" fill-rule="evenodd"/>"#,
            style::LAND,
            style::LAND_EDGE
        );
    }
    for o in s.outlines.iter().filter(|o| o.id == SYRIA_ID) {
        out.push_str(r#"<path class="syria" d=""#);
        polygons(out, &s.frame, &o.shape);
        let _ = write!(
            out,
            r#"" fill="{}" stroke="{}" stroke-width="1.6" fill-rule="evenodd"/>"#,
            style::SYRIA,
            style::SYRIA_EDGE
        );
    }
}

fn area_colour(status: &Status, actor: Option<&str>) -> String {
    match status {
        Status::Contested => style::CONTESTED.into(),
        Status::Unknown => style::UNKNOWN.into(),
        Status::Held => actor_colour(actor),
    }
}

fn areas(out: &mut String, s: &Scene) {
    for a in s.areas {
        let opacity = style::AREA_OPACITY * if a.class.stale { 0.45 } else { 1.0 };
        out.push_str(r#"<path class="area" d=""#);
        polygons(out, &s.frame, &a.shape);
        let _ = write!(
            out,
            r#"" fill="{}" fill-opacity="{opacity:.3}" fill-rule="evenodd"/>"#,
            area_colour(&a.class.status, a.class.actor.as_deref())
        );
    }
}

/// Admin boundaries as the web map draws them: thin dashed violet lines.
fn boundaries(out: &mut String, s: &Scene) {
    let mut d = String::new();
    for line in s.boundaries {
        if visible(&s.frame, line.bounding_rect()) {
            path(&mut d, &s.frame, line, false);
        }
    }
    if !d.is_empty() {
        let _ = write!(
            out,
            r#"<path class="boundaries" d="{d}" fill="none" stroke="{}" stroke-width="1.2" stroke-dasharray="4 3"/>"#,
            style::BOUNDARY
        );
    }
}

fn fronts(out: &mut String, s: &Scene) {
    for (colour, width) in [(style::FRONT_CASING, 6.0), (style::FRONT, 3.0)] {
        for front in s.fronts {
            let mut d = String::new();
            for line in &front.shape.0 {
                path(&mut d, &s.frame, line, false);
            }
            let dash = if front.stale && colour == style::FRONT {
                r#" stroke-dasharray="6 5""#
            } else {
                ""
            };
            let opacity = if front.stale { 0.55 } else { 0.95 };
            let _ = write!(
                out,
                r#"<path class="front" d="{d}" fill="none" stroke="{colour}" stroke-width="{width}" stroke-opacity="{opacity}" stroke-linecap="round" stroke-linejoin="round"{dash}/>"#
            );
        }
    }
}

fn capitals(out: &mut String, s: &Scene) {
    for c in s.capitals {
        let (x, y) = s.frame.px(c.lon, c.lat);
        if x < -5.0 || y < -5.0 || x > s.frame.width as f64 + 5.0 || y > s.frame.height as f64 + 5.0
        {
            continue;
        }
        let _ = write!(
            out,
            r##"<circle cx="{x:.1}" cy="{y:.1}" r="3" fill="#333"/><text x="{:.1}" y="{:.1}" font-size="11" font-weight="bold" fill="#333" stroke="#fff" stroke-width="2.5" paint-order="stroke">{}</text>"##,
            x + 5.0,
            y + 4.0,
            escape(&c.name)
        );
    }
}

fn inside(f: &Frame, x: f64, y: f64, r: f64) -> bool {
    x > -r && y > -r && x < f.width as f64 + r && y < f.height as f64 + r
}

fn control_dots(out: &mut String, s: &Scene) {
    for d in s.control {
        let (x, y) = s.frame.px(d.lon, d.lat);
        if !inside(&s.frame, x, y, 6.0) {
            continue;
        }
        let fill = actor_colour(d.actor.as_deref());
        let (stroke, opacity, dash) = if d.stale {
            ("#555", 0.45, r#" stroke-dasharray="2 2""#)
        } else {
            ("#fff", 0.95, "")
        };
        let _ = write!(
            out,
            r#"<circle class="control" cx="{x:.1}" cy="{y:.1}" r="5" fill="{fill}" fill-opacity="{opacity}" stroke="{stroke}" stroke-width="1.5"{dash}/>"#
        );
    }
}

/// One `<symbol>` per icon key of the vocabulary: the web map's glyphs
/// (the vocabulary's icons.tsv) on a light disc, drawn in `currentColor`
/// so that one symbol serves every colour.
fn glyphs(out: &mut String) {
    out.push_str("<defs>");
    for icon in &Vocabulary::builtin().icons {
        let _ = write!(
            out,
            r##"<symbol id="{}" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11.5" fill="#fff" stroke="currentColor" stroke-width="1.2"/><g fill="currentColor" transform="translate(3.6 3.6) scale(0.7)">"##,
            glyph_id(&icon.key)
        );
        for shape in &icon.shapes {
            // Paths hold only commands and numbers (checked when the table
            // is read), so they go in as they are.
            let _ = match shape {
                Shape::Path(d) => write!(out, r#"<path d="{d}"/>"#),
                Shape::Circle([x, y, r]) => write!(out, r#"<circle cx="{x}" cy="{y}" r="{r}"/>"#),
            };
        }
        out.push_str("</g></symbol>");
    }
    out.push_str(r##"<symbol id="glyph-none" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11.5" fill="#fff" stroke="currentColor" stroke-width="1.2"/><circle cx="12" cy="12" r="6" fill="currentColor"/></symbol></defs>"##);
}

/// The symbol id of an event's glyph.
fn glyph_of(event_type: &str, subtype: Option<&str>) -> String {
    Vocabulary::builtin()
        .icon_of(event_type, subtype)
        .map_or_else(|| "glyph-none".to_string(), |i| glyph_id(&i.key))
}

/// The `<use>` of a glyph, `size` pixels wide, centred on (x, y).
fn glyph(out: &mut String, class: &str, id: &str, colour: &str, (x, y): (f64, f64), size: f64) {
    let _ = write!(
        out,
        r##"<use class="{class}" href="#{id}" x="{:.1}" y="{:.1}" width="{size:.1}" height="{size:.1}" color="{colour}"/>"##,
        x - size / 2.0,
        y - size / 2.0,
    );
}

/// An event's colour: its type's, but control changes take the colour of
/// the side that took control.
fn event_colour(e: &EventDot) -> String {
    if e.event_type == "control_change" {
        actor_colour(e.actor.as_deref())
    } else {
        type_colour(&e.event_type)
    }
}

fn events(out: &mut String, s: &Scene) {
    for e in s.events {
        let (x, y) = s.frame.px(e.lon, e.lat);
        let size = event_size(e.fatalities);
        if !inside(&s.frame, x, y, size / 2.0) {
            continue;
        }
        let id = glyph_of(&e.event_type, e.subtype.as_deref());
        glyph(out, "event", &id, &event_colour(e), (x, y), size);
    }
}

/// The linked event, larger, in a dark ring on a white casing, so that it
/// stands out of a crowd of symbols.
fn highlight(out: &mut String, s: &Scene) {
    let Some(e) = s.highlight else {
        return;
    };
    let (x, y) = s.frame.px(e.lon, e.lat);
    let size = event_size(e.fatalities) + 8.0;
    if !inside(&s.frame, x, y, size / 2.0) {
        return;
    }
    let r = size / 2.0 + 3.0;
    let _ = write!(
        out,
        r##"<circle class="highlight" cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="none" stroke="#fff" stroke-width="6"/><circle cx="{x:.1}" cy="{y:.1}" r="{r:.1}" fill="none" stroke="#111" stroke-width="3"/>"##
    );
    let id = glyph_of(&e.event_type, e.subtype.as_deref());
    glyph(out, "event", &id, &event_colour(e), (x, y), size);
}

fn title(out: &mut String, s: &Scene) {
    let _ = write!(
        out,
        r##"<rect width="{}" height="{TITLE_HEIGHT}" fill="#fff" fill-opacity="0.9"/><text x="10" y="19" font-size="14" font-weight="bold" fill="#222">{}</text>"##,
        s.frame.width,
        escape(&s.words.title)
    );
}

fn attribution(out: &mut String, s: &Scene) {
    let (w, h) = (s.frame.width as f64, s.frame.height as f64);
    let _ = write!(
        out,
        r##"<rect x="0" y="{:.1}" width="{w}" height="{ATTRIBUTION_HEIGHT}" fill="#fff" fill-opacity="0.85"/><text x="{:.1}" y="{:.1}" font-size="9.5" fill="#444" text-anchor="end">{}</text>"##,
        h - ATTRIBUTION_HEIGHT,
        w - 6.0,
        h - 4.5,
        escape(&s.words.attribution)
    );
}

/// One legend row: a swatch (SVG) and its label.
struct Row {
    swatch: String,
    label: String,
}

/// What the legend lists: the sides holding ground, the front line,
/// contested and unknown ground, stale news, and the event types shown.
fn legend_rows(s: &Scene) -> Vec<Row> {
    let en = s.words.english;
    let mut rows = Vec::new();
    // Only what can be seen in the frame.
    let areas: Vec<&crate::areas::Area> = s
        .areas
        .iter()
        .filter(|a| visible(&s.frame, a.shape.bounding_rect()))
        .collect();
    let mut sides: Vec<&str> = areas
        .iter()
        .filter(|a| a.class.status == Status::Held)
        .filter_map(|a| a.class.actor.as_deref())
        .collect();
    sides.sort_by_key(|a| actor_label(a, en));
    sides.dedup();
    for side in sides {
        rows.push(Row {
            swatch: format!(
                r##"<rect width="14" height="10" y="-9" fill="{}" fill-opacity="0.6" stroke="#0004"/>"##,
                actor_colour(Some(side))
            ),
            label: actor_label(side, en),
        });
    }
    if s.boundaries
        .iter()
        .any(|l| visible(&s.frame, l.bounding_rect()))
    {
        rows.push(Row {
            swatch: format!(
                r#"<path d="M0,-4H14" stroke="{}" stroke-width="1.2" stroke-dasharray="4 3"/>"#,
                style::BOUNDARY
            ),
            label: s.words.boundaries.clone(),
        });
    }
    let has = |status: Status| areas.iter().any(|a| a.class.status == status);
    if s.fronts
        .iter()
        .any(|f| visible(&s.frame, f.shape.bounding_rect()))
    {
        rows.push(Row {
            swatch: format!(
                r#"<path d="M0,-4H14" stroke="{}" stroke-width="6"/><path d="M0,-4H14" stroke="{}" stroke-width="3"/>"#,
                style::FRONT_CASING,
                style::FRONT
            ),
            label: s.words.front_line.clone(),
        });
    }
    for (status, colour, label) in [
        (Status::Contested, style::CONTESTED, &s.words.contested),
        (Status::Unknown, style::UNKNOWN, &s.words.unknown),
    ] {
        if has(status) {
            rows.push(Row {
                swatch: format!(
                    r##"<rect width="14" height="10" y="-9" fill="{colour}" fill-opacity="0.6" stroke="#0004"/>"##
                ),
                label: label.clone(),
            });
        }
    }
    if areas.iter().any(|a| a.class.stale) {
        rows.push(Row {
            swatch: r##"<rect width="14" height="10" y="-9" fill="#bbb" fill-opacity="0.5" stroke="#555" stroke-dasharray="2 2"/>"##.into(),
            label: s.words.stale.clone(),
        });
    }
    rows.extend(event_type_rows(s));
    rows
}

/// One legend row per event type drawn, with its glyph.
fn event_type_rows(s: &Scene) -> Vec<Row> {
    let mut types: Vec<&str> = s.events.iter().map(|e| e.event_type.as_str()).collect();
    types.sort_unstable();
    types.dedup();
    types
        .into_iter()
        .map(|t| {
            let mut swatch = String::new();
            let id = glyph_of(t, None);
            glyph(
                &mut swatch,
                "swatch",
                &id,
                &type_colour(t),
                (7.0, -4.0),
                13.0,
            );
            Row {
                swatch,
                label: type_label(t, s.words.english),
            }
        })
        .collect()
}

/// The legend box, bottom right: one column of rows when they fit in the
/// image's height, else as many columns as the width allows; rows that
/// still do not fit are counted in a last "+N" row rather than dropped
/// unsaid.
fn legend(out: &mut String, s: &Scene) {
    let mut rows = legend_rows(s);
    if rows.is_empty() {
        return;
    }
    let (w, h) = (s.frame.width as f64, s.frame.height as f64);
    const ROW: f64 = 15.0;
    // DejaVu Sans at 11 px: about 6.4 px a character.
    let longest = rows
        .iter()
        .map(|r| r.label.chars().count())
        .max()
        .unwrap_or(0);
    let column_w = (longest as f64 * 6.4 + 32.0).min(w / 2.0);
    let room = h - TITLE_HEIGHT - ATTRIBUTION_HEIGHT - 16.0;
    let per_column = ((room - 10.0) / ROW).max(0.0) as usize;
    let most_columns = (((w - 16.0) / column_w) as usize).max(1);
    let columns = rows.len().div_ceil(per_column.max(1)).min(most_columns);
    let capacity = per_column * columns;
    if capacity == 0 {
        return;
    }
    if rows.len() > capacity {
        let hidden = rows.len() - capacity + 1;
        rows.truncate(capacity - 1);
        rows.push(Row {
            swatch: String::new(),
            label: format!("+{hidden}"),
        });
    }
    let per_column = rows.len().div_ceil(columns);
    let box_w = column_w * columns as f64;
    let box_h = per_column as f64 * ROW + 10.0;
    let (x0, y0) = (w - box_w - 8.0, h - ATTRIBUTION_HEIGHT - box_h - 8.0);
    let _ = write!(
        out,
        r##"<g class="legend" transform="translate({x0:.1},{y0:.1})"><rect width="{box_w:.1}" height="{box_h:.1}" rx="5" fill="#fff" fill-opacity="0.92" stroke="#0003"/>"##
    );
    for (k, row) in rows.iter().enumerate() {
        let x = 8.0 + column_w * (k / per_column) as f64;
        let y = 6.0 + ROW * ((k % per_column) as f64 + 1.0) - 2.0;
        let _ = write!(
            out,
            r##"<g class="legend-row" transform="translate({x:.1},{y:.1})">{}<text x="20" font-size="11" fill="#222">{}</text></g>"##,
            row.swatch,
            escape(&row.label)
        );
    }
    out.push_str("</g>");
}
