//! How the transport types write dates and sex. A leaf: the use cases ([`crate::risk`],
//! [`crate::hindcast`]) word their answers the same way as [`crate::json`] without naming it.

use time::Date;

use twin_engine::record::Sex;

/// `YYYY-MM-DD`.
pub fn iso_date(d: Date) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month() as u8, d.day())
}

/// `female`, `male` or `unknown`.
pub(crate) fn sex_label(sex: Option<Sex>) -> String {
    match sex {
        Some(Sex::Female) => "female",
        Some(Sex::Male) => "male",
        None => "unknown",
    }
    .to_string()
}
