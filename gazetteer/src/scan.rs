//! Finding place names in running text and choosing which place each means.

use crate::index::{Candidate, Gazetteer, KeyId, PlaceId};
use crate::normalize::{tokenize_into, words_norm, Joint, Token};
use crate::place::{offset_point, Kind};
use serde::Serialize;

/// How precisely a mention locates something.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// The settlement, base or neighbourhood itself.
    Exact,
    /// An offset from a named place ("à 10 km au sud d'Alep", "près de").
    Near,
    /// Only a governorate or a region.
    Region,
}

impl Precision {
    /// The name used in JSON, the database and the corpus schema.
    pub fn as_str(self) -> &'static str {
        match self {
            Precision::Exact => "exact",
            Precision::Near => "near",
            Precision::Region => "region",
        }
    }
}

/// "à 10 km au sud-ouest de": where a mention points relative to its place.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Relative {
    /// Bearing in degrees from the place, if a direction is given.
    pub bearing: Option<f64>,
    /// Distance in km, if given.
    pub distance_km: Option<f64>,
    /// Byte offset where the relative phrase starts.
    pub start: usize,
    /// "dans le nord de la province": a part of an area, not a point near it.
    pub within: bool,
}

/// One place name found in a text.
#[derive(Debug, Clone, Serialize)]
pub struct Mention {
    /// Byte offsets of the name in the text.
    pub start: usize,
    pub end: usize,
    pub surface: String,
    /// Candidates, best first; empty never happens for a reported mention.
    pub candidates: Vec<Candidate>,
    /// Kinds announced by a cue before the name ("province de").
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cue: Vec<Kind>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub relative: Option<Relative>,
}

/// A mention with its chosen place and the point it designates.
#[derive(Debug, Clone, Serialize)]
pub struct Resolved {
    pub mention: Mention,
    pub place: PlaceId,
    pub score: f64,
    pub lat: f64,
    pub lon: f64,
    pub precision: Precision,
    /// Uncertainty radius of the point, in km.
    pub radius_km: f64,
}

impl Mention {
    pub fn best(&self) -> PlaceId {
        self.candidates[0].place
    }
}

/// How far (Levenshtein over length) a transliteration-key match may be
/// from every spelling of the place and still count.
pub(crate) const MAX_SPELLING_DISTANCE: f64 = 0.34;

/// How far (in bytes of text, about a long article) the other places that
/// disambiguate a mention may be.
const ANCHOR_WINDOW: usize = 20_000;

/// Default offsets when a relative phrase gives no distance.
const NEAR_KM: f64 = 5.0;
const DIRECTION_ONLY_KM: f64 = 10.0;
const WITHIN_AREA_KM: f64 = 25.0;

impl Gazetteer {
    /// Every place mention in `text`, longest name first, with candidates
    /// ranked by their context-free prior and the cue before them.
    pub fn scan(&self, text: &str) -> Vec<Mention> {
        let mut tokens = Vec::new();
        tokenize_into(text, &mut tokens);
        self.scan_tokens(text, &tokens)
    }

    pub(crate) fn scan_tokens(&self, text: &str, tokens: &[Token]) -> Vec<Mention> {
        let mut out = Vec::new();
        let n = tokens.len();
        let mut i = 0;
        let mut norm = String::new();
        let mut ends: Vec<(usize, u32)> = Vec::new();
        let mut keys = TextKeys::new(self, tokens);
        let capital_in = words_to_capital(tokens);
        while i < n {
            let t = &tokens[i];
            // A name needs a capital letter within its words, unless it is a
            // lowercase periphrasis (see `plausible`): most common words are
            // passed over without computing their key.
            if t.article
                || (capital_in[i] > self.reach_bound(t) && !self.may_start_periphrasis(t.form()))
            {
                i += 1;
                continue;
            }
            let Some(first) = keys.root(i) else {
                i += 1;
                continue;
            };
            let root = &self.nodes[first as usize];
            if !root.lowercase_below && capital_in[i] > u32::from(root.reach) {
                i += 1;
                continue;
            }
            // Walk the trie, remembering every position that ends a name.
            ends.clear();
            let (mut j, mut node) = (i, first);
            loop {
                if !self.nodes[node as usize].entries.is_empty() {
                    ends.push((j, node));
                }
                if tokens[j].joint == Joint::Break {
                    break;
                }
                let mut k = j + 1;
                while k < n && tokens[k].article && tokens[k].joint == Joint::Join {
                    k += 1;
                }
                if k >= n {
                    break;
                }
                match keys
                    .id(k)
                    .and_then(|id| self.nodes[node as usize].child(id))
                {
                    Some(c) => {
                        node = c;
                        j = k;
                    }
                    None => break,
                }
            }
            let mut accepted = None;
            for &(j, node) in ends.iter().rev() {
                let span = &tokens[i..=j];
                let entries = &self.nodes[node as usize].entries;
                // Without a capital letter only a lowercase periphrasis can
                // match (see `plausible`): most common words stop here.
                if !span.iter().any(|t| t.capitalized && !t.article)
                    && !entries.iter().any(|e| e.lowercase)
                {
                    continue;
                }
                words_norm(span, &mut norm);
                let candidates = self.candidates(entries, &norm);
                let periphrasis = entries
                    .iter()
                    .any(|e| e.lowercase && *e.norm == *norm && norm.contains(' '));
                // Cheap checks first; then a transliteration-key match must
                // still look like one of the names: "Sergueï" is not "Serghaya".
                let accept = periphrasis
                    || (self.plausible(span, &candidates)
                        && (candidates.iter().any(|c| c.exact)
                            || entries.iter().any(|e| {
                                spelling_distance(&norm, &e.norm) <= MAX_SPELLING_DISTANCE
                            })));
                if accept {
                    accepted = Some((j, candidates));
                    break;
                }
            }
            let Some((j, candidates)) = accepted else {
                i += 1;
                continue;
            };
            // "le journal assafir", "la chaîne al-Mayadeen", "la brigade Hamza":
            // a name after these words is not a place.
            let mut k = i;
            while k > 0
                && (tokens[k - 1].article
                    || matches!(tokens[k - 1].form(), "de" | "le" | "la" | "les" | "du"))
            {
                k -= 1;
            }
            if k > 0 && self.lexicon.is_not_place_cue(&tokens[k - 1].norm) {
                i = j + 1;
                continue;
            }
            // "Sergueï Lavrov", "Abdallah al-Kahtani": after a capitalised
            // word inside a sentence, a loose match is a surname.
            let loose = !candidates.iter().any(|c| c.exact);
            let first = if i > 0 && tokens[i - 1].article {
                i - 1
            } else {
                i
            };
            if loose
                && first > 0
                && tokens[first - 1].capitalized
                && tokens[first - 1].joint == Joint::Join
                && !tokens[first - 1].sentence_start
                && keys.root(first - 1).is_none()
            {
                i = j + 1;
                continue;
            }
            // Include an article attached before the name ("al-Bab").
            let start = if i > 0 && tokens[i - 1].article {
                tokens[i - 1].start
            } else {
                t.start
            };
            let end = tokens[j].end;
            let cue = self.cue_before(text, &mut keys, i, &out);
            let relative = self.relative_before(&mut keys, i);
            let mut m = Mention {
                start,
                end,
                surface: text[start..end].to_string(),
                candidates,
                cue,
                relative,
            };
            for c in &mut m.candidates {
                c.score = self.prior_score(c, &m.cue);
            }
            m.candidates
                .sort_by(|a, b| b.score.total_cmp(&a.score).then(a.place.cmp(&b.place)));
            out.push(m);
            i = j + 1;
        }
        out
    }

    /// The capitalisation cue and the stop lists: is this span a name?
    fn plausible(&self, span: &[Token], candidates: &[Candidate]) -> bool {
        let exact = candidates.iter().any(|c| c.exact);
        if !exact && span.iter().filter(|t| !t.article).count() == 1 {
            // Regions, bases and landmarks are written one way; only
            // settlements vary enough to match by transliteration alone.
            let settlement = candidates.iter().any(|c| {
                matches!(
                    self.place(c.place).kind,
                    Kind::City | Kind::Town | Kind::Village | Kind::Neighbourhood
                )
            });
            if !settlement {
                return false;
            }
        }
        let mut words = span.iter().filter(|t| !t.article);
        if !words.clone().any(|t| t.capitalized) {
            return false;
        }
        if let (Some(w), None) = (words.next(), words.next()) {
            if self.lexicon.is_stop_word(&w.norm) {
                return false;
            }
            // A transliteration-only match on a short word is too loose:
            // "Homme" and "Hama" share the key `ham`.
            if !exact && (w.norm.len() < 5 || w.with_key(str::len) < 4) {
                return false;
            }
        }
        true
    }

    /// Kinds announced before token `i`: "province d'Idleb", "les provinces
    /// voisines d'Alep et d'Idleb", "la ville syrienne de Qamichli".
    fn cue_before(
        &self,
        text: &str,
        keys: &mut TextKeys,
        i: usize,
        earlier: &[Mention],
    ) -> Vec<Kind> {
        let tokens = keys.tokens;
        let mut k = i;
        let mut skipped_words = 0;
        while k > 0 {
            let prev = &tokens[k - 1];
            // Stop at a sentence or clause boundary.
            let between = &text[prev.end..tokens[k].start];
            if between.contains(['.', ';', ':', '(', ')', '!', '?', '\n']) {
                break;
            }
            if let Some((kinds, _)) = keys.cue_ending_at(k) {
                return kinds.to_vec();
            }
            let word = prev.form();
            if matches!(
                word,
                "de" | "du" | "des" | "la" | "le" | "les" | "et" | "ou" | "a" | "au" | "aux"
            ) || prev.article
            {
                k -= 1;
                continue;
            }
            // Another place of the same list.
            // (Mentions are in text order: only the last ones can contain it.)
            if earlier
                .iter()
                .rev()
                .take_while(|m| m.end >= prev.start)
                .any(|m| m.start <= prev.start && prev.end <= m.end)
            {
                k -= 1;
                continue;
            }
            // "un quartier du nord-est de Kobané": after a compass word the
            // cue names something else, located relative to this place.
            if self.lexicon.bearing(&prev.norm).is_some() {
                break;
            }
            // Adjectives between the cue and the name ("voisines", "syrienne").
            if !prev.capitalized && skipped_words < 2 && prev.norm.len() > 2 {
                skipped_words += 1;
                k -= 1;
                continue;
            }
            break;
        }
        Vec::new()
    }

    /// A relative location phrase just before token `i`.
    fn relative_before(&self, keys: &mut TextKeys, i: usize) -> Option<Relative> {
        let tokens = keys.tokens;
        // Skip back over "de la ville de", "de la localité d'", "du".
        let mut k = i;
        let mut saw_de = false;
        while k > 0 && i - k < 6 {
            let p = &tokens[k - 1];
            let word = p.form();
            if matches!(word, "de" | "du" | "des") {
                saw_de = true;
                k -= 1;
            } else if matches!(word, "la" | "le" | "les") || p.article {
                k -= 1;
            } else if let Some((_, cue_start)) = keys.cue_ending_at(k) {
                k = cue_start;
            } else {
                break;
            }
        }
        if !saw_de || k == 0 {
            return None;
        }
        let near_words = |t: &Token| {
            matches!(
                t.norm.as_str(),
                "pres"
                    | "proximite"
                    | "environs"
                    | "abords"
                    | "alentours"
                    | "loin"
                    | "portes"
                    | "peripherie"
                    | "banlieue"
                    | "large"
            )
        };
        // Compass direction: "sud-ouest" is two tokens.
        let mut bearing = None;
        let mut dir_start = k;
        if k >= 2 {
            if let Some(b) = self
                .lexicon
                .bearing_of_pair(&tokens[k - 2].norm, &tokens[k - 1].norm)
            {
                bearing = Some(b);
                dir_start = k - 2;
            }
        }
        if bearing.is_none() {
            if let Some(b) = self.lexicon.bearing(&tokens[k - 1].norm) {
                bearing = Some(b);
                dir_start = k - 1;
            }
        }
        let mut start_tok = dir_start;
        let mut within = false;
        let mut near = false;
        if bearing.is_none() {
            if near_words(&tokens[k - 1]) {
                near = true;
                start_tok = k - 1;
            } else if matches!(tokens[k - 1].norm.as_str(), "km" | "kilometres") {
                // "à 120 km de Homs": a distance with no direction.
                start_tok = k;
            } else {
                return None;
            }
        } else {
            // "dans le nord de la province": a part of the area.
            let before: Vec<&str> = tokens[dir_start.saturating_sub(3)..dir_start]
                .iter()
                .map(|t| t.norm.as_str())
                .collect();
            if before.contains(&"dans") || before.contains(&"partie") {
                within = true;
            }
            // "la périphérie est de": the direction qualifies a near word.
            if dir_start > 0 && near_words(&tokens[dir_start - 1]) {
                near = true;
                start_tok = dir_start - 1;
            }
        }
        // A distance before: "à 10 km au", "à une trentaine de kilomètres au".
        let mut distance = None;
        let lo = start_tok.saturating_sub(5);
        for m in (lo..start_tok).rev() {
            let t = &tokens[m];
            if matches!(t.norm.as_str(), "km" | "kilometres" | "kilometre") && m > 0 {
                let mut q = m - 1;
                if tokens[q].form() == "de" && q > 0 {
                    q -= 1;
                }
                let num = &tokens[q];
                let value = num
                    .norm
                    .parse::<f64>()
                    .ok()
                    .or_else(|| approx_number(&num.norm));
                if let Some(v) = value {
                    distance = Some(v);
                    start_tok = q;
                }
                break;
            }
        }
        if near && distance.is_none() && bearing.is_some() {
            // "à la périphérie est de X": just outside.
            distance = Some(3.0);
        }
        Some(Relative {
            bearing,
            distance_km: distance,
            start: tokens[start_tok].start,
            within,
        })
    }

    /// Choose a place for each mention using its cue and the article's
    /// other places, and compute the point each designates.
    pub fn resolve(&self, mentions: Vec<Mention>) -> Vec<Resolved> {
        // Anchors: Syrian places that are unambiguous or clearly best, with
        // their position in the text. Only anchors near a mention in the
        // text count, so that a long text costs time in proportion to its
        // length.
        let anchors: Vec<(usize, f64, f64)> = mentions
            .iter()
            .filter(|m| {
                m.candidates.len() == 1 || m.candidates[0].score - m.candidates[1].score > 0.15
            })
            .filter_map(|m| {
                let p = self.place(m.best());
                (p.in_syria() && !p.kind.is_area()).then_some((m.start, p.lat, p.lon))
            })
            .collect();
        let syria_context = mentions
            .iter()
            .filter(|m| self.place(m.best()).in_syria())
            .count()
            > mentions.len() / 2;
        mentions
            .into_iter()
            .map(|mut m| {
                if m.candidates.len() > 1 {
                    let lo = anchors.partition_point(|a| a.0 + ANCHOR_WINDOW < m.start);
                    let hi = anchors.partition_point(|a| a.0 <= m.start + ANCHOR_WINDOW);
                    let near = &anchors[lo..hi];
                    for c in &mut m.candidates {
                        let p = self.place(c.place);
                        // An equirectangular distance is exact enough for a
                        // proximity bonus and needs no trigonometry per pair.
                        let km_per_lon = 111.2 * p.lat.to_radians().cos();
                        // Squared distances: one square root per candidate.
                        let closest = near
                            .iter()
                            .map(|&(_, la, lo)| {
                                let (dy, dx) = ((la - p.lat) * 111.2, (lo - p.lon) * km_per_lon);
                                dx * dx + dy * dy
                            })
                            .filter(|&d2| d2 > 1.0)
                            .reduce(f64::min);
                        if let Some(d2) = closest {
                            c.score += 0.2 * (-d2.sqrt() / 60.0).exp();
                        }
                        if syria_context && p.in_syria() {
                            c.score += 0.05;
                        }
                    }
                    m.candidates
                        .sort_by(|a, b| b.score.total_cmp(&a.score).then(a.place.cmp(&b.place)));
                }
                self.point_of(m)
            })
            .collect()
    }

    fn point_of(&self, m: Mention) -> Resolved {
        let c = &m.candidates[0];
        let p = self.place(c.place);
        let (mut lat, mut lon) = (p.lat, p.lon);
        let mut precision = if p.kind.is_area() {
            Precision::Region
        } else {
            Precision::Exact
        };
        let mut radius = match p.kind {
            Kind::Governorate | Kind::Region => 40.0,
            Kind::District => 20.0,
            Kind::Country => 200.0,
            Kind::City => 5.0,
            _ => 2.0,
        };
        if let Some(r) = &m.relative {
            // "le nord de la province de Hama": a part of the area.
            if (r.within || r.distance_km.is_none()) && p.kind.is_area() && r.bearing.is_some() {
                if let Some(b) = r.bearing {
                    (lat, lon) = offset_point(lat, lon, b, WITHIN_AREA_KM);
                }
            } else {
                precision = Precision::Near;
                let d = r.distance_km.unwrap_or(if r.bearing.is_some() {
                    DIRECTION_ONLY_KM
                } else {
                    0.0
                });
                if let Some(b) = r.bearing {
                    (lat, lon) = offset_point(lat, lon, b, d);
                }
                radius = if r.bearing.is_some() {
                    (d * 0.3).max(NEAR_KM)
                } else {
                    d.max(NEAR_KM)
                };
            }
        }
        Resolved {
            score: c.score,
            place: c.place,
            lat,
            lon,
            precision,
            radius_km: radius,
            mention: m,
        }
    }

    /// Scan and resolve in one call.
    pub fn analyze(&self, text: &str) -> Vec<Resolved> {
        self.resolve(self.scan(text))
    }

    /// [`Gazetteer::analyze`] over tokens the caller already has from
    /// [`crate::normalize::tokenize`] of the same text.
    pub fn analyze_tokens(&self, text: &str, tokens: &[Token]) -> Vec<Resolved> {
        self.resolve(self.scan_tokens(text, tokens))
    }
}

/// What the scan asks of a word's key, worked out once per word.
#[derive(Debug, Clone, Copy)]
struct WordFacts {
    /// [`NOT_INDEXED`] or the key id.
    id: u32,
    /// The word ends some cue phrase ([`crate::lexicon::Lexicon::ends_cue`]).
    ends_cue: bool,
}

/// The facts of a text's words, each computed the first time it is needed.
struct TextKeys<'a> {
    gazetteer: &'a Gazetteer,
    tokens: &'a [Token],
    facts: Vec<Option<WordFacts>>,
    /// Recently seen words by a hash of their folded form. Common words
    /// ("de", "la", "les") recur so often that remembering them saves most
    /// key computations.
    recent: Vec<Recent>,
}

/// A word [`TextKeys`] remembers.
#[derive(Debug, Clone, Copy)]
struct Recent {
    /// The word as [`short_word`] packs it, or 0 for a longer word.
    short: u64,
    /// The token it was first seen as, for a longer word.
    token: u32,
    elided: bool,
    facts: WordFacts,
}

/// A folded word of one to eight bytes as one number: its bytes, which
/// are never NUL, so that two words give the same number only if equal
/// (and never 0).
fn short_word(norm: &str) -> Option<u64> {
    let bytes = norm.as_bytes();
    (1..=8).contains(&bytes.len()).then(|| {
        bytes
            .iter()
            .fold(0u64, |packed, &b| packed << 8 | u64::from(b))
    })
}

const NOT_INDEXED: u32 = u32::MAX;
const NO_TOKEN: u32 = u32::MAX;
const RECENT_SLOTS: usize = 512;

impl<'a> TextKeys<'a> {
    fn new(gazetteer: &'a Gazetteer, tokens: &'a [Token]) -> Self {
        let unknown = WordFacts {
            id: NOT_INDEXED,
            ends_cue: false,
        };
        TextKeys {
            gazetteer,
            tokens,
            facts: vec![None; tokens.len()],
            recent: vec![
                Recent {
                    short: 0,
                    token: NO_TOKEN,
                    elided: false,
                    facts: unknown,
                };
                RECENT_SLOTS
            ],
        }
    }

    fn facts(&mut self, k: usize) -> WordFacts {
        if let Some(known) = self.facts[k] {
            return known;
        }
        let t = &self.tokens[k];
        // A short word is its own number: hashed and compared in registers.
        let short = short_word(&t.norm);
        let slot = match short {
            Some(word) => (word.wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 32) as usize % RECENT_SLOTS,
            None => {
                let mut h = rustc_hash::FxHasher::default();
                std::hash::Hash::hash(t.norm.as_str(), &mut h);
                std::hash::Hasher::finish(&h) as usize % RECENT_SLOTS
            }
        };
        let seen = self.recent[slot];
        let same = seen.elided == t.elided
            && match short {
                Some(word) => seen.short == word,
                None => self
                    .tokens
                    .get(seen.token as usize)
                    .is_some_and(|other| other.norm == t.norm),
            };
        let mut facts = if same {
            seen.facts
        } else {
            let (gazetteer, lexicon) = (self.gazetteer, &self.gazetteer.lexicon);
            let computed = t.with_key(|key| WordFacts {
                id: gazetteer.key_id(key).unwrap_or(NOT_INDEXED),
                ends_cue: lexicon.ends_cue(key),
            });
            self.recent[slot] = Recent {
                short: short.unwrap_or(0),
                token: k as u32,
                elided: t.elided,
                facts: computed,
            };
            computed
        };
        // An article is skipped by names, whatever its key.
        if t.article {
            facts.id = NOT_INDEXED;
        }
        self.facts[k] = Some(facts);
        facts
    }

    /// The key id of word `k`, if some name uses that key (articles: none).
    fn id(&mut self, k: usize) -> Option<KeyId> {
        let id = self.facts(k).id;
        (id != NOT_INDEXED).then_some(id)
    }

    /// The trie node of the names that start with word `k`.
    fn root(&mut self, k: usize) -> Option<u32> {
        self.id(k).and_then(|id| self.gazetteer.root(id))
    }

    /// A cue phrase ending just before word `end` ("province de" before
    /// "Idleb"): its kinds and first word.
    fn cue_ending_at(&mut self, end: usize) -> Option<(&'a [Kind], usize)> {
        let last = end.checked_sub(1)?;
        if !self.facts(last).ends_cue {
            return None;
        }
        self.gazetteer.lexicon.cue_ending_at(self.tokens, end)
    }
}

/// For each token, how many words (articles aside) a name starting there
/// must span to include a capitalised word: 1 for a capitalised word,
/// `u32::MAX` when none follows before a break.
fn words_to_capital(tokens: &[Token]) -> Vec<u32> {
    let mut out = vec![u32::MAX; tokens.len()];
    let mut next = u32::MAX;
    for (i, t) in tokens.iter().enumerate().rev() {
        if t.joint == Joint::Break {
            next = u32::MAX;
        }
        if t.article {
            // Skipped by the walk; the distance is the next word's.
        } else if t.capitalized {
            next = 1;
        } else {
            next = next.saturating_add(1);
        }
        out[i] = next;
    }
    out
}

/// Levenshtein distance over the longer length, after folding the
/// spellings transliterations disagree on (ou/u, ch/sh, q/k, doubled letters).
pub(crate) fn spelling_distance(a: &str, b: &str) -> f64 {
    /// The letters of a folded name with ou→u, ch→sh, qu/q→k, dj→j,
    /// apostrophes and spaces dropped, doubled letters collapsed.
    fn simplify(s: &str) -> Vec<u8> {
        let b = s.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(b.len());
        let mut i = 0;
        while i < b.len() {
            let (c, step): (&[u8], usize) = match (b[i], b.get(i + 1).copied()) {
                (b'o', Some(b'u')) => (b"u", 2),
                (b'c', Some(b'h')) => (b"sh", 2),
                (b'q', Some(b'u')) => (b"k", 2),
                (b'q', _) => (b"k", 1),
                (b'd', Some(b'j')) => (b"j", 2),
                (b'\'' | b' ', _) => (b"", 1),
                _ => (&b[i..i + 1], 1),
            };
            for &x in c {
                if out.last() != Some(&x) {
                    out.push(x);
                }
            }
            i += step;
        }
        out
    }
    let (a, b) = (simplify(a), simplify(b));
    if a.is_empty() || b.is_empty() {
        return 1.0;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()] as f64 / a.len().max(b.len()) as f64
}

/// "trentaine" → 30, "dizaine" → 10: rough amounts before "de kilomètres".
fn approx_number(word: &str) -> Option<f64> {
    Some(match word {
        "un" | "une" => 1.0,
        "deux" => 2.0,
        "trois" => 3.0,
        "quatre" => 4.0,
        "cinq" => 5.0,
        "six" => 6.0,
        "sept" => 7.0,
        "huit" => 8.0,
        "neuf" => 9.0,
        "dix" | "dizaine" => 10.0,
        "quinze" | "quinzaine" => 15.0,
        "vingt" | "vingtaine" => 20.0,
        "trente" | "trentaine" => 30.0,
        "quarante" | "quarantaine" => 40.0,
        "cinquante" | "cinquantaine" => 50.0,
        "soixante" | "soixantaine" => 60.0,
        "cent" | "centaine" => 100.0,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::place::distance_km;

    fn gaz() -> Gazetteer {
        Gazetteer::builtin().unwrap()
    }

    fn ids(g: &Gazetteer, text: &str) -> Vec<(String, String)> {
        g.analyze(text)
            .into_iter()
            .map(|r| (r.mention.surface.clone(), g.place(r.place).id.clone()))
            .collect()
    }

    #[test]
    fn longest_name_wins_and_offsets_are_exact() {
        let g = gaz();
        let text = "Les rebelles ont pris Khan Cheikhoun mardi.";
        let m = g.scan(text);
        assert_eq!(m.len(), 1);
        assert_eq!(&text[m[0].start..m[0].end], "Khan Cheikhoun");
    }

    #[test]
    fn lowercase_words_are_not_places() {
        let g = gaz();
        assert!(g.scan("les combats ont repris dans la soirée").is_empty());
    }

    #[test]
    fn province_cue_selects_the_governorate() {
        let g = gaz();
        let r = g.analyze("des raids ont visé les provinces voisines d'Alep et d'Idleb");
        assert_eq!(r.len(), 2);
        for x in &r {
            assert_eq!(
                g.place(x.place).kind,
                Kind::Governorate,
                "{}",
                x.mention.surface
            );
        }
        let r = g.analyze("Les rebelles sont entrés dans la ville d'Alep.");
        assert_eq!(g.place(r[0].place).kind, Kind::City);
    }

    #[test]
    fn relative_location_offsets_the_point() {
        let g = gaz();
        let r = g.analyze("Le hameau, à 14 km au nord-est de la ville de Hama, a été bombardé");
        let hama = r
            .iter()
            .find(|x| x.mention.surface.ends_with("Hama"))
            .unwrap();
        assert_eq!(hama.precision, Precision::Near);
        let p = g.place(hama.place);
        let d = distance_km(p.lat, p.lon, hama.lat, hama.lon);
        assert!((d - 14.0).abs() < 0.1, "{d}");
        assert!(hama.lat > p.lat && hama.lon > p.lon);
        let r = g.analyze("à 80 km au nord de Raqa");
        assert!(r[0].lat > g.place(r[0].place).lat + 0.6);
    }

    #[test]
    fn spelling_distance_keeps_transliterations_and_drops_lookalikes() {
        assert!(spelling_distance("idleb", "idlib") <= 0.34);
        assert!(spelling_distance("khan toumane", "khan tuman") <= 0.34);
        assert!(spelling_distance("serguei", "serghaya") > 0.34);
        assert!(spelling_distance("deraa", "daraya") > 0.3);
    }

    #[test]
    fn names_without_a_leading_capital_still_match() {
        // Skipping common words before their key is computed must keep
        // lowercase periphrases and names whose capital comes later.
        let g = gaz();
        let text = "Des tirs ont visé la capitale syrienne, puis khan Cheikhoun.";
        let found: Vec<&str> = g.scan(text).iter().map(|m| &text[m.start..m.end]).collect();
        assert_eq!(found, ["la capitale syrienne", "khan Cheikhoun"]);
    }

    #[test]
    fn precision_names_are_their_serde_names() {
        for p in [Precision::Exact, Precision::Near, Precision::Region] {
            assert_eq!(serde_json::to_value(p).ok(), Some(p.as_str().into()));
        }
    }

    #[test]
    fn short_words_pack_one_to_one() {
        assert_eq!(short_word(""), None);
        assert_eq!(short_word("damascene"), None, "nine bytes");
        assert_ne!(short_word("de"), short_word("ed"));
        assert_ne!(short_word("a"), short_word("aa"));
        assert_ne!(short_word("é"), short_word("e"));
    }

    #[test]
    fn remembered_words_have_the_facts_of_their_own_key() {
        // "d'" (the particle `de`) and "D" share a folded form; long words
        // are remembered by another path than short ones.
        let g = gaz();
        let text = "d'Idleb, D et d'Idleb; la province de Lattaquié, Lattaquié, \
                    province, D, al-Bab et al Bab";
        let tokens = crate::normalize::tokenize(text);
        let mut keys = TextKeys::new(&g, &tokens);
        for _ in 0..2 {
            for (k, t) in tokens.iter().enumerate() {
                let id = t.with_key(|key| g.key_id(key)).filter(|_| !t.article);
                let ends_cue = t.with_key(|key| g.lexicon.ends_cue(key));
                assert_eq!(keys.id(k), id, "{:?}", t.norm);
                assert_eq!(keys.facts(k).ends_cue, ends_cue, "{:?}", t.norm);
            }
        }
    }

    #[test]
    fn near_without_distance_is_near() {
        let g = gaz();
        let r = g.analyze("des frappes près de Saraqeb");
        assert_eq!(r[0].precision, Precision::Near);
    }

    #[test]
    fn organisations_are_not_places() {
        let g = gaz();
        let found = ids(
            &g,
            "Hayat Tahrir al-Cham et le Front al-Nosra, selon l'Observatoire",
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn foreign_context_picks_the_foreign_namesake() {
        let g = gaz();
        let r = g.analyze("à Moscou, Ankara et Téhéran");
        assert_eq!(r.len(), 3);
        assert!(r.iter().all(|x| !g.place(x.place).in_syria()));
    }
}
