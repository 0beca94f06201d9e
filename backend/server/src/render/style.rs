//! The colours and sizes of the static maps: the same as the web map's
//! (frontend/js/style.js and the layers), from the event vocabulary.

use frontline_extract::vocab::Vocabulary;

pub const UNKNOWN: &str = "#9e9e9e";
pub const CONTESTED: &str = "#ff6f00";
pub const FRONT: &str = "#1b1b1b";
pub const FRONT_CASING: &str = "#ffffff";
/// Admin boundaries (BoundariesLayer.js's colour).
pub const BOUNDARY: &str = "#5c4d7d";
pub const SEA: &str = "#b9d3e0";
pub const LAND: &str = "#e4e2dc";
pub const LAND_EDGE: &str = "#8a8a8a";
pub const SYRIA: &str = "#f4f1e8";
pub const SYRIA_EDGE: &str = "#444444";
/// Fill opacity of the areas (stale ones: 45% of it).
pub const AREA_OPACITY: f64 = 0.28;
const OTHER_TYPE: &str = "#555555";

/// Only colours of the forms the vocabulary and this module write go
/// into the SVG (the vocabulary is ours, but the check costs nothing).
fn safe(colour: &str) -> Option<String> {
    let hex = colour.len() <= 9
        && colour.starts_with('#')
        && colour[1..].chars().all(|c| c.is_ascii_hexdigit());
    hex.then(|| colour.to_string())
}

/// An actor's colour: the vocabulary's, else a stable colour from its
/// name (the same as style.js's `actorColour`).
pub fn actor_colour(actor: Option<&str>) -> String {
    let Some(actor) = actor else {
        return UNKNOWN.into();
    };
    if let Some(c) = Vocabulary::builtin()
        .actor(actor)
        .and_then(|a| safe(&a.colour))
    {
        return c;
    }
    let mut h: u32 = 0;
    for c in actor.chars() {
        h = (h * 31 + c as u32) % 360;
    }
    format!("hsl({h}, 55%, 40%)")
}

/// An event type's colour (the vocabulary's).
pub fn type_colour(event_type: &str) -> String {
    Vocabulary::builtin()
        .types
        .iter()
        .find(|t| t.key == event_type)
        .and_then(|t| safe(&t.colour))
        .unwrap_or_else(|| OTHER_TYPE.into())
}

/// An actor's name in the image's language.
pub fn actor_label(actor: &str, english: bool) -> String {
    match Vocabulary::builtin().actor(actor) {
        Some(a) if english => a.label_en.clone(),
        Some(a) => a.label_fr.clone(),
        None => actor.to_string(),
    }
}

/// An event type's plural label in the image's language.
pub fn type_label(event_type: &str, english: bool) -> String {
    Vocabulary::builtin()
        .types
        .iter()
        .find(|t| t.key == event_type)
        .map(|t| {
            if english {
                t.label_en_plural.clone()
            } else {
                t.label_fr_plural.clone()
            }
        })
        .unwrap_or_else(|| event_type.to_string())
}

/// Symbol diameter in pixels: larger with more fatalities (as the web
/// map's icons, smaller: an image has no clusters), never so small that
/// its glyph cannot be made out.
pub fn event_size(fatalities: Option<i64>) -> f64 {
    let f = fatalities.unwrap_or(0).max(0) as f64;
    (12.0 + 2.5 * (1.0 + f).log2()).min(26.0)
}

/// The id of an icon key's `<symbol>` in the image ("strike/air" →
/// "glyph-strike-air"); keys are the vocabulary's, of letters, `_` and `/`.
pub fn glyph_id(key: &str) -> String {
    let key: String = key
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("glyph-{key}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_come_from_the_vocabulary_or_a_stable_hash() {
        assert!(actor_colour(Some("Syrian government")).starts_with('#'));
        let x = actor_colour(Some("Brigade imaginaire"));
        assert!(x.starts_with("hsl("), "{x}");
        assert_eq!(x, actor_colour(Some("Brigade imaginaire")));
        assert_eq!(actor_colour(None), UNKNOWN);
        assert!(type_colour("strike").starts_with('#'));
        assert_eq!(type_colour("nothing"), OTHER_TYPE);
        assert!(event_size(Some(1000)) > event_size(None));
    }
}
