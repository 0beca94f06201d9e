//! The event vocabulary: the types and subtypes of events and the
//! canonical actors, with their labels (French, English), colours and icon
//! keys. The enums are what the code reasons with; everything shown to
//! readers comes from the tables under `data/vocabulary/`, which the server
//! exposes (`GET /api/vocabulary`) so that the front end never repeats
//! these lists.

use crate::error::Result;
use gazetteer::table::{Row, Table};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

const EVENT_TYPES: &str = include_str!("../data/vocabulary/event_types.tsv");
const ACTORS: &str = include_str!("../data/vocabulary/actors.tsv");
const ICONS: &str = include_str!("../data/vocabulary/icons.tsv");
const EVENT_TYPES_FILE: &str = "backend/extract/data/vocabulary/event_types.tsv";
const ACTORS_FILE: &str = "backend/extract/data/vocabulary/actors.tsv";
const ICONS_FILE: &str = "backend/extract/data/vocabulary/icons.tsv";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    ControlChange,
    Strike,
    Explosion,
    Clash,
    CivilianTargeting,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::ControlChange,
        EventType::Strike,
        EventType::Explosion,
        EventType::Clash,
        EventType::CivilianTargeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ControlChange => "control_change",
            EventType::Strike => "strike",
            EventType::Explosion => "explosion",
            EventType::Clash => "clash",
            EventType::CivilianTargeting => "civilian_targeting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// The subtypes events of this type take (none for most types).
    pub fn subtypes(self) -> &'static [Subtype] {
        match self {
            EventType::Strike => &[
                Subtype::Air,
                Subtype::Drone,
                Subtype::Artillery,
                Subtype::Missile,
                Subtype::Unspecified,
            ],
            EventType::Explosion => &[
                Subtype::CarBomb,
                Subtype::Suicide,
                Subtype::Ied,
                Subtype::Unspecified,
            ],
            _ => &[],
        }
    }
}

/// How a strike was delivered, or what kind of bomb exploded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Subtype {
    Air,
    Drone,
    Artillery,
    Missile,
    CarBomb,
    Suicide,
    Ied,
    Unspecified,
}

impl Subtype {
    pub const ALL: [Subtype; 8] = [
        Subtype::Air,
        Subtype::Drone,
        Subtype::Artillery,
        Subtype::Missile,
        Subtype::CarBomb,
        Subtype::Suicide,
        Subtype::Ied,
        Subtype::Unspecified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Subtype::Air => "air",
            Subtype::Drone => "drone",
            Subtype::Artillery => "artillery",
            Subtype::Missile => "missile",
            Subtype::CarBomb => "car_bomb",
            Subtype::Suicide => "suicide",
            Subtype::Ied => "ied",
            Subtype::Unspecified => "unspecified",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl std::fmt::Display for EventType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::fmt::Display for Subtype {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The camp an actor fights in: two reports of one event never put
/// opposite camps in one role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    Government,
    Opposition,
    Sdf,
    Is,
    Israel,
}

impl Side {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "government" => Side::Government,
            "opposition" => Side::Opposition,
            "sdf" => Side::Sdf,
            "is" => Side::Is,
            "israel" => Side::Israel,
            _ => return None,
        })
    }
}

/// Labels and look of an event type or subtype.
#[derive(Debug, Clone, Serialize)]
pub struct Term {
    pub key: &'static str,
    /// For a subtype: the types it belongs to.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub types: Vec<&'static str>,
    pub label_fr: String,
    pub label_fr_plural: String,
    pub label_en: String,
    pub label_en_plural: String,
    pub colour: String,
    pub icon: String,
}

/// A canonical actor and what the rules and the map know of it.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub name: String,
    pub side: Side,
    /// "les jihadistes" of an article may stand for it.
    pub jihadist: bool,
    /// "les rebelles" of an article may stand for it.
    pub opposition: bool,
    /// Usually behind car bombs and suicide attacks.
    pub bomber: bool,
    /// Its strikes are from the air.
    pub air_force: bool,
    pub label_fr: String,
    pub label_en: String,
    pub colour: String,
}

/// One shape of an icon's glyph, in a 24 × 24 box.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Shape {
    /// An SVG path (`d`), checked to hold only path commands and numbers.
    Path(String),
    /// Centre x, centre y, radius.
    Circle([f64; 3]),
}

/// The glyph drawn for an icon key.
#[derive(Debug, Clone, Serialize)]
pub struct Icon {
    pub key: String,
    pub shapes: Vec<Shape>,
}

/// Everything the tables say, loaded once.
#[derive(Debug, Clone, Serialize)]
pub struct Vocabulary {
    pub types: Vec<Term>,
    pub subtypes: Vec<Term>,
    /// In order of preference.
    pub actors: Vec<Actor>,
    /// The glyph of every icon key the types and subtypes name.
    pub icons: Vec<Icon>,
}

impl Vocabulary {
    /// The built-in tables, parsed on first use. They are checked by the
    /// tests; a broken table is a build that cannot ship.
    pub fn builtin() -> &'static Vocabulary {
        static VOCABULARY: OnceLock<Vocabulary> = OnceLock::new();
        VOCABULARY.get_or_init(|| match Vocabulary::parse(EVENT_TYPES, ACTORS, ICONS) {
            Ok(v) => v,
            Err(e) => panic!("the built-in vocabulary tables are broken: {e}"),
        })
    }

    fn parse(event_types: &str, actors: &str, icons: &str) -> Result<Vocabulary> {
        let (types, subtypes) = parse_terms(event_types)?;
        let mut out = Vocabulary {
            types,
            subtypes,
            actors: Vec::new(),
            icons: parse_icons(icons)?,
        };
        for row in Table::parse(
            ACTORS_FILE,
            actors,
            &["name", "side", "groups", "label_fr", "label_en", "colour"],
        )? {
            out.actors.push(parse_actor(&row)?);
        }
        out.check()?;
        Ok(out)
    }

    /// Every variant has its row, and every actor one row.
    fn check(&self) -> Result<()> {
        let missing = |what: &str, key: &str| crate::Error::File {
            path: EVENT_TYPES_FILE.into(),
            message: format!("no row for the {what} {key:?}"),
        };
        for t in EventType::ALL {
            if !self.types.iter().any(|x| x.key == t.as_str()) {
                return Err(missing("event type", t.as_str()));
            }
        }
        for s in Subtype::ALL {
            if !self.subtypes.iter().any(|x| x.key == s.as_str()) {
                return Err(missing("subtype", s.as_str()));
            }
        }
        for term in self.types.iter().chain(&self.subtypes) {
            if self.icon(&term.icon).is_none() {
                return Err(crate::Error::File {
                    path: ICONS_FILE.into(),
                    message: format!("no glyph for the icon key {:?}", term.icon),
                });
            }
        }
        let mut names: Vec<&str> = self.actors.iter().map(|a| a.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(crate::Error::File {
                path: ACTORS_FILE.into(),
                message: format!("{:?} has two rows", w[0]),
            });
        }
        Ok(())
    }

    /// The glyph of an icon key.
    pub fn icon(&self, key: &str) -> Option<&Icon> {
        self.icons.iter().find(|i| i.key == key)
    }

    /// The glyph of an event: its subtype's icon when the subtype belongs
    /// to the type, else its type's (as the web map chooses).
    pub fn icon_of(&self, event_type: &str, subtype: Option<&str>) -> Option<&Icon> {
        let of_subtype = subtype.and_then(|s| {
            self.subtypes
                .iter()
                .find(|t| t.key == s && t.types.contains(&event_type))
        });
        let term = of_subtype.or_else(|| self.types.iter().find(|t| t.key == event_type))?;
        self.icon(&term.icon)
    }

    /// The actor of this canonical name.
    pub fn actor(&self, name: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.name == name)
    }

    /// The camp of an actor; an actor the table does not know is counted
    /// with the opposition, as the many local factions are.
    pub fn side(&self, name: &str) -> Side {
        self.actor(name).map_or(Side::Opposition, |a| a.side)
    }
}

/// The rows of event_types.tsv: event types (no parent type) and subtypes
/// (with the types they belong to).
fn parse_terms(event_types: &str) -> Result<(Vec<Term>, Vec<Term>)> {
    let mut types = Vec::new();
    let mut subtypes = Vec::new();
    let table = Table::parse(
        EVENT_TYPES_FILE,
        event_types,
        &[
            "key",
            "type",
            "label_fr",
            "label_fr_plural",
            "label_en",
            "label_en_plural",
            "colour",
            "icon",
        ],
    )?;
    for row in table {
        let key = row.get("key");
        let parents = row.get("type");
        if parents.is_empty() {
            let t = EventType::parse(key)
                .ok_or_else(|| row.error("key", format!("{key:?} is no EventType")))?;
            types.push(term(&row, t.as_str(), Vec::new())?);
        } else {
            let s = Subtype::parse(key)
                .ok_or_else(|| row.error("key", format!("{key:?} is no Subtype")))?;
            let mut of = Vec::new();
            for p in parents.split(',') {
                let t = EventType::parse(p.trim())
                    .ok_or_else(|| row.error("type", format!("{p:?} is no event type")))?;
                if !t.subtypes().contains(&s) {
                    return Err(row
                        .error("type", format!("{t} events take no {s} subtype"))
                        .into());
                }
                of.push(t.as_str());
            }
            subtypes.push(term(&row, s.as_str(), of)?);
        }
    }
    Ok((types, subtypes))
}

/// One type or subtype with its labels, colour and icon.
fn term(row: &Row, key: &'static str, types: Vec<&'static str>) -> Result<Term> {
    Ok(Term {
        key,
        types,
        label_fr: row.required("label_fr")?.to_string(),
        label_fr_plural: row.required("label_fr_plural")?.to_string(),
        label_en: row.required("label_en")?.to_string(),
        label_en_plural: row.required("label_en_plural")?.to_string(),
        colour: colour(row)?,
        icon: row.required("icon")?.to_string(),
    })
}

/// One row of actors.tsv.
fn parse_actor(row: &Row) -> Result<Actor> {
    let side = row.get("side");
    let mut actor = Actor {
        name: row.required("name")?.to_string(),
        side: Side::parse(side)
            .ok_or_else(|| row.error("side", format!("unknown side {side:?}")))?,
        jihadist: false,
        opposition: false,
        bomber: false,
        air_force: false,
        label_fr: row.required("label_fr")?.to_string(),
        label_en: row.required("label_en")?.to_string(),
        colour: colour(row)?,
    };
    for g in row.get("groups").split(',').map(str::trim) {
        match g {
            "" => {}
            "jihadist" => actor.jihadist = true,
            "opposition" => actor.opposition = true,
            "bomber" => actor.bomber = true,
            "air_force" => actor.air_force = true,
            other => {
                return Err(row
                    .error("groups", format!("unknown group {other:?}"))
                    .into())
            }
        }
    }
    Ok(actor)
}

/// The rows of icons.tsv.
fn parse_icons(icons: &str) -> Result<Vec<Icon>> {
    let mut out: Vec<Icon> = Vec::new();
    for row in Table::parse(ICONS_FILE, icons, &["key", "shapes"])? {
        let key = row.required("key")?;
        if out.iter().any(|i| i.key == key) {
            return Err(row.error("key", format!("{key:?} has two rows")).into());
        }
        let shapes = row
            .required("shapes")?
            .split(" | ")
            .map(|s| parse_shape(s.trim()).map_err(|m| row.error("shapes", m)))
            .collect::<std::result::Result<Vec<_>, _>>()?;
        out.push(Icon {
            key: key.to_string(),
            shapes,
        });
    }
    Ok(out)
}

/// `path M1 2L3 4z` or `circle 12 6 3`.
fn parse_shape(s: &str) -> std::result::Result<Shape, String> {
    let (kind, rest) = s.split_once(' ').unwrap_or((s, ""));
    match kind {
        // Only commands, numbers and separators: the path goes into SVG
        // markup as it is.
        "path"
            if !rest.is_empty()
                && rest
                    .chars()
                    .all(|c| "MLHVCSQTAZmlhvcsqtaz0123456789.,- ".contains(c)) =>
        {
            Ok(Shape::Path(rest.to_string()))
        }
        "path" => Err(format!(
            "{rest:?} is not an SVG path of commands and numbers"
        )),
        "circle" => {
            let numbers: Vec<f64> = rest
                .split_whitespace()
                .map(|n| n.parse::<f64>().map_err(|_| format!("{n:?} is no number")))
                .collect::<std::result::Result<_, _>>()?;
            match numbers[..] {
                [x, y, r] if r > 0.0 => Ok(Shape::Circle([x, y, r])),
                _ => Err(format!("a circle is `circle X Y R` (R > 0), not {s:?}")),
            }
        }
        _ => Err(format!("{kind:?} is no shape: `path` or `circle`")),
    }
}

fn colour(row: &gazetteer::table::Row) -> Result<String> {
    let c = row.required("colour")?;
    let hex = c.strip_prefix('#').unwrap_or("");
    if !matches!(hex.len(), 3 | 6) || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(row
            .error("colour", format!("{c:?} is not a #rgb or #rrggbb colour"))
            .into());
    }
    Ok(c.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_builtin_tables_cover_every_type_subtype_and_actor_once() {
        let v = Vocabulary::parse(EVENT_TYPES, ACTORS, ICONS).unwrap();
        assert_eq!(v.types.len(), EventType::ALL.len());
        assert_eq!(v.subtypes.len(), Subtype::ALL.len());
        assert_eq!(v.actors.len(), 23, "the schema's canonical actors");
        assert_eq!(v.side("Russia"), Side::Government);
        assert!(v
            .actor("Islamic State")
            .is_some_and(|a| a.jihadist && a.bomber));
        let unspecified = v.subtypes.iter().find(|s| s.key == "unspecified").unwrap();
        assert_eq!(unspecified.types, ["strike", "explosion"]);
    }

    #[test]
    fn a_bad_row_names_the_file_line_and_column() {
        let bad = EVENT_TYPES.replace("#b71c1c\tstrike/air", "red\tstrike/air");
        let e = Vocabulary::parse(&bad, ACTORS, ICONS)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("event_types.tsv:") && e.contains("field `colour`"),
            "{e}"
        );
        let bad = ACTORS.replace("Israel\tisrael", "Israel\tmoon");
        let e = Vocabulary::parse(EVENT_TYPES, &bad, ICONS)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("actors.tsv:") && e.contains("unknown side"),
            "{e}"
        );
        let without_clash: String = EVENT_TYPES
            .lines()
            .filter(|l| !l.starts_with("clash\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        let e = Vocabulary::parse(&without_clash, ACTORS, ICONS)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"clash\""), "{e}");
    }

    #[test]
    fn every_type_and_subtype_has_a_glyph_and_bad_glyphs_are_named() {
        let v = Vocabulary::builtin();
        assert_eq!(
            v.icon_of("strike", Some("drone")).map(|i| i.key.as_str()),
            Some("strike/drone")
        );
        // A subtype of another type is not this type's glyph.
        assert_eq!(
            v.icon_of("clash", Some("drone")).map(|i| i.key.as_str()),
            Some("clash")
        );
        assert_eq!(v.icon("strike/artillery").map(|i| i.shapes.len()), Some(2));
        let markup = ICONS.replace("circle 12 6 3", "path <script>");
        let e = Vocabulary::parse(EVENT_TYPES, ACTORS, &markup)
            .unwrap_err()
            .to_string();
        assert!(e.contains("icons.tsv:") && e.contains("`shapes`"), "{e}");
        let no_radius = ICONS.replace("circle 12 6 3", "circle 12 6");
        assert!(Vocabulary::parse(EVENT_TYPES, ACTORS, &no_radius).is_err());
        let without_clash: String = ICONS
            .lines()
            .filter(|l| !l.starts_with("clash\t"))
            .map(|l| format!("{l}\n"))
            .collect();
        let e = Vocabulary::parse(EVENT_TYPES, ACTORS, &without_clash)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no glyph for the icon key \"clash\""), "{e}");
    }
}
