//! OBX-6 units as UCUM codes.
//!
//! Labs write units as UCUM (`mmol/L`, `mm[Hg]`) or in the spellings of their own systems
//! (`MMOL/L`, `mEq/L`, `µmol/L`, `mmHg`). Spellings we know become the UCUM code, kept beside the
//! unit as written; any other unit is passed on as written, without a code, so the record's
//! harmoniser refuses it for a measurement it reads rather than guessing (UCUM: The Unified Code
//! for Units of Measure, Regenstrief Institute, <https://ucum.org/ucum>).

/// Known spellings (compared without case or spaces) and their UCUM codes.
const SPELLINGS: [(&str, &str); 24] = [
    ("mmol/l", "mmol/L"),
    ("mg/dl", "mg/dL"),
    ("g/dl", "g/dL"),
    ("g/l", "g/L"),
    ("mg/l", "mg/L"),
    ("umol/l", "umol/L"),
    ("µmol/l", "umol/L"),
    ("μmol/l", "umol/L"),
    ("meq/l", "meq/L"),
    ("mmol/mol", "mmol/mol"),
    ("%", "%"),
    ("mmhg", "mm[Hg]"),
    ("mm[hg]", "mm[Hg]"),
    ("ml/min/1.73m2", "mL/min/{1.73_m2}"),
    ("ml/min/{1.73_m2}", "mL/min/{1.73_m2}"),
    ("ml/min/1.73m^2", "mL/min/{1.73_m2}"),
    ("pg/ml", "pg/mL"),
    ("ng/l", "ng/L"),
    ("ng/ml", "ng/mL"),
    ("u/l", "U/L"),
    ("iu/l", "[IU]/L"),
    ("mg/g", "mg/g"),
    ("mg/mmol", "mg/mmol"),
    ("/min", "/min"),
];

/// The UCUM code of a unit as written in OBX-6.1, if it is one we know.
pub fn ucum(unit: &str) -> Option<&'static str> {
    let folded: String = unit.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_lowercase();
    SPELLINGS.iter().find(|(spelling, _)| *spelling == folded).map(|(_, code)| *code)
}

#[cfg(test)]
mod tests {
    use super::ucum;

    #[test]
    fn lab_spellings_become_ucum_and_others_are_not_guessed() {
        assert_eq!(ucum("MMOL/L"), Some("mmol/L"));
        assert_eq!(ucum("mg/dL"), Some("mg/dL"));
        assert_eq!(ucum("µmol/L"), Some("umol/L"));
        assert_eq!(ucum("mmHg"), Some("mm[Hg]"));
        assert_eq!(ucum("mEq/L"), Some("meq/L"));
        assert_eq!(ucum("%"), Some("%"));
        assert_eq!(ucum("mmol/L "), Some("mmol/L"));
        assert_eq!(ucum("furlongs"), None);
        assert_eq!(ucum(""), None);
    }
}
