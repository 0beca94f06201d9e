//! The HTML pages: askama templates (in `frontend/templates`) filled from
//! the store; every text is escaped by askama, and links taken from
//! articles are kept only when they are http(s).

use super::auth::{MaybeSession, PageSession};
use super::params::{Lang, Query};
use super::problem::Problem;
use super::{AppState, BaseUrl};
use crate::error::{Error, Result};
use askama::Template;
use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use frontline_extract::dates::{french_date, french_month};
use frontline_extract::vocab::{Term, Vocabulary};
use frontline_store::{EventFields, PlaceRow, SourceRow};

/// Words of the pages, in French and English.
pub struct Labels {
    pub title: &'static str,
    pub description: &'static str,
    pub place_page: &'static str,
    pub on_map: &'static str,
    pub history: &'static str,
    pub no_control: &'static str,
    pub events: &'static str,
    pub no_events: &'static str,
    pub unknown_actor: &'static str,
    pub killed: &'static str,
    pub injured: &'static str,
    pub unknown_date: &'static str,
    pub precision: [&'static str; 3],
    pub taken_by: &'static str,
    pub taken_from: &'static str,
    pub governorate: &'static str,
    pub control_bar: &'static str,
    pub events_map: &'static str,
    /// Before the day a human checked an event.
    pub verified: &'static str,
}

const FR: Labels = Labels {
    title: "Frontline — carte des événements en Syrie",
    description: "Frappes, combats et changements de contrôle en Syrie, extraits de dépêches en français, avec leurs preuves.",
    place_page: "Page du lieu",
    on_map: "voir sur la carte",
    history: "Qui contrôlait ce lieu",
    no_control: "Aucun changement de contrôle rapporté.",
    events: "Événements",
    no_events: "Aucun événement.",
    unknown_actor: "acteur inconnu",
    killed: "morts",
    injured: "blessés",
    unknown_date: "date inconnue",
    precision: ["lieu exact", "à proximité", "région"],
    taken_by: "Pris par :",
    taken_from: "auparavant :",
    governorate: "gouvernorat",
    control_bar: "Qui contrôlait ce lieu, période par période",
    events_map: "Carte du lieu et de ses événements",
    verified: "vérifié le",
};

const EN: Labels = Labels {
    title: "Frontline — map of events in Syria",
    description: "Strikes, fighting and changes of control in Syria, extracted from French news, with their evidence.",
    place_page: "Place page",
    on_map: "see on the map",
    history: "Who controlled this place",
    no_control: "No change of control reported.",
    events: "Events",
    no_events: "No events.",
    unknown_actor: "unknown actor",
    killed: "killed",
    injured: "injured",
    unknown_date: "unknown date",
    precision: ["exact place", "nearby", "region"],
    taken_by: "Taken by:",
    taken_from: "previously:",
    governorate: "governorate",
    control_bar: "Who controlled this place, period by period",
    events_map: "Map of the place and its events",
    verified: "verified on",
};

pub(super) fn labels(english: bool) -> &'static Labels {
    if english {
        &EN
    } else {
        &FR
    }
}

/// What sort of place a gazetteer kind is, in the page's language (the
/// kind itself when it is not one of the gazetteer's). The one table of
/// these words: the place page is the only one that shows them.
fn kind_label(kind: &str, english: bool) -> String {
    use gazetteer::Kind;
    let Ok(k) = kind.parse::<Kind>() else {
        return kind.to_string();
    };
    let (fr, en) = match k {
        Kind::Governorate => ("gouvernorat", "governorate"),
        Kind::District => ("district", "district"),
        Kind::City => ("ville", "city"),
        Kind::Town => ("petite ville", "town"),
        Kind::Village => ("village", "village"),
        Kind::Neighbourhood => ("quartier", "neighbourhood"),
        Kind::Camp => ("camp", "camp"),
        Kind::Base => ("base militaire", "military base"),
        Kind::Region => ("région", "region"),
        Kind::Landmark => ("site", "landmark"),
        Kind::Country => ("pays", "country"),
        Kind::Foreign => ("lieu à l'étranger", "place abroad"),
    };
    (if english { en } else { fr }).to_string()
}

/// A governorate (the gazetteer's canonical English name, as places carry
/// it in `admin1`) by its name in the page's language: the gazetteer's
/// governorate entry, without its "gouvernorat de" / "Governorate".
fn governorate_label(g: &gazetteer::Gazetteer, admin1: &str, english: bool) -> String {
    let found = g
        .places()
        .iter()
        .find(|p| p.kind == gazetteer::Kind::Governorate && p.admin1 == admin1);
    let Some(p) = found else {
        return admin1.to_string();
    };
    let name = if english { &p.name_en } else { &p.name_fr };
    let name = name.trim();
    let bare = ["gouvernorat de ", "gouvernorat d'", "gouvernorat d’"]
        .iter()
        .find_map(|pre| name.strip_prefix(pre))
        .or_else(|| name.strip_suffix(" Governorate"))
        .unwrap_or(name);
    if bare.is_empty() {
        admin1.to_string()
    } else {
        bare.to_string()
    }
}

/// The subtype events carry when the text does not say: not shown.
const NO_SUBTYPE: &str = "unspecified";

/// An event's type and subtype as readers see them, from the vocabulary's
/// labels: the subtype after the type in French ("Frappe aérienne"),
/// before it in English ("Air strike"); the raw keys for what the
/// vocabulary does not know.
fn type_label(t: &str, sub: Option<&str>, english: bool) -> String {
    let v = Vocabulary::builtin();
    let label = |terms: &[Term], key: &str| -> String {
        terms.iter().find(|x| x.key == key).map_or_else(
            || key.to_string(),
            |x| {
                if english {
                    x.label_en.clone()
                } else {
                    x.label_fr.clone()
                }
            },
        )
    };
    let base = label(&v.types, t);
    let sub = sub
        .filter(|s| !s.is_empty() && *s != NO_SUBTYPE)
        .filter(|s| {
            v.subtypes
                .iter()
                .any(|x| x.key == *s && x.types.contains(&t))
        })
        .map(|s| label(&v.subtypes, s));
    match sub {
        None => base,
        Some(sub) if english => format!("{} {}", capitalise(&sub), lower_first(&base)),
        Some(sub) => format!("{base} {sub}"),
    }
}

/// An actor's name in the page's language (the vocabulary's label), or
/// the name itself when the vocabulary does not know it.
fn actor_label(name: &str, english: bool) -> String {
    match Vocabulary::builtin().actor(name) {
        Some(a) if english => a.label_en.clone(),
        Some(a) => a.label_fr.clone(),
        None => name.to_string(),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// "Strike" → "strike", but "IED" stays "IED".
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match (c.next(), c.next()) {
        (Some(f), Some(g)) if !g.is_uppercase() => {
            f.to_lowercase().chain(s[f.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

/// A date as a reader says it, to its precision.
fn date_label(date: Option<&str>, precision: &str, english: bool) -> String {
    let Some(d) = date.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()) else {
        return labels(english).unknown_date.into();
    };
    match (precision, english) {
        ("year", _) => chrono::Datelike::year(&d).to_string(),
        ("month", false) => french_month(d),
        ("month", true) => d.format("%B %Y").to_string(),
        (_, false) => french_date(d),
        (_, true) => d.format("%-d %B %Y").to_string(),
    }
}

/// An article link, kept only when it is http(s).
pub fn safe_url(u: Option<&str>) -> Option<String> {
    let u = u?.trim();
    let lower = u.to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| u.to_string())
}

/// Whether a page's query asks for English (`lang=en`); anything else is
/// French.
pub(super) fn english(raw: Option<&str>) -> bool {
    raw.unwrap_or("").split('&').any(|kv| kv == "lang=en")
}

/// What a link preview shows (Open Graph and Twitter card tags): the
/// image is the static map of the same view.
pub struct OpenGraph {
    pub title: String,
    pub description: String,
    pub url: String,
    pub image: String,
}

/// The parameters of a page's query that `/static.png` takes (others,
/// such as a tracker's, would make the image a 400).
fn image_query(raw: Option<&str>) -> String {
    use super::params::{FromQuery, StaticView};
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).unwrap_or_default();
    let kept: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| StaticView::ALLOWED.contains(&k.as_str()))
        .filter(|(k, _)| !matches!(k.as_str(), "w" | "h" | "scale"))
        .collect();
    serde_urlencoded::to_string(kept).unwrap_or_default()
}

/// The preview image of a view: 1200 × 630, the size previews expect.
fn preview_image(base: &str, query: &str) -> String {
    let sep = if query.is_empty() { "" } else { "&" };
    format!("{base}/static.png?{query}{sep}w=1200&h=630")
}

/// An HTML response that is not cached by shared caches; one made for a
/// logged-in browser (its name, its CSRF token) is not stored at all.
pub(super) fn html(body: String, session: &Option<PageSession>) -> Response {
    let mut res = Html(body).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if session.is_some() {
        no_store(res.headers_mut());
    }
    res
}

/// `Cache-Control: private, no-store`: for answers that carry a session
/// or its cookies.
pub(super) fn no_store(headers: &mut HeaderMap) {
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
}

/// A page's error: the crate's error, shown as an HTML page with the
/// status the API gives it (styled with the front end at `assets`).
pub struct PageError {
    error: Error,
    assets: &'static str,
}

impl PageError {
    pub(super) fn new(error: impl Into<Error>, state: &AppState) -> PageError {
        PageError {
            error: error.into(),
            assets: state.assets_prefix(),
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    lang: &'a str,
    assets: &'a str,
    status: u16,
    title: &'a str,
    detail: String,
    /// Always `None`: error pages show no account.
    session: Option<PageSession>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let problem = Problem::from(&self.error);
        if problem.status >= 500 {
            tracing::error!(error = %self.error, "page failed");
        }
        let status =
            StatusCode::from_u16(problem.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let page = ErrorPage {
            lang: "fr",
            assets: self.assets,
            status: problem.status,
            title: problem.title,
            detail: problem.detail,
            session: None,
        };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => status.into_response(),
        }
    }
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage<'a> {
    lang: &'a str,
    assets: &'a str,
    lang_query: &'a str,
    t: &'static Labels,
    embed: bool,
    tiles: &'a str,
    attribution: &'a str,
    base: &'a str,
    boundaries: bool,
    oembed_href: String,
    og: OpenGraph,
    session: Option<PageSession>,
}

fn map_page(
    state: &AppState,
    base: &str,
    raw: Option<&str>,
    embed: bool,
    session: Option<PageSession>,
) -> Result<Response> {
    let en = english(raw);
    let here = format!(
        "{base}{}?{}",
        if embed { "/embed" } else { "/" },
        raw.unwrap_or("")
    );
    let query = serde_urlencoded::to_string([("format", "json"), ("url", here.as_str())])
        .unwrap_or_default();
    let oembed_href = format!("{base}/oembed?{query}");
    let t = labels(en);
    let og = OpenGraph {
        title: t.title.into(),
        description: t.description.into(),
        image: preview_image(base, &image_query(raw)),
        url: here.clone(),
    };
    let page = MapPage {
        lang: if en { "en" } else { "fr" },
        assets: state.assets_prefix(),
        lang_query: if en { "?lang=en" } else { "" },
        t: labels(en),
        embed,
        tiles: &state.settings.tile_url,
        attribution: &state.settings.tile_attribution,
        base,
        boundaries: state.boundaries.is_some(),
        oembed_href,
        og,
        session,
    };
    Ok(html(
        page.render()
            .map_err(|e| Error::Internal(format!("template: {e}")))?,
        &page.session,
    ))
}

// The map's own parameters (view, layers, filters) are read by the page's
// scripts, so `/` and `/embed` take their query as it is.

/// `GET /`: the map.
pub async fn map(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    RawQuery(raw): RawQuery,
    MaybeSession(session): MaybeSession,
) -> Result<Response, PageError> {
    map_page(&state, &base, raw.as_deref(), false, session).map_err(|e| PageError::new(e, &state))
}

/// `GET /embed`: the same map with minimal chrome, for iframes (no
/// account shown: it lives in other sites' pages).
pub async fn embed(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    RawQuery(raw): RawQuery,
) -> Result<Response, PageError> {
    map_page(&state, &base, raw.as_deref(), true, None).map_err(|e| PageError::new(e, &state))
}

struct ControlItem {
    date: String,
    date_label: String,
    actor: String,
    actor_label: String,
    previous: Option<String>,
    evidence: String,
    event_href: String,
    /// Days until the next change (or until the latest news of the map).
    days: i64,
    /// The period as readers see it ("2016 – 2024"), for the control bar.
    period: String,
}

struct SourceItem {
    url: Option<String>,
    label: String,
    meta: String,
}

struct EventItem {
    id: i64,
    kind: String,
    type_label: String,
    date: String,
    date_label: String,
    actors: String,
    casualties: String,
    precision: String,
    evidence: String,
    event_href: String,
    sources: Vec<SourceItem>,
    /// When a human accepted or corrected it: (ISO day, as read).
    verified: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "place.html")]
struct PlacePage<'a> {
    lang: &'a str,
    assets: &'a str,
    lang_query: &'a str,
    t: &'static Labels,
    id: String,
    name: String,
    name_ar: String,
    kind: String,
    kind_label: String,
    admin1: String,
    lat: f64,
    lon: f64,
    geonameid: Option<i64>,
    map_href: String,
    tiles: &'a str,
    attribution: &'a str,
    boundaries: bool,
    control: Vec<ControlItem>,
    events: Vec<EventItem>,
    events_total: i64,
    og: OpenGraph,
    /// The static map printed in place of the interactive one.
    print_map: String,
    session: Option<PageSession>,
}

fn event_item(e: EventFields, sources: Vec<SourceRow>, en: bool, lang_q: &str) -> EventItem {
    let t = labels(en);
    let actor = |a: &Option<String>| {
        a.as_deref()
            .map_or_else(|| t.unknown_actor.into(), |a| actor_label(a, en))
    };
    let actors = match &e.target {
        Some(target) => format!("{} → {}", actor(&e.actor), actor_label(target, en)),
        None => actor(&e.actor),
    };
    let mut casualties = Vec::new();
    if let Some(k) = e.fatalities {
        casualties.push(format!("{k} {}", t.killed));
    }
    if let Some(i) = e.injured {
        casualties.push(format!("{i} {}", t.injured));
    }
    let precision = match e.precision.as_str() {
        "exact" => t.precision[0].to_string(),
        "near" => format!("{} (≈ {:.0} km)", t.precision[1], e.radius_km),
        _ => format!("{} (≈ {:.0} km)", t.precision[2], e.radius_km),
    };
    let sources = sources
        .into_iter()
        .map(|s| SourceItem {
            url: safe_url(s.url.as_deref()),
            label: s
                .title
                .clone()
                .or(s.source.clone())
                .unwrap_or_else(|| format!("article {}", s.article_id)),
            meta: [
                s.title.as_ref().and(s.source.clone()),
                s.published
                    .as_deref()
                    .map(|d| date_label(d.get(..10), "day", en)),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(", "),
        })
        .collect();
    let verified = verified_day(&e, en);
    EventItem {
        id: e.id,
        type_label: type_label(&e.event_type, e.subtype.as_deref(), en),
        kind: e.event_type,
        date: e.date.clone().unwrap_or_default(),
        date_label: date_label(e.date.as_deref(), &e.date_precision, en),
        actors,
        casualties: casualties.join(", "),
        precision,
        evidence: e.evidence,
        event_href: format!("/?event={}{lang_q}", e.id),
        sources,
        verified,
    }
}

/// The day a human accepted or corrected the event, if one did.
fn verified_day(e: &EventFields, en: bool) -> Option<(String, String)> {
    if !matches!(e.review.as_str(), "accepted" | "edited") {
        return None;
    }
    let day = e.reviewed_at.as_deref()?.get(..10)?;
    NaiveDate::parse_from_str(day, "%Y-%m-%d").ok()?;
    Some((day.to_string(), date_label(Some(day), "day", en)))
}

/// `GET /places/{id}`: a small map, who controlled the place when, and its
/// events with their evidence and sources.
pub async fn place(
    State(state): State<AppState>,
    BaseUrl(base): BaseUrl,
    Path(id): Path<String>,
    lang: Result<Query<Lang>, Error>,
    MaybeSession(session): MaybeSession,
) -> Result<Response, PageError> {
    // A bad parameter is shown as an error page, not as problem JSON.
    match lang {
        Ok(Query(Lang { english })) => place_page(&state, &base, id, english, session).await,
        Err(e) => Err(e),
    }
    .map_err(|e| PageError::new(e, &state))
}

async fn place_page(
    state: &AppState,
    base: &str,
    id: String,
    en: bool,
    session: Option<PageSession>,
) -> Result<Response> {
    let lang_q = if en { "&lang=en" } else { "" };
    let history = state.store.place_history(&id, 200).await?;
    let place: PlaceRow = match history.place.clone() {
        Some(p) => p,
        None => {
            let g = &state.gazetteer;
            let found = g.by_id(&id).map(|pid| PlaceRow::from(g.place(pid)));
            found.ok_or_else(|| Error::NotFound(format!("place {id:?}")))?
        }
    };
    let ids: Vec<i64> = history.events.iter().map(|e| e.fields.id).collect();
    let mut sources = state.store.sources(&ids).await?;
    // The last period runs to the latest news of the map (not of this
    // place only): control is known to last until something changes it.
    let (_, latest) = state.store.date_range().await?;
    let last_news = history
        .events
        .iter()
        .filter_map(|e| e.fields.date.clone())
        .chain(latest)
        .max();
    let steps = history.control;
    let day = |d: Option<&str>| d.and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let year = |d: Option<NaiveDate>| d.map(|d| chrono::Datelike::year(&d).to_string());
    let t = labels(en);
    let control = steps
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let until = steps
                .get(i + 1)
                .and_then(|n| day(n.date.as_deref()))
                .or(day(last_news.as_deref()));
            let from = day(c.date.as_deref());
            let days = match (from, until) {
                (Some(a), Some(b)) => (b - a).num_days().max(1),
                _ => 1,
            };
            let (a, b) = (year(from), year(until));
            let period = match (a, b) {
                (Some(a), Some(b)) if a == b => a,
                (Some(a), Some(b)) => format!("{a}–{b}"),
                (Some(a), None) => a,
                _ => String::new(),
            };
            ControlItem {
                date: c.date.clone().unwrap_or_default(),
                date_label: date_label(c.date.as_deref(), &c.date_precision, en),
                actor: c.actor.clone().unwrap_or_default(),
                actor_label: c
                    .actor
                    .as_deref()
                    .map_or_else(|| t.unknown_actor.into(), |a| actor_label(a, en)),
                previous: c.target.as_deref().map(|a| actor_label(a, en)),
                evidence: c.evidence.clone(),
                event_href: format!("/?event={}{lang_q}", c.event_id),
                days,
                period,
            }
        })
        .collect();
    let events = history
        .events
        .into_iter()
        .map(|e| {
            let s = sources.remove(&e.fields.id).unwrap_or_default();
            event_item(e.fields, s, en, lang_q)
        })
        .collect();
    let name = if en && !place.name_en.is_empty() {
        place.name_en.clone()
    } else {
        place.name.clone()
    };
    let view = format!("lat={:.4}&lng={:.4}&z=10{lang_q}", place.lat, place.lon);
    let og = OpenGraph {
        title: format!("{name} — Frontline"),
        description: format!("{} — {}", t.history, t.description),
        url: format!(
            "{base}/places/{}{}",
            place.id,
            if en { "?lang=en" } else { "" }
        ),
        image: preview_image(base, &view),
    };
    let print_map = format!("/static.png?{view}&w=900&h=500&scale=2");
    let page = PlacePage {
        lang: if en { "en" } else { "fr" },
        assets: state.assets_prefix(),
        lang_query: if en { "?lang=en" } else { "" },
        t,
        name,
        map_href: format!("/?lat={:.4}&lng={:.4}&z=11{lang_q}", place.lat, place.lon),
        id: place.id,
        name_ar: place.name_ar,
        kind_label: kind_label(&place.kind, en),
        kind: place.kind,
        admin1: match (place.admin1.as_str(), en) {
            ("", _) => String::new(),
            (a, true) => format!(
                "{} {}",
                governorate_label(&state.gazetteer, a, en),
                t.governorate
            ),
            (a, false) => format!(
                "{} : {}",
                t.governorate,
                governorate_label(&state.gazetteer, a, en)
            ),
        },
        lat: place.lat,
        lon: place.lon,
        geonameid: place.geonameid,
        tiles: &state.settings.tile_url,
        attribution: &state.settings.tile_attribution,
        boundaries: state.boundaries.is_some(),
        control,
        events,
        events_total: history.events_total,
        og,
        print_map,
        session,
    };
    Ok(html(
        page.render()
            .map_err(|e| Error::Internal(format!("template: {e}")))?,
        &page.session,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_web_links_are_kept() {
        assert_eq!(
            safe_url(Some(" https://a.org/x ")).as_deref(),
            Some("https://a.org/x")
        );
        assert_eq!(safe_url(Some("javascript:alert(1)")), None);
        assert_eq!(safe_url(Some("JaVaScRiPt:alert(1)")), None);
        assert_eq!(safe_url(Some("data:text/html,x")), None);
        assert_eq!(safe_url(None), None);
    }

    #[test]
    fn dates_read_to_their_precision() {
        assert_eq!(
            date_label(Some("2016-12-22"), "day", false),
            "22 décembre 2016"
        );
        assert_eq!(
            date_label(Some("2016-12-01"), "month", false),
            "décembre 2016"
        );
        assert_eq!(
            date_label(Some("2016-12-22"), "day", true),
            "22 December 2016"
        );
        assert_eq!(date_label(Some("2017-01-01"), "year", true), "2017");
        assert_eq!(date_label(None, "unknown", false), "date inconnue");
    }

    #[test]
    fn types_and_actors_read_in_both_languages_from_the_vocabulary() {
        assert_eq!(type_label("strike", Some("air"), false), "Frappe aérienne");
        assert_eq!(type_label("strike", Some("air"), true), "Air strike");
        assert_eq!(
            type_label("explosion", Some("car_bomb"), false),
            "Explosion voiture piégée"
        );
        assert_eq!(type_label("explosion", Some("ied"), true), "IED explosion");
        assert_eq!(type_label("strike", Some("unspecified"), false), "Frappe");
        assert_eq!(type_label("clash", None, true), "Clash");
        assert_eq!(type_label("clash", Some("air"), true), "Clash");
        assert_eq!(type_label("new_type", Some("x"), true), "new_type");
        assert_eq!(actor_label("Turkey", false), "Turquie");
        assert_eq!(actor_label("Turkey", true), "Turkey");
        assert_eq!(actor_label("Liwa al-Quds", false), "Liwa al-Quds");
    }

    #[test]
    fn kinds_of_places_read_in_both_languages() {
        assert_eq!(kind_label("city", false), "ville");
        assert_eq!(kind_label("city", true), "city");
        assert_eq!(kind_label("governorate", false), "gouvernorat");
        assert_eq!(kind_label("neighborhood", false), "quartier");
        assert_eq!(kind_label("neighbourhood", true), "neighbourhood");
        assert_eq!(kind_label("base", true), "military base");
        assert_eq!(kind_label("spaceport", false), "spaceport");
    }

    #[test]
    fn untrusted_text_is_escaped_in_pages() {
        let page = ErrorPage {
            lang: "fr",
            assets: "/assets/dev",
            status: 404,
            title: "Not found",
            detail: "<script>alert(1)</script><img src=x onerror=alert(2)>".into(),
            session: None,
        };
        let html = page.render().unwrap();
        assert!(!html.contains("<script>alert"));
        assert!(!html.contains("<img src=x"));
        assert!(
            html.contains("&lt;script&gt;") || html.contains("&#60;script&#62;"),
            "{html}"
        );
    }
}
