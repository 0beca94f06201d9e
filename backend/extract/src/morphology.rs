//! French inflection, enough to write the trigger table by lemma: a verb
//! (`prendre:v`) stands for its forms, a noun (`attaque:n`) for its
//! singular and plural. Forms are folded (no accents), as tokens are.
//!
//! Regular verbs in -er and -ir (second group) are inflected here;
//! irregular ones are listed in `data/fr/verbs.tsv`. Future and
//! conditional forms are left out on purpose: "prendra", "prendrait" tell
//! what may happen, not what happened ("aurait pris", the reporting
//! conditional, still matches through its participle).

use gazetteer::normalize::fold;
use rustc_hash::FxHashMap as HashMap;

/// What a verb form is, for the voice of its trigger.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKind {
    /// "pris", "reprise", "attaqués": active after avoir, passive after
    /// être or alone.
    Participle,
    /// Finite forms, the infinitive and the present participle: the
    /// subject acts.
    Other,
    /// Both, once accents are folded: "attaque" is "attaqué" and "attaque".
    Both,
}

/// Irregular verbs: lemma → (participle, other forms), folded.
#[derive(Debug, Clone, Default)]
pub struct Irregular {
    verbs: HashMap<String, (String, Vec<String>)>,
}

impl Irregular {
    pub fn insert(&mut self, lemma: &str, participle: &str, others: &[&str]) {
        self.verbs.insert(
            fold(lemma),
            (fold(participle), others.iter().map(|w| fold(w)).collect()),
        );
    }
}

/// The forms of a participle: masculine and feminine, singular and plural.
fn participle_forms(p: &str) -> Vec<String> {
    let mut out = vec![p.to_string()];
    let (masc_pl, fem) = if p.ends_with('s') || p.ends_with('x') {
        (p.to_string(), format!("{p}e"))
    } else if let Some(stem) = p.strip_suffix("t").filter(|_| p.ends_with("it")) {
        // "détruit", "conduit": détruite, détruits.
        (format!("{p}s"), format!("{stem}te"))
    } else {
        (format!("{p}s"), format!("{p}e"))
    };
    out.push(masc_pl);
    out.push(format!("{fem}s"));
    out.push(fem);
    out.sort();
    out.dedup();
    out
}

/// Every form of the verb `lemma` (folded) with its kind; `None` when the
/// verb is neither regular (-er, -ir) nor listed as irregular.
pub fn verb_forms(lemma: &str, irregular: &Irregular) -> Option<Vec<(String, FormKind)>> {
    let lemma = fold(lemma);
    let mut out: Vec<(String, FormKind)> = Vec::new();
    let mut add = |forms: &[String], kind: FormKind| {
        for f in forms {
            match out.iter_mut().find(|(x, _)| x == f) {
                Some((_, k)) if *k != kind => *k = FormKind::Both,
                Some(_) => {}
                None => out.push((f.clone(), kind)),
            }
        }
    };
    if let Some((participle, others)) = irregular.verbs.get(&lemma) {
        add(&participle_forms(participle), FormKind::Participle);
        let mut rest = others.clone();
        rest.push(lemma.clone());
        add(&rest, FormKind::Other);
    } else if let Some(stem) = lemma.strip_suffix("er") {
        // "-ger" keeps an e before a and o: "assiégeant", "assiégeons".
        let soft = if stem.ends_with('g') { "e" } else { "" };
        add(&participle_forms(&format!("{stem}e")), FormKind::Participle);
        let endings = [
            "e", "es", "ent", "ez", "er", // present, infinitive
        ];
        let soft_endings = ["ons", "ait", "ais", "aient", "a", "ant", "ai"];
        let mut rest: Vec<String> = endings.iter().map(|e| format!("{stem}{e}")).collect();
        rest.extend(soft_endings.iter().map(|e| format!("{stem}{soft}{e}")));
        rest.push(format!("{stem}erent")); // passé simple, plural
        add(&rest, FormKind::Other);
    } else if let Some(stem) = lemma.strip_suffix("ir") {
        // Second group: "investir", "réinvestir", "envahir".
        add(&participle_forms(&format!("{stem}i")), FormKind::Participle);
        let endings = [
            "ir", "it", "issent", "issons", "issez", "issait", "issais", "issaient", "issant",
            "irent",
        ];
        let rest: Vec<String> = endings.iter().map(|e| format!("{stem}{e}")).collect();
        add(&rest, FormKind::Other);
    } else {
        return None;
    }
    Some(out)
}

/// The singular and plural of a noun (folded).
pub fn noun_forms(lemma: &str) -> Vec<String> {
    let n = fold(lemma);
    let plural = if n.ends_with('s') || n.ends_with('x') || n.ends_with('z') {
        n.clone()
    } else if let Some(stem) = n.strip_suffix("al") {
        format!("{stem}aux")
    } else if n.ends_with("eau") || n.ends_with("eu") {
        format!("{n}x")
    } else {
        format!("{n}s")
    };
    if plural == n {
        vec![n]
    } else {
        vec![n, plural]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn forms(lemma: &str, irregular: &Irregular) -> Vec<String> {
        verb_forms(lemma, irregular)
            .unwrap()
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }

    #[test]
    fn regular_verbs_in_er_and_ir() {
        let none = Irregular::default();
        let f = forms("attaquer", &none);
        for w in [
            "attaque",
            "attaquee",
            "attaques",
            "attaquees",
            "attaquent",
            "attaquant",
            "attaquait",
            "attaquaient",
            "attaquer",
            "attaquerent",
        ] {
            assert!(f.iter().any(|x| x == w), "{w} in {f:?}");
        }
        assert!(!f.iter().any(|x| x == "attaquera"), "no future");
        let f = forms("assiéger", &none);
        assert!(f.iter().any(|x| x == "assiegeant") && f.iter().any(|x| x == "assiegee"));
        let f = forms("réinvestir", &none);
        for w in [
            "reinvesti",
            "reinvestie",
            "reinvestis",
            "reinvestissent",
            "reinvestit",
        ] {
            assert!(f.iter().any(|x| x == w), "{w} in {f:?}");
        }
    }

    #[test]
    fn participles_are_told_from_other_forms() {
        let none = Irregular::default();
        let kinds = verb_forms("capturer", &none).unwrap();
        let kind = |w: &str| kinds.iter().find(|(f, _)| f == w).map(|(_, k)| *k);
        assert_eq!(kind("capturees"), Some(FormKind::Participle));
        assert_eq!(kind("capturant"), Some(FormKind::Other));
    }

    #[test]
    fn irregular_verbs_come_from_their_row() {
        let mut irr = Irregular::default();
        irr.insert("prendre", "pris", &["prend", "prennent", "prenant"]);
        irr.insert("détruire", "détruit", &["détruisent"]);
        let f = forms("prendre", &irr);
        for w in ["pris", "prise", "prises", "prennent", "prenant", "prendre"] {
            assert!(f.iter().any(|x| x == w), "{w} in {f:?}");
        }
        let f = forms("détruire", &irr);
        assert!(f.iter().any(|x| x == "detruite") && f.iter().any(|x| x == "detruits"));
        assert!(
            verb_forms("faire", &irr).is_none(),
            "neither regular nor listed"
        );
    }

    #[test]
    fn nouns_take_their_plural() {
        assert_eq!(noun_forms("attaque"), ["attaque", "attaques"]);
        assert_eq!(noun_forms("combats"), ["combats"]);
        assert_eq!(noun_forms("arsenal"), ["arsenal", "arsenaux"]);
    }
}
