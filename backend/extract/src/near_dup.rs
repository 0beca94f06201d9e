//! Near-duplicate texts: the same wire story republished by several sites
//! with small changes (a credit line, a reworded first sentence, a
//! headline), found by MinHash over word shingles.
//!
//! A text's [`Fingerprint`] keeps, for each of [`SLOTS`] hash functions,
//! the least hash of its word 3-grams (lower-cased words of letters and
//! digits). Two fingerprints agree on a slot with a probability equal to
//! the Jaccard similarity of the two shingle sets, so the share of equal
//! slots estimates it (± about 0.045 at 0.5 with 120 slots).
//!
//! Two texts are near-duplicates when that estimate reaches [`THRESHOLD`]
//! (0.5: half of all distinct 3-grams shared). A republished copy with a
//! sentence changed in ten shares about 0.7 to 0.9; two reports of one
//! event written separately share under 0.1, since even the same facts
//! are worded differently. Texts with fewer than [`MIN_SHINGLES`] 3-grams
//! get no fingerprint: too short to tell a copy from a common phrasing.
//!
//! Short dispatches written from one template ("raids on X on day D, N
//! dead") share most 3-grams yet tell different stories, so near-duplicates
//! must also tell the same facts ([`same_facts`]): the names and numbers of
//! the shorter text (words with a digit, capitalised words that do not
//! open a sentence) must nearly all ([`FACTS_CONTAINMENT`]) be in the
//! other. A copy keeps the places, dates and tolls of its original.
//!
//! To find candidates without comparing with every stored text, the slots
//! are cut into bands of [`BAND_ROWS`]; texts that share a band's values
//! are compared (locality-sensitive hashing). Two texts at similarity 0.5
//! share a band with probability 1 − (1 − 0.5³)⁴⁰ ≈ 0.995; at 0.05, 0.005.

/// Hash functions (slots) of a fingerprint.
pub const SLOTS: usize = 120;
/// Slots per band.
pub const BAND_ROWS: usize = 3;
/// The least estimated Jaccard similarity of near-duplicates.
pub const THRESHOLD: f64 = 0.5;
/// The fewest distinct 3-grams a text needs for a fingerprint.
pub const MIN_SHINGLES: usize = 20;

/// The least share of one text's names and numbers found in the other.
pub const FACTS_CONTAINMENT: f64 = 0.9;

/// The names and numbers of a text: words with a digit, and capitalised
/// words that do not open a sentence.
fn facts(text: &str) -> std::collections::HashSet<String> {
    let mut out = std::collections::HashSet::new();
    let mut opening = true;
    let mut word = String::new();
    let mut flush = |word: &mut String, opening: bool| {
        let has_digit = word.chars().any(|c| c.is_ascii_digit());
        let capital = word.chars().next().is_some_and(char::is_uppercase);
        if has_digit || (capital && !opening) {
            out.insert(word.to_lowercase());
        }
        word.clear();
    };
    for c in text.chars() {
        if c.is_alphanumeric() {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            flush(&mut word, opening);
            opening = false;
        }
        if matches!(c, '.' | '!' | '?' | '\n' | '(' | '«' | '"' | ':') {
            opening = true;
        }
    }
    if !word.is_empty() {
        flush(&mut word, opening);
    }
    out
}

/// Whether two texts tell the same names and numbers: nearly all of the
/// smaller set is in the larger.
pub fn same_facts(a: &str, b: &str) -> bool {
    let (a, b) = (facts(a), facts(b));
    let (small, large) = if a.len() <= b.len() {
        (&a, &b)
    } else {
        (&b, &a)
    };
    if small.is_empty() {
        return large.is_empty();
    }
    let shared = small.iter().filter(|w| large.contains(*w)).count();
    shared as f64 / small.len() as f64 >= FACTS_CONTAINMENT
}

/// The MinHash of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    slots: Vec<u32>,
}

/// FNV-1a, 64 bits: a hash that never changes between builds (fingerprints
/// are stored).
fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64's finaliser: one hash function per seed.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

fn seed(i: usize) -> u64 {
    (i as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// The distinct word 3-grams of a text, hashed.
fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let mut out: Vec<u64> = words
        .windows(3)
        .map(|w| fnv1a(w.join(" ").as_bytes()))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

impl Fingerprint {
    /// The fingerprint of a text, or `None` when it is too short.
    pub fn of(text: &str) -> Option<Fingerprint> {
        let shingles = shingles(text);
        if shingles.len() < MIN_SHINGLES {
            return None;
        }
        let slots = (0..SLOTS)
            .map(|i| {
                let s = seed(i);
                shingles
                    .iter()
                    .map(|h| (mix(h ^ s) >> 32) as u32)
                    .min()
                    .unwrap_or(u32::MAX)
            })
            .collect();
        Some(Fingerprint { slots })
    }

    /// The estimated Jaccard similarity of the two texts' 3-grams.
    pub fn similarity(&self, other: &Fingerprint) -> f64 {
        let same = self
            .slots
            .iter()
            .zip(&other.slots)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / SLOTS as f64
    }

    pub fn is_near_duplicate(&self, other: &Fingerprint) -> bool {
        self.similarity(other) >= THRESHOLD
    }

    /// One key per band: texts sharing a key are candidates.
    pub fn band_keys(&self) -> Vec<i64> {
        self.slots
            .chunks(BAND_ROWS)
            .enumerate()
            .map(|(band, rows)| {
                let mut bytes = Vec::with_capacity(4 + 4 * BAND_ROWS);
                bytes.extend_from_slice(&(band as u32).to_le_bytes());
                for r in rows {
                    bytes.extend_from_slice(&r.to_le_bytes());
                }
                fnv1a(&bytes) as i64
            })
            .collect()
    }

    /// Stored form: the slots, little-endian.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.slots.iter().flat_map(|s| s.to_le_bytes()).collect()
    }

    /// Read the stored form; `None` when it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Fingerprint> {
        if bytes.len() != SLOTS * 4 {
            return None;
        }
        let slots = bytes
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        Some(Fingerprint { slots })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Des frappes aériennes ont visé mardi la ville de Maarat al-Nouman, \
        dans la province d'Idleb, faisant au moins six morts parmi les civils, d'après \
        l'OSDH, une ONG basée à Londres. Les secouristes ont fouillé les \
        décombres jusqu'au soir, et plusieurs familles ont quitté la ville pour les camps \
        proches de la frontière turque. L'Observatoire a fait état d'autres raids sur des \
        villages voisins dans la nuit, sans pouvoir dire s'ils avaient fait des victimes.";

    /// The story as another site republishes it: a credit line, one
    /// sentence reworded, a word changed.
    const COPY: &str = "(Agence) Des frappes aériennes ont visé mardi la ville de Maarat \
        al-Nouman, dans la province d'Idleb, faisant au moins six morts parmi les civils, \
        d'après l'OSDH, une ONG basée à Londres. Les secouristes ont cherché des \
        survivants sous les décombres jusqu'au soir, et plusieurs familles ont quitté la \
        ville pour les camps proches de la frontière turque. L'Observatoire a fait état \
        d'autres raids sur des villages voisins dans la nuit, sans pouvoir dire s'ils \
        avaient fait des victimes.";

    /// The same event, written separately.
    const OTHER_REPORT: &str = "Au moins six civils ont été tués mardi à Maarat al-Nouman \
        lors de bombardements de l'aviation, a rapporté l'OSDH. Dans cette ville du sud de \
        la province d'Idleb, des habitants racontent avoir fui vers le nord après une \
        nouvelle nuit de raids, tandis que les équipes de secours dégageaient les ruines \
        d'un immeuble effondré près du marché central.";

    #[test]
    fn a_republished_copy_is_a_near_duplicate_and_another_report_is_not() {
        let story = Fingerprint::of(STORY).unwrap();
        let copy = Fingerprint::of(COPY).unwrap();
        let other = Fingerprint::of(OTHER_REPORT).unwrap();
        let s = story.similarity(&copy);
        assert!(s >= 0.6, "copy: {s}");
        assert!(story.is_near_duplicate(&copy));
        let s = story.similarity(&other);
        assert!(s < 0.1, "other report: {s}");
        assert!(!story.is_near_duplicate(&other));
        assert_eq!(story.similarity(&story), 1.0);
    }

    #[test]
    fn dispatches_from_one_template_with_other_numbers_are_not_copies() {
        let dispatch = |n: u32, place: &str, day: u32, dead: u32| {
            format!(
                "Dépêche {n}. Des raids aériens ont frappé {place} le {day} mars 2016, faisant {dead} \
                 morts, selon l'OSDH. Des combats ont opposé le {day} mars les forces gouvernementales \
                 aux rebelles près de {place}, et les secours sont restés sur place toute la nuit."
            )
        };
        let (a, b) = (dispatch(1, "Alep", 3, 5), dispatch(2, "Alep", 3, 9));
        let (fa, fb) = (Fingerprint::of(&a).unwrap(), Fingerprint::of(&b).unwrap());
        assert!(fa.is_near_duplicate(&fb), "the template alone looks alike");
        assert!(!same_facts(&a, &b), "but the facts differ");
        assert!(same_facts(STORY, COPY));
        assert!(same_facts(&a, &a));
    }

    #[test]
    fn facts_are_names_and_numbers_not_sentence_openers() {
        let f =
            facts("Des raids ont visé Alep le 3 mars. Les secours sont arrivés (Agence) à 10h.");
        let mut got: Vec<_> = f.into_iter().collect();
        got.sort();
        assert_eq!(got, ["10h", "3", "alep"]);
    }

    #[test]
    fn near_duplicates_share_a_band() {
        let story = Fingerprint::of(STORY).unwrap().band_keys();
        let copy = Fingerprint::of(COPY).unwrap().band_keys();
        assert_eq!(story.len(), SLOTS / BAND_ROWS);
        assert!(story.iter().zip(&copy).any(|(a, b)| a == b));
    }

    #[test]
    fn case_and_punctuation_do_not_matter_and_short_texts_get_none() {
        let shouted = STORY.to_uppercase().replace(',', " ;");
        assert_eq!(Fingerprint::of(&shouted), Fingerprint::of(STORY));
        assert_eq!(Fingerprint::of("Des frappes ont visé Alep mardi."), None);
    }

    #[test]
    fn fingerprints_survive_storage() {
        let f = Fingerprint::of(STORY).unwrap();
        assert_eq!(Fingerprint::from_bytes(&f.to_bytes()), Some(f));
        assert_eq!(Fingerprint::from_bytes(&[1, 2, 3]), None);
    }
}
