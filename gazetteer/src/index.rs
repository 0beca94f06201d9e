//! The gazetteer: places merged from their sources and a name index.

use crate::error::{Error, Result};
use crate::lexicon::Lexicon;
use crate::normalize::{name_key, name_norm, tokenize};
use crate::place::{distance_km, Kind, Place, Source};
use crate::tsv;
use rustc_hash::FxHashMap;
use std::collections::{HashMap, HashSet};
use std::path::Path;

mod builtin {
    include!(concat!(env!("OUT_DIR"), "/builtin.rs"));
}

/// GeoNames extracts imported with `frontline gazetteer import geonames`.
const GEONAMES: &str = include_str!("../data/geonames.tsv");

/// Index of a place in [`Gazetteer::places`].
pub type PlaceId = u32;

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub place: PlaceId,
    /// The name's folded form, to tell an exact spelling from a key match.
    pub norm: Box<str>,
    /// Written all in lowercase in the data ("capitale syrienne"): a
    /// periphrasis that matches without a capital letter.
    pub lowercase: bool,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct Node {
    pub children: Vec<(Box<str>, u32)>,
    pub entries: Vec<Entry>,
}

impl Node {
    pub fn child(&self, key: &str) -> Option<u32> {
        self.children
            .iter()
            .find(|(k, _)| &**k == key)
            .map(|&(_, n)| n)
    }
}

/// A ranked answer to a lookup.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Candidate {
    pub place: PlaceId,
    /// The query matched one of the place's spellings exactly (after
    /// folding case and accents), not only its transliteration key.
    pub exact: bool,
    pub score: f64,
}

/// Syrian and foreign places with their names.
pub struct Gazetteer {
    places: Vec<Place>,
    by_id: HashMap<String, PlaceId>,
    /// First-token key → trie node.
    pub(crate) root: FxHashMap<Box<str>, u32>,
    pub(crate) nodes: Vec<Node>,
    pub(crate) lexicon: Lexicon,
}

/// How many places came from where, for `gazetteer check`.
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    pub places: usize,
    pub syrian: usize,
    pub foreign: usize,
    pub curated: usize,
    pub imported: usize,
    pub names: usize,
    pub by_kind: Vec<(String, usize)>,
}

impl Gazetteer {
    /// The gazetteer built into the binary: GeoNames extracts plus the
    /// curated overlay.
    pub fn builtin() -> Result<Self> {
        Self::builtin_with(&[])
    }

    /// The built-in gazetteer with extra imported tables (from
    /// `gazetteer import`) merged under the curated overlay.
    pub fn builtin_with(extra_files: &[&Path]) -> Result<Self> {
        let mut imported = tsv::parse(
            Path::new("gazetteer/data/geonames.tsv"),
            GEONAMES,
            Source::GeoNames,
        )?;
        for path in extra_files {
            let text = crate::error::read_text(path)?;
            let source = if text.contains("\tocha-") {
                Source::Ocha
            } else {
                Source::GeoNames
            };
            imported.extend(tsv::parse(path, &text, source)?);
        }
        let mut curated = Vec::new();
        for (name, text) in builtin::CURATED {
            let path = Path::new("gazetteer/data/curated").join(name);
            curated.extend(tsv::parse(&path, text, Source::Curated)?);
        }
        Self::from_parts(imported, curated, Lexicon::builtin()?)
    }

    /// Merge imported and curated places (curated wins) and index them.
    pub fn from_parts(imported: Vec<Place>, curated: Vec<Place>, lexicon: Lexicon) -> Result<Self> {
        let mut seen = HashSet::new();
        for p in &curated {
            if !seen.insert(p.id.as_str()) {
                return Err(Error::Invalid(format!(
                    "curated place id {:?} is used twice",
                    p.id
                )));
            }
        }
        let replaced: HashSet<u64> = curated.iter().filter_map(|p| p.geonameid).collect();
        // Curated names by key, to drop imported duplicates of a curated place.
        let mut curated_keys: HashMap<String, Vec<(f64, f64)>> = HashMap::new();
        for p in &curated {
            for n in p.all_names() {
                curated_keys
                    .entry(name_key(n))
                    .or_default()
                    .push((p.lat, p.lon));
            }
        }
        let mut places: Vec<Place> = Vec::with_capacity(imported.len() + curated.len());
        let mut imported_ids = HashSet::new();
        for p in imported {
            if p.geonameid.is_some_and(|g| replaced.contains(&g)) {
                continue;
            }
            let dup = [&p.name_en, &p.name_fr].iter().any(|n| {
                curated_keys.get(&name_key(n)).is_some_and(|pts| {
                    pts.iter()
                        .any(|&(la, lo)| distance_km(la, lo, p.lat, p.lon) < 8.0)
                })
            });
            if dup || seen.contains(p.id.as_str()) || !imported_ids.insert(p.id.clone()) {
                continue;
            }
            places.push(p);
        }
        places.extend(curated);
        let mut g = Gazetteer {
            by_id: HashMap::new(),
            places,
            root: FxHashMap::default(),
            nodes: Vec::new(),
            lexicon,
        };
        g.index();
        Ok(g)
    }

    fn index(&mut self) {
        self.by_id = self
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as PlaceId))
            .collect();
        self.nodes.clear();
        self.root.clear();
        let mut nodes: Vec<Node> = Vec::new();
        let mut root: FxHashMap<Box<str>, u32> = FxHashMap::default();
        for (i, place) in self.places.iter().enumerate() {
            let mut done = HashSet::new();
            for name in place.all_names() {
                let tokens: Vec<_> = tokenize(name).into_iter().filter(|t| !t.article).collect();
                if tokens.is_empty() {
                    continue;
                }
                let norm = name_norm(name);
                if self.lexicon.is_stop_name(&crate::normalize::fold(name))
                    || !done.insert(norm.clone())
                {
                    continue;
                }
                // Single short names ("Aa", codes) make noise in running text.
                if tokens.len() == 1
                    && tokens[0].norm.chars().count() < 3
                    && !tokens[0].norm.chars().any(|c| c.is_ascii_digit())
                {
                    continue;
                }
                let mut node = *root.entry(tokens[0].key.clone().into()).or_insert_with(|| {
                    nodes.push(Node::default());
                    (nodes.len() - 1) as u32
                });
                for t in &tokens[1..] {
                    node = match nodes[node as usize].child(&t.key) {
                        Some(n) => n,
                        None => {
                            nodes.push(Node::default());
                            let n = (nodes.len() - 1) as u32;
                            nodes[node as usize]
                                .children
                                .push((t.key.clone().into(), n));
                            n
                        }
                    };
                }
                nodes[node as usize].entries.push(Entry {
                    place: i as PlaceId,
                    norm: norm.into(),
                    lowercase: !name.chars().any(char::is_uppercase),
                });
            }
        }
        self.nodes = nodes;
        self.root = root;
    }

    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn place(&self, id: PlaceId) -> &Place {
        &self.places[id as usize]
    }

    pub fn by_id(&self, id: &str) -> Option<PlaceId> {
        self.by_id.get(id).copied()
    }

    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// Ranked candidates for a place name typed by a user: `Khan Toumane`,
    /// `province d'Idleb`, `aéroport de Damas`.
    pub fn lookup(&self, query: &str) -> Vec<Candidate> {
        let mut tokens = tokenize(query);
        tokens.retain(|t| !t.article);
        // A leading cue ("province de", "ville de") says the kind wanted,
        // unless the cue is part of a name ("aéroport international d'Alep").
        let mut cue = None;
        if let Some((kinds, used)) = self.lexicon.cue_at_start(&tokens) {
            if used < tokens.len() && self.walk(&tokens).is_none() {
                cue = Some(kinds);
                tokens.drain(..used);
            }
        }
        let Some(node) = self.walk(&tokens) else {
            return Vec::new();
        };
        let norm: Vec<&str> = tokens.iter().map(|t| t.norm.as_str()).collect();
        let norm = norm.join(" ");
        let entries = &self.nodes[node as usize].entries;
        let mut out = self.candidates(entries, &norm);
        // A key match must still look like one of the place's names.
        out.retain(|c| {
            c.exact
                || entries.iter().any(|e| {
                    e.place == c.place
                        && crate::scan::spelling_distance(&norm, &e.norm)
                            <= crate::scan::MAX_SPELLING_DISTANCE
                })
        });
        for c in &mut out {
            c.score = self.prior_score(c, cue.unwrap_or(&[]));
        }
        out.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.place.cmp(&b.place)));
        out
    }

    /// The trie node whose names are exactly these tokens' keys.
    fn walk(&self, tokens: &[crate::normalize::Token]) -> Option<u32> {
        let mut node = *self.root.get(tokens.first()?.key.as_str())?;
        for t in &tokens[1..] {
            node = self.nodes[node as usize].child(&t.key)?;
        }
        (!self.nodes[node as usize].entries.is_empty()).then_some(node)
    }

    /// Distinct places of a trie node's entries, marking exact spellings.
    pub(crate) fn candidates(&self, entries: &[Entry], norm: &str) -> Vec<Candidate> {
        let mut out: Vec<Candidate> = Vec::with_capacity(entries.len());
        for e in entries {
            let exact = &*e.norm == norm;
            match out.iter_mut().find(|c| c.place == e.place) {
                Some(c) => c.exact |= exact,
                None => out.push(Candidate {
                    place: e.place,
                    exact,
                    score: 0.0,
                }),
            }
        }
        out
    }

    /// A context-free score in [0, 1]: spelling, kind, size and curation.
    pub(crate) fn prior_score(&self, c: &Candidate, cue: &[Kind]) -> f64 {
        let p = self.place(c.place);
        let spelling = if c.exact { 1.0 } else { 0.6 };
        let size = p
            .population
            .map(|n| ((n as f64).log10() / 7.0).clamp(0.0, 1.0))
            .unwrap_or(0.3);
        let curated = if p.source == Source::Curated {
            1.0
        } else {
            0.6
        };
        let cue_fit = if cue.is_empty() {
            0.5
        } else if cue.contains(&p.kind) {
            1.0
        } else {
            0.2
        };
        0.3 * spelling + 0.25 * p.kind.prior() + 0.1 * size + 0.1 * curated + 0.25 * cue_fit
    }

    /// Counts for `gazetteer check`.
    pub fn stats(&self) -> Stats {
        let mut by_kind: HashMap<Kind, usize> = HashMap::new();
        for p in &self.places {
            *by_kind.entry(p.kind).or_default() += 1;
        }
        let mut by_kind: Vec<_> = by_kind
            .into_iter()
            .map(|(k, n)| (k.as_str().to_string(), n))
            .collect();
        by_kind.sort();
        let curated = self
            .places
            .iter()
            .filter(|p| p.source == Source::Curated)
            .count();
        Stats {
            places: self.places.len(),
            syrian: self
                .places
                .iter()
                .filter(|p| p.in_syria() && p.kind != Kind::Country)
                .count(),
            foreign: self.places.iter().filter(|p| !p.in_syria()).count(),
            curated,
            imported: self.places.len() - curated,
            names: self.nodes.iter().map(|n| n.entries.len()).sum(),
            by_kind,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gaz() -> Gazetteer {
        Gazetteer::builtin().expect("built-in gazetteer loads")
    }

    fn top(g: &Gazetteer, q: &str) -> Option<String> {
        g.lookup(q).first().map(|c| g.place(c.place).id.clone())
    }

    #[test]
    fn transliterations_resolve_to_one_place() {
        let g = gaz();
        for group in [
            &["Alep", "Aleppo", "Halab"][..],
            &["Idleb", "Idlib"],
            &["Khan Toumane", "Khan Tuman"],
            &["Hmeimim", "Khmeimim", "Humaymim"],
            &["Lattaquié", "Latakia", "Lattakia"],
            &["Deraa", "Daraa", "Dar'a"],
            &["Raqqa", "Raqa", "Rakka"],
            &["Qousseir", "Qusayr", "al-Qusayr"],
            &["Khan Cheikhoun", "Khan Shaykhun"],
            &["Maaret al-Noomane", "Ma'arrat al-Nu'man"],
            &["Jisr al-Choughour", "Jisr ash-Shughur"],
            &["Azzaz", "Azaz", "A'zaz"],
            &["Deir ez-Zor", "Deir Ezzor", "Dayr az-Zawr"],
            &["Soueïda", "Suwayda", "Sweida"],
        ] {
            let first = top(&g, group[0]);
            assert!(first.is_some(), "{} not found", group[0]);
            for q in &group[1..] {
                assert_eq!(top(&g, q), first, "{q} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn a_cue_picks_the_governorate() {
        let g = gaz();
        let id = top(&g, "province d'Idleb").unwrap();
        assert_eq!(g.place(g.by_id(&id).unwrap()).kind, Kind::Governorate);
        let id = top(&g, "ville d'Idleb").unwrap();
        assert_eq!(g.place(g.by_id(&id).unwrap()).kind, Kind::City);
    }

    #[test]
    fn a_cue_that_is_part_of_a_name_is_kept() {
        let g = gaz();
        let id = top(&g, "aéroport international d'Alep").unwrap();
        assert_eq!(g.place(g.by_id(&id).unwrap()).kind, Kind::Base);
    }

    #[test]
    fn unknown_and_empty_queries_give_nothing() {
        let g = gaz();
        assert!(g.lookup("").is_empty());
        assert!(g.lookup("Xyzzyville").is_empty());
    }

    #[test]
    fn foreign_capitals_are_foreign() {
        let g = gaz();
        for q in [
            "Moscou",
            "Ankara",
            "Téhéran",
            "Genève",
            "Beyrouth",
            "Bagdad",
            "Amman",
            "Washington",
            "Londres",
        ] {
            let c = g.lookup(q);
            let p = g.place(c.first().unwrap_or_else(|| panic!("{q} not found")).place);
            assert!(!p.in_syria(), "{q} resolved to Syrian {}", p.id);
        }
    }
}
