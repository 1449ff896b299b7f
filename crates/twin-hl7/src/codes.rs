//! Which LOINC code a result's OBX-3 stands for.
//!
//! A result coded in LOINC (coding system `LN`, in OBX-3 or in its alternate identifier,
//! components 4–6) is taken as it is. Labs that send their own codes need a **local code table**:
//! a CSV file the user keeps, one row per local code:
//!
//! ```text
//! # system,code,loinc,description
//! L,LDLC,13457-7,LDL cholesterol (calculated)
//! 99LAB,K,2823-3,Potassium
//! ```
//!
//! `system` is OBX-3.3 as the lab sends it (compared without regard to case), `code` is OBX-3.1
//! (compared exactly), `loinc` must be a LOINC code with a valid check digit, and the description
//! is optional. Blank lines and lines starting with `#` are skipped; a first row `system,code,…`
//! is taken as a header. A code found in neither is reported by name, never guessed.

use std::collections::HashMap;

/// The coding-system names HL7 v2 tables 0396 (and earlier practice) use for LOINC.
const LOINC_SYSTEMS: [&str; 3] = ["LN", "LOINC", "HTTP://LOINC.ORG"];

/// Whether an OBX-3 coding system name means LOINC.
pub fn is_loinc_system(system: &str) -> bool {
    LOINC_SYSTEMS.iter().any(|s| s.eq_ignore_ascii_case(system.trim()))
}

/// Whether `code` is a LOINC code: digits, a hyphen and a check digit that matches (LOINC's
/// mod-10 check digit, Regenstrief LOINC Users' Guide, "Calculating Mod 10 check digits").
pub fn is_valid_loinc(code: &str) -> bool {
    let Some((number, check)) = code.split_once('-') else { return false };
    let digits: Option<Vec<u32>> = number.chars().map(|c| c.to_digit(10)).collect();
    let Some(digits) = digits else { return false };
    let Some(check) = check.parse::<u32>().ok().filter(|_| check.len() == 1) else { return false };
    if digits.is_empty() || digits.len() > 7 {
        return false;
    }
    // From the right: odd positions doubled (digits of the product summed), even ones as they are.
    let sum: u32 =
        digits.iter().rev().enumerate().map(|(i, &d)| if i % 2 == 0 { (2 * d) / 10 + (2 * d) % 10 } else { d }).sum();
    (10 - sum % 10) % 10 == check
}

/// A LOINC code and the words it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Loinc {
    /// The code, e.g. `13457-7`.
    pub code: String,
    /// The description from the message or the table, if any.
    pub display: Option<String>,
}

/// The user's local codes, mapped to LOINC.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CodeTable {
    codes: HashMap<(String, String), Loinc>,
}

/// A row of a code table that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("code table, line {line}: {reason}")]
pub struct CodeTableError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong, in words.
    pub reason: String,
}

impl CodeTable {
    /// An empty table: only LOINC-coded results map.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads a table in the CSV format above.
    ///
    /// # Errors
    /// The first row that has fewer than three fields, an empty system or code, a LOINC code
    /// whose check digit does not match, or that repeats a (system, code) with another LOINC.
    pub fn parse(text: &str) -> Result<Self, CodeTableError> {
        let mut table = Self::new();
        table.extend_from(text)?;
        Ok(table)
    }

    /// Adds the rows of `text` to this table; a later row for the same code must agree.
    ///
    /// # Errors
    /// As [`CodeTable::parse`].
    pub fn extend_from(&mut self, text: &str) -> Result<(), CodeTableError> {
        for (idx, line) in text.trim_start_matches('\u{feff}').lines().enumerate() {
            let line_no = idx + 1;
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let fields: Vec<&str> = line.splitn(4, ',').map(|f| f.trim().trim_matches('"').trim()).collect();
            if fields.first().is_some_and(|f| f.eq_ignore_ascii_case("system")) {
                continue;
            }
            let error = |reason: String| CodeTableError { line: line_no, reason };
            let [system, code, loinc, rest @ ..] = fields.as_slice() else {
                return Err(error("needs system,code,loinc[,description]".into()));
            };
            if system.is_empty() || code.is_empty() {
                return Err(error("the system and the code must not be empty".into()));
            }
            if !is_valid_loinc(loinc) {
                return Err(error(format!("'{}' is not a LOINC code (digits, a hyphen, a check digit)", short(loinc))));
            }
            let display = rest.first().filter(|d| !d.is_empty()).map(|d| (*d).to_string());
            let key = (system.to_ascii_uppercase(), (*code).to_string());
            let entry = Loinc { code: (*loinc).to_string(), display };
            match self.codes.get(&key) {
                Some(held) if held.code != entry.code => {
                    return Err(error(format!(
                        "{system} {code} is already mapped to {}; a code maps to one LOINC",
                        held.code
                    )))
                }
                _ => {
                    self.codes.insert(key, entry);
                }
            }
        }
        Ok(())
    }

    /// The LOINC code a local (system, code) maps to.
    pub fn lookup(&self, system: &str, code: &str) -> Option<&Loinc> {
        self.codes.get(&(system.trim().to_ascii_uppercase(), code.trim().to_string()))
    }

    /// How many local codes the table maps.
    pub fn len(&self) -> usize {
        self.codes.len()
    }

    /// Whether the table maps no local code.
    pub fn is_empty(&self) -> bool {
        self.codes.is_empty()
    }
}

/// At most 20 characters of a value quoted in an error.
fn short(text: &str) -> String {
    text.chars().take(20).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loinc_check_digits() {
        for good in ["13457-7", "18262-6", "4548-4", "2160-0", "2823-3", "2093-3", "2085-9", "8480-6"] {
            assert!(is_valid_loinc(good), "{good}");
        }
        for bad in ["13457-8", "2160", "21a0-0", "-0", "2160-10", ""] {
            assert!(!is_valid_loinc(bad), "{bad}");
        }
    }

    #[test]
    fn a_table_maps_local_codes_and_refuses_bad_rows_by_line() {
        let table =
            CodeTable::parse("# local codes\nsystem,code,loinc,description\nL,LDLC,13457-7,LDL calc\n99lab,K,2823-3\n")
                .unwrap();
        assert_eq!(table.len(), 2);
        assert_eq!(table.lookup("l", "LDLC").map(|l| l.code.as_str()), Some("13457-7"));
        assert_eq!(table.lookup("99LAB", "K").and_then(|l| l.display.clone()), None);
        assert!(table.lookup("L", "ldlc").is_none(), "codes compare exactly");

        let err = CodeTable::parse("L,LDLC,13457-7\nL,HBA,4548-5\n").unwrap_err();
        assert_eq!(err.line, 2);
        assert!(err.to_string().contains("not a LOINC code"), "{err}");
        let err = CodeTable::parse("L,LDLC,13457-7\nL,LDLC,18262-6\n").unwrap_err();
        assert!(err.to_string().contains("already mapped to 13457-7"), "{err}");
        assert_eq!(CodeTable::parse("L,LDLC\n").unwrap_err().line, 1);
    }
}
