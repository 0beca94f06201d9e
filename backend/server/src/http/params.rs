//! Query parameters: parsed and checked here, so that a bad one gets an
//! answer naming it. Handlers take them typed, through [`Query`]: an
//! unknown, repeated or malformed parameter is a 400 problem naming it
//! before the handler runs.

use super::AppState;
use crate::error::{Error, Result};
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use chrono::{Datelike, NaiveDate, Utc};
use frontline_extract::EventType;
use frontline_store::{Bbox, EventFilter, ReviewFilter};
use gazetteer::Gazetteer;

/// Query parameters read into `T` by [`FromQuery`], strictly.
#[derive(Debug)]
pub struct Query<T>(pub T);

/// A set of query parameters a handler takes.
pub trait FromQuery: Sized {
    /// Every parameter name accepted; any other is refused.
    const ALLOWED: &'static [&'static str];

    /// Check and convert the parameters (the gazetteer and settings are at
    /// hand in `state`).
    fn from_query(p: &Params, state: &AppState) -> Result<Self>;
}

impl<T: FromQuery + Send> FromRequestParts<AppState> for Query<T> {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self> {
        let p = Params::parse(parts.uri.query(), T::ALLOWED)?;
        T::from_query(&p, state).map(Query)
    }
}

pub const SUBTYPES: [&str; 8] = [
    "air",
    "drone",
    "artillery",
    "missile",
    "car_bomb",
    "suicide",
    "ied",
    "unspecified",
];

/// The parameters of one request, in order.
#[derive(Debug, Default, Clone)]
pub struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    /// Parse a query string, refusing parameters not in `allowed`.
    pub fn parse(raw: Option<&str>, allowed: &[&str]) -> Result<Params> {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(raw.unwrap_or(""))
            .map_err(|e| Error::param("query", format!("cannot be decoded: {e}")))?;
        for (k, _) in &pairs {
            if !allowed.contains(&k.as_str()) {
                return Err(Error::param(
                    k,
                    format!("unknown parameter (expected one of {})", allowed.join(", ")),
                ));
            }
        }
        Ok(Params { pairs })
    }

    /// The value of a parameter; given twice, it is an error.
    pub fn get(&self, name: &str) -> Result<Option<&str>> {
        let mut values = self
            .pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.trim());
        let first = values.next();
        if values.next().is_some() {
            return Err(Error::param(name, "given more than once"));
        }
        Ok(first.filter(|v| !v.is_empty()))
    }

    /// Comma-separated values, from one or several occurrences, each
    /// once; more than `max` different values is an error naming the
    /// parameter (each value is a bound SQL variable).
    pub fn list(&self, name: &str, max: usize) -> Result<Vec<String>> {
        let mut out: Vec<String> = Vec::new();
        for v in self
            .pairs
            .iter()
            .filter(|(k, _)| k == name)
            .flat_map(|(_, v)| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
        {
            if out.iter().any(|o| o == v) {
                continue;
            }
            if out.len() == max {
                return Err(Error::param(
                    name,
                    format!("takes at most {max} different values"),
                ));
            }
            out.push(v.to_string());
        }
        Ok(out)
    }

    pub fn integer(&self, name: &str, min: i64, max: i64) -> Result<Option<i64>> {
        let Some(v) = self.get(name)? else {
            return Ok(None);
        };
        let n: i64 = v
            .parse()
            .map_err(|_| Error::param(name, format!("{v:?} is not a whole number")))?;
        if n < min || n > max {
            return Err(Error::param(
                name,
                format!("{n} is out of range ({min} to {max})"),
            ));
        }
        Ok(Some(n))
    }

    /// A number from 0 to 1.
    pub fn fraction(&self, name: &str) -> Result<Option<f64>> {
        let Some(v) = self.get(name)? else {
            return Ok(None);
        };
        match v.parse::<f64>() {
            Ok(x) if (0.0..=1.0).contains(&x) => Ok(Some(x)),
            _ => Err(Error::param(
                name,
                format!("{v:?} is not a number from 0 to 1"),
            )),
        }
    }

    /// Every parameter except those named, for building `next` links.
    pub fn without(&self, names: &[&str]) -> Vec<(String, String)> {
        self.pairs
            .iter()
            .filter(|(k, _)| !names.contains(&k.as_str()))
            .cloned()
            .collect()
    }
}

/// `west,south,east,north` in degrees.
pub fn bbox(name: &str, v: &str) -> Result<Bbox> {
    let parts: Vec<&str> = v.split(',').map(str::trim).collect();
    if parts.len() != 4 {
        return Err(Error::param(
            name,
            format!(
                "{v:?} must be four numbers: west,south,east,north (got {})",
                parts.len()
            ),
        ));
    }
    let mut n = [0.0f64; 4];
    for (i, p) in parts.iter().enumerate() {
        n[i] = p
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| Error::param(name, format!("{p:?} is not a number")))?;
    }
    let [west, south, east, north] = n;
    if !(-180.0..=180.0).contains(&west) || !(-180.0..=180.0).contains(&east) {
        return Err(Error::param(
            name,
            "longitudes must be between -180 and 180",
        ));
    }
    if !(-90.0..=90.0).contains(&south) || !(-90.0..=90.0).contains(&north) {
        return Err(Error::param(name, "latitudes must be between -90 and 90"));
    }
    if west > east || south > north {
        return Err(Error::param(
            name,
            "west must not exceed east, nor south north",
        ));
    }
    Ok(Bbox {
        west,
        south,
        east,
        north,
    })
}

/// `YYYY-MM-DD`, or `YYYY-MM` / `YYYY` meaning their first day (or their
/// last day when `end` is set).
pub fn date(name: &str, v: &str, end: bool) -> Result<NaiveDate> {
    let bad = || {
        Error::param(
            name,
            format!("{v:?} is not a date (expected YYYY-MM-DD, YYYY-MM or YYYY)"),
        )
    };
    let parts: Vec<&str> = v.trim().split('-').collect();
    let num = |s: &str, len: usize| -> Result<u32> {
        if s.len() != len || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(bad());
        }
        s.parse().map_err(|_| bad())
    };
    let year = num(parts.first().copied().unwrap_or(""), 4)? as i32;
    let d = match parts.len() {
        1 => {
            if end {
                NaiveDate::from_ymd_opt(year, 12, 31)
            } else {
                NaiveDate::from_ymd_opt(year, 1, 1)
            }
        }
        2 => {
            let m = num(parts[1], 2)?;
            let first = NaiveDate::from_ymd_opt(year, m, 1).ok_or_else(bad)?;
            if end {
                let next = if m == 12 {
                    NaiveDate::from_ymd_opt(year + 1, 1, 1)
                } else {
                    NaiveDate::from_ymd_opt(year, m + 1, 1)
                };
                next.and_then(|n| n.pred_opt())
            } else {
                Some(first)
            }
        }
        3 => NaiveDate::from_ymd_opt(year, num(parts[1], 2)?, num(parts[2], 2)?),
        _ => None,
    };
    let d = d.ok_or_else(bad)?;
    if d.year() < 1900 {
        return Err(bad());
    }
    Ok(d)
}

/// The most actors one request may filter on.
pub const MAX_ACTORS: usize = 50;

/// The filters of `/api/events` and `/api/events.csv`.
pub const EVENT_FILTERS: [&str; 12] = [
    "review",
    "bbox",
    "type",
    "subtype",
    "actor",
    "from",
    "to",
    "place",
    "min_fatalities",
    "min_confidence",
    "q",
    "limit",
];

/// The event filters of a live stream, and where to resume it.
#[derive(Debug)]
pub struct StreamedEvents {
    pub filter: EventFilter,
    /// `last_event_id`: resume after this change (as the `Last-Event-ID`
    /// header does).
    pub last_event_id: Option<i64>,
}

impl FromQuery for StreamedEvents {
    const ALLOWED: &'static [&'static str] = &[
        "bbox",
        "type",
        "subtype",
        "actor",
        "from",
        "to",
        "place",
        "min_fatalities",
        "q",
        "review",
        "last_event_id",
    ];

    fn from_query(p: &Params, state: &AppState) -> Result<Self> {
        Ok(StreamedEvents {
            filter: event_filter(p, &state.gazetteer, 1, 1)?,
            last_event_id: p.integer("last_event_id", 0, i64::MAX)?,
        })
    }
}

/// The event filters and the `after` cursor.
const PAGED_EVENT_FILTERS: [&str; 13] = [
    "review",
    "bbox",
    "type",
    "subtype",
    "actor",
    "from",
    "to",
    "place",
    "min_fatalities",
    "min_confidence",
    "q",
    "limit",
    "after",
];

/// The event filters with keyset paging (`after`), `limit` defaulting to
/// `DEFAULT` and at most `MAX`; the parameters are kept for the links to
/// this page and the next.
#[derive(Debug)]
pub struct PagedEvents<const DEFAULT: i64, const MAX: i64> {
    pub filter: EventFilter,
    pub params: Params,
}

impl<const DEFAULT: i64, const MAX: i64> FromQuery for PagedEvents<DEFAULT, MAX> {
    const ALLOWED: &'static [&'static str] = &PAGED_EVENT_FILTERS;

    fn from_query(p: &Params, state: &AppState) -> Result<Self> {
        let mut filter = event_filter(p, &state.gazetteer, DEFAULT, MAX)?;
        filter.after = p.integer("after", 0, i64::MAX)?;
        Ok(PagedEvents {
            filter,
            params: p.clone(),
        })
    }
}

/// The event filters, every matching event by default (the CSV export).
#[derive(Debug)]
pub struct AllEvents(pub EventFilter);

impl FromQuery for AllEvents {
    const ALLOWED: &'static [&'static str] = &EVENT_FILTERS;

    fn from_query(p: &Params, state: &AppState) -> Result<Self> {
        event_filter(p, &state.gazetteer, i64::MAX, i64::MAX).map(AllEvents)
    }
}

/// `at=YYYY-MM-DD` (a month or a year meaning its last day), today when
/// absent.
fn at(p: &Params) -> Result<NaiveDate> {
    match p.get("at")? {
        Some(v) => date("at", v, true),
        None => Ok(Utc::now().date_naive()),
    }
}

/// `/api/control`: the date, and after how many days news is stale.
#[derive(Debug)]
pub struct ControlAt {
    pub at: NaiveDate,
    pub stale_days: i64,
}

impl FromQuery for ControlAt {
    const ALLOWED: &'static [&'static str] = &["at", "stale_days"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        Ok(ControlAt {
            at: at(p)?,
            stale_days: p
                .integer("stale_days", 0, 100_000)?
                .unwrap_or(crate::areas::STALE_DAYS),
        })
    }
}

/// `/api/control/areas` and `/api/control/frontlines`: the date alone.
#[derive(Debug)]
pub struct AreasAt(pub NaiveDate);

impl FromQuery for AreasAt {
    const ALLOWED: &'static [&'static str] = &["at"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        at(p).map(AreasAt)
    }
}

/// A decimal number within `min..=max`, if given.
fn number(p: &Params, name: &str, min: f64, max: f64) -> Result<Option<f64>> {
    let Some(v) = p.get(name)? else {
        return Ok(None);
    };
    let n: f64 = v
        .parse()
        .ok()
        .filter(|n: &f64| n.is_finite())
        .ok_or_else(|| Error::param(name, format!("{v:?} is not a number")))?;
    if n < min || n > max {
        return Err(Error::param(
            name,
            format!("{n} is out of range ({min} to {max})"),
        ));
    }
    Ok(Some(n))
}

/// The layers of the map that are not event types.
pub const MAP_LAYERS: [&str; 4] = ["control", "areas", "fronts", "boundaries"];

/// `/static.png` and `/static.svg`: the parameters of `/embed` (the view,
/// layers, filters, date, language, the event it opens; its `controls`,
/// `wheel` and `live` are accepted and ignored) plus the image's size and
/// pixel density.
#[derive(Debug)]
pub struct StaticView {
    pub frame: crate::render::Frame,
    /// PNG pixels per CSS pixel: 1 or 2.
    pub scale: f32,
    /// `None`: the date of the newest event.
    pub at: Option<NaiveDate>,
    pub english: bool,
    /// Event types shown.
    pub types: Vec<String>,
    pub control: bool,
    pub areas: bool,
    pub fronts: bool,
    /// Off unless listed in `layers`, as on the web map.
    pub boundaries: bool,
    /// The events' filters (types, subtypes, actors, dates, words).
    pub filter: EventFilter,
    /// The event the link opens (`event`), drawn ringed above the others.
    pub event: Option<i64>,
}

impl FromQuery for StaticView {
    const ALLOWED: &'static [&'static str] = &[
        "lat", "lng", "z", "layers", "sub", "actors", "from", "to", "q", "conf", "review", "at",
        "lang", "controls", "wheel", "event", "live", "w", "h", "scale",
    ];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        use crate::render::{Frame, MAX_SIDE};
        let side = MAX_SIDE as i64;
        let frame = Frame {
            lat: number(p, "lat", -85.0, 85.0)?.unwrap_or(35.0),
            lon: number(p, "lng", -180.0, 180.0)?.unwrap_or(38.5),
            zoom: number(p, "z", 0.0, 19.0)?.unwrap_or(7.0),
            width: p.integer("w", 16, side)?.unwrap_or(800) as u32,
            height: p.integer("h", 16, side)?.unwrap_or(500) as u32,
        };
        let scale = p.integer("scale", 1, 2)?.unwrap_or(1) as f32;
        let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
        let layers = p.list("layers", EventType::ALL.len() + MAP_LAYERS.len())?;
        for l in &layers {
            if !known.contains(&l.as_str()) && !MAP_LAYERS.contains(&l.as_str()) {
                return Err(Error::param(
                    "layers",
                    format!(
                        "unknown layer {l:?} (expected event types ({}) or {})",
                        known.join(", "),
                        MAP_LAYERS.join(", ")
                    ),
                ));
            }
        }
        let on = |l: &str| layers.is_empty() || layers.iter().any(|x| x == l);
        let types: Vec<String> = known
            .iter()
            .filter(|t| on(t))
            .map(|t| t.to_string())
            .collect();
        let filter = static_filter(p, types.clone())?;
        Ok(StaticView {
            frame,
            scale,
            at: p.get("at")?.map(|v| date("at", v, true)).transpose()?,
            english: p.get("lang")? == Some("en"),
            types,
            control: on("control"),
            areas: on("areas"),
            fronts: on("fronts"),
            boundaries: layers.iter().any(|l| l == "boundaries"),
            filter,
            event: p.integer("event", 1, i64::MAX)?,
        })
    }
}

/// The subtypes listed in parameter `name`, each a known one.
fn subtypes(p: &Params, name: &str) -> Result<Vec<String>> {
    let list = p.list(name, SUBTYPES.len())?;
    if let Some(s) = list.iter().find(|s| !SUBTYPES.contains(&s.as_str())) {
        return Err(Error::param(
            name,
            format!(
                "unknown subtype {s:?} (expected one of {})",
                SUBTYPES.join(", ")
            ),
        ));
    }
    Ok(list)
}

/// The events a static map shows: `/embed`'s filters, under its names.
fn static_filter(p: &Params, types: Vec<String>) -> Result<EventFilter> {
    let mut f = EventFilter {
        types,
        actors: p.list("actors", MAX_ACTORS)?,
        ..EventFilter::default()
    };
    f.subtypes = subtypes(p, "sub")?;
    f.from = p.get("from")?.map(|v| date("from", v, false)).transpose()?;
    f.to = p.get("to")?.map(|v| date("to", v, true)).transpose()?;
    // The map's reliability choice.
    f.min_confidence = p.fraction("conf")?;
    f.review = review(p)?;
    if let Some(q) = p.get("q")? {
        f.words = words(q);
    }
    Ok(f)
}

/// `lang=en` for English; anything else (or nothing) is French.
#[derive(Debug, Clone, Copy)]
pub struct Lang {
    pub english: bool,
}

impl FromQuery for Lang {
    const ALLOWED: &'static [&'static str] = &["lang"];

    fn from_query(p: &Params, _: &AppState) -> Result<Self> {
        Ok(Lang {
            english: p.get("lang")? == Some("en"),
        })
    }
}

/// Build an event filter from the parameters, checking every one.
pub fn event_filter(
    p: &Params,
    g: &Gazetteer,
    default_limit: i64,
    max_limit: i64,
) -> Result<EventFilter> {
    let mut f = EventFilter {
        limit: p.integer("limit", 1, max_limit)?.unwrap_or(default_limit),
        ..EventFilter::default()
    };
    if let Some(v) = p.get("bbox")? {
        f.bbox = Some(bbox("bbox", v)?);
    }
    for t in p.list("type", EventType::ALL.len())? {
        if EventType::parse(&t).is_none() {
            let known: Vec<&str> = EventType::ALL.iter().map(|t| t.as_str()).collect();
            return Err(Error::param(
                "type",
                format!("unknown type {t:?} (expected one of {})", known.join(", ")),
            ));
        }
        f.types.push(t);
    }
    f.subtypes = subtypes(p, "subtype")?;
    f.actors = p.list("actor", MAX_ACTORS)?;
    if let Some(v) = p.get("from")? {
        f.from = Some(date("from", v, false)?);
    }
    if let Some(v) = p.get("to")? {
        f.to = Some(date("to", v, true)?);
    }
    if let (Some(a), Some(b)) = (f.from, f.to) {
        if a > b {
            return Err(Error::param("to", format!("{b} is before `from` ({a})")));
        }
    }
    if let Some(v) = p.get("place")? {
        if g.by_id(v).is_none() {
            return Err(Error::param(
                "place",
                format!("unknown place id {v:?} (find ids with /api/places?q=)"),
            ));
        }
        f.place = Some(v.to_string());
    }
    f.min_fatalities = p.integer("min_fatalities", 0, i64::MAX)?;
    f.min_confidence = p.fraction("min_confidence")?;
    f.review = review(p)?;
    if let Some(q) = p.get("q")? {
        f.words = words(q);
        if f.words.is_empty() {
            return Err(Error::param("q", "contains no word to search for"));
        }
    }
    Ok(f)
}

/// `review=accepted`: only the events a human checked (accepted or
/// edited). Rejected events are never shown, whatever the parameter.
pub fn review(p: &Params) -> Result<ReviewFilter> {
    match p.get("review")? {
        None | Some("all") => Ok(ReviewFilter::Public),
        Some("accepted") => Ok(ReviewFilter::Checked),
        Some(v) => Err(Error::param(
            "review",
            format!("{v:?} is not accepted (only the events a human checked) or all"),
        )),
    }
}

/// The words of a search, as the full-text index splits them.
pub fn words(q: &str) -> Vec<String> {
    q.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bbox_needs_four_ordered_numbers() {
        let b = bbox("bbox", "36.5,35.8,37.5,36.5").unwrap();
        assert_eq!((b.west, b.north), (36.5, 36.5));
        assert!(bbox("bbox", "1,2,3")
            .unwrap_err()
            .to_string()
            .contains("four numbers"));
        assert!(bbox("bbox", "a,2,3,4")
            .unwrap_err()
            .to_string()
            .contains("\"a\" is not a number"));
        assert!(bbox("bbox", "3,2,1,4").is_err());
        assert!(bbox("bbox", "1,2,3,NaN").is_err());
        assert!(bbox("bbox", "1,-95,3,4").is_err());
    }

    #[test]
    fn dates_take_days_months_and_years() {
        assert_eq!(
            date("from", "2016-12-22", false).unwrap().to_string(),
            "2016-12-22"
        );
        assert_eq!(
            date("from", "2016-02", false).unwrap().to_string(),
            "2016-02-01"
        );
        assert_eq!(
            date("to", "2016-02", true).unwrap().to_string(),
            "2016-02-29"
        );
        assert_eq!(
            date("to", "2016-12", true).unwrap().to_string(),
            "2016-12-31"
        );
        assert_eq!(date("to", "2016", true).unwrap().to_string(), "2016-12-31");
        for bad in ["2016-13-01", "22/12/2016", "hier", "2016-2-1", ""] {
            let e = date("from", bad, false).unwrap_err().to_string();
            assert!(e.starts_with("parameter `from`"), "{bad}: {e}");
        }
    }

    #[test]
    fn unknown_and_repeated_parameters_are_named() {
        let e = Params::parse(Some("bbx=1"), &EVENT_FILTERS).unwrap_err();
        assert!(
            e.to_string()
                .starts_with("parameter `bbx`: unknown parameter"),
            "{e}"
        );
        let p = Params::parse(Some("from=2016&from=2017"), &EVENT_FILTERS).unwrap();
        assert!(p.get("from").is_err());
    }

    #[test]
    fn types_subtypes_and_limits_are_checked() {
        let g = Gazetteer::builtin().unwrap();
        let p = Params::parse(
            Some("type=strike,clash&subtype=air&limit=5"),
            &EVENT_FILTERS,
        )
        .unwrap();
        let f = event_filter(&p, &g, 100, 1000).unwrap();
        assert_eq!(f.types, ["strike", "clash"]);
        assert_eq!(f.limit, 5);
        for (q, name) in [
            ("type=battle", "type"),
            ("subtype=nuclear", "subtype"),
            ("limit=0", "limit"),
            ("limit=abc", "limit"),
            ("min_fatalities=-1", "min_fatalities"),
            ("min_confidence=1.5", "min_confidence"),
            ("min_confidence=NaN", "min_confidence"),
            ("place=atlantis", "place"),
            ("q=%20%2C", "q"),
            ("from=2017-01-01&to=2016-01-01", "to"),
        ] {
            let p = Params::parse(Some(q), &EVENT_FILTERS).unwrap();
            match event_filter(&p, &g, 100, 1000) {
                Err(Error::Param { name: n, .. }) => assert_eq!(n, name, "{q}"),
                other => panic!("{q}: {other:?}"),
            }
        }
    }

    #[test]
    fn lists_are_capped_by_name_and_repeats_count_once() {
        let g = Gazetteer::builtin().unwrap();
        let actors: Vec<String> = (0..=MAX_ACTORS).map(|i| format!("a{i}")).collect();
        let p =
            Params::parse(Some(&format!("actor={}", actors.join(","))), &EVENT_FILTERS).unwrap();
        match event_filter(&p, &g, 100, 1000) {
            Err(Error::Param { name, message }) => {
                assert_eq!(name, "actor");
                assert!(message.contains("at most 50"), "{message}");
            }
            other => panic!("{other:?}"),
        }
        let p = Params::parse(
            Some(&format!("actor={}", actors[..MAX_ACTORS].join(","))),
            &EVENT_FILTERS,
        )
        .unwrap();
        assert_eq!(
            event_filter(&p, &g, 100, 1000).unwrap().actors.len(),
            MAX_ACTORS
        );
        // The same value 17,000 times is one value.
        let p = Params::parse(Some(&"type=strike&".repeat(17_000)), &EVENT_FILTERS).unwrap();
        assert_eq!(event_filter(&p, &g, 100, 1000).unwrap().types, ["strike"]);
    }

    #[test]
    fn search_words_drop_punctuation() {
        assert_eq!(
            words("raids \"aériens\" (Alep)"),
            ["raids", "aériens", "Alep"]
        );
    }
}
