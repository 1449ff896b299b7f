//! NYHA class: "NYHA III", "NYHA class II-III", "NYHA 2", and "class II" later in a sentence
//! that has already named NYHA ("previously NYHA III, now class II"); "NYHA clas I" is read too.

use std::sync::LazyLock;

use regex::Regex;

use super::Candidate;
use crate::fact::{Fact, NyhaClass};

const CLASS: &str = r"iv|iii|ii|i|[1-4]";
/// "class" and its common one-edit typos ("clas", "calss", "clss"); after "NYHA" nothing else
/// could be meant.
const CLASS_WORD: &str = r"(?:class|clas|calss|clss|classs|lcass|cls)";

static NYHA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"\bnyha\b(?:\s+functional)?(?:\s+{CLASS_WORD})?\s*(?P<a>{CLASS})(?:\s*(?:-|–|/|to)\s*(?P<b>{CLASS}))?\b"
    ))
    .expect("valid")
});
static CLASS_ALONE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\b(?:functional\s+)?class\s+(?P<a>iv|iii|ii|i)(?:\s*(?:-|–|/|to)\s*(?P<b>iv|iii|ii|i))?\b")
        .expect("valid")
});

pub(crate) fn find(sentence: &str, out: &mut Vec<Candidate>) {
    let mut covered = Vec::new();
    for caps in NYHA.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        if let Some(fact) = fact_of(caps.name("a").map(|m| m.as_str()), caps.name("b").map(|m| m.as_str())) {
            out.push(Candidate::new(fact, whole.range(), 0.95).measured());
            covered.push(whole.range());
        }
    }
    if covered.is_empty() {
        return;
    }
    for caps in CLASS_ALONE.captures_iter(sentence) {
        let whole = caps.get(0).expect("match");
        if covered.iter().any(|c| c.start < whole.end() && whole.start() < c.end) {
            continue;
        }
        if let Some(fact) = fact_of(caps.name("a").map(|m| m.as_str()), caps.name("b").map(|m| m.as_str())) {
            out.push(Candidate::new(fact, whole.range(), 0.8).measured());
        }
    }
}

fn fact_of(a: Option<&str>, b: Option<&str>) -> Option<Fact> {
    let from = class_of(a?)?;
    let to = match b {
        Some(b) => class_of(b)?,
        None => from,
    };
    (to >= from).then_some(Fact::Nyha { from, to })
}

fn class_of(text: &str) -> Option<NyhaClass> {
    Some(match text {
        "i" | "1" => NyhaClass::I,
        "ii" | "2" => NyhaClass::Ii,
        "iii" | "3" => NyhaClass::Iii,
        "iv" | "4" => NyhaClass::Iv,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn class_may_be_misspelt_after_nyha() {
        for sentence in ["nyha clas i, asymptomatic", "nyha calss i", "nyha class i"] {
            let mut out = Vec::new();
            find(sentence, &mut out);
            let facts: Vec<_> = out.into_iter().map(|c| c.fact).collect();
            assert_eq!(facts, [Fact::Nyha { from: NyhaClass::I, to: NyhaClass::I }], "{sentence}");
        }
    }
}
