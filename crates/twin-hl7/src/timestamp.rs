//! HL7 v2 timestamps (TS/DTM: `YYYY[MM[DD[HHMM[SS[.S…]]]]][+/-ZZZZ]`) as FHIR dates.
//!
//! FHIR's `dateTime` must carry a time zone when it carries a time, and HL7 v2 leaves the zone
//! out unless the sender adds it. A time with no zone is therefore given as its date only: the
//! record reads results by day, and a zone made up here could move a result to another day.

/// Why a timestamp could not be read (the value itself is not repeated: it may be anything).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TimestampError {
    /// Not digits in the shape above.
    #[error("is not an HL7 date and time (YYYYMMDD[HHMM[SS]][+ZZZZ])")]
    Shape,
    /// A month, day, hour, minute, second or zone out of range.
    #[error("is not a real date and time")]
    OutOfRange,
}

/// The FHIR `date` or `dateTime` of an HL7 timestamp.
///
/// # Errors
/// [`TimestampError`] for anything but a well-formed, real date and time.
pub fn fhir_date_time(ts: &str) -> Result<String, TimestampError> {
    let ts = ts.trim();
    let (main, zone) = match ts.find(['+', '-']) {
        Some(i) => (&ts[..i], Some(&ts[i..])),
        None => (ts, None),
    };
    let zone = match zone {
        None => None,
        Some(zone) => {
            let (sign, zone_digits) = zone.split_at(1);
            if zone_digits.len() != 4 || !zone_digits.chars().all(|c| c.is_ascii_digit()) {
                return Err(TimestampError::Shape);
            }
            let (zh, zm): (u32, u32) = (
                zone_digits[..2].parse().map_err(|_| TimestampError::Shape)?,
                zone_digits[2..].parse().map_err(|_| TimestampError::Shape)?,
            );
            if zh > 14 || zm > 59 {
                return Err(TimestampError::OutOfRange);
            }
            Some((sign, zh, zm))
        }
    };
    let (digits, _fraction) = match main.split_once('.') {
        Some((d, f)) if !f.is_empty() && f.chars().all(|c| c.is_ascii_digit()) => (d, Some(f)),
        Some(_) => return Err(TimestampError::Shape),
        None => (main, None),
    };
    if !digits.chars().all(|c| c.is_ascii_digit()) || ![4, 6, 8, 10, 12, 14].contains(&digits.len()) {
        return Err(TimestampError::Shape);
    }
    let part = |from: usize| digits.get(from..from + 2).and_then(|p| p.parse::<u32>().ok());
    let year: u32 = digits[..4].parse().map_err(|_| TimestampError::Shape)?;
    let month = part(4);
    let day = part(6);
    if let Some(m) = month {
        if !(1..=12).contains(&m) {
            return Err(TimestampError::OutOfRange);
        }
        if let Some(d) = day {
            if d == 0 || d > days_in_month(year, m) {
                return Err(TimestampError::OutOfRange);
            }
        }
    }
    let date = match (month, day) {
        (Some(m), Some(d)) => format!("{year:04}-{m:02}-{d:02}"),
        (Some(m), None) => format!("{year:04}-{m:02}"),
        _ => format!("{year:04}"),
    };
    let (hour, minute, second) = (part(8), part(10), part(12).unwrap_or(0));
    let Some(hour) = hour else { return Ok(date) };
    let minute = minute.unwrap_or(0);
    if hour > 23 || minute > 59 || second > 59 {
        return Err(TimestampError::OutOfRange);
    }
    let Some((sign, zh, zm)) = zone else { return Ok(date) };
    Ok(format!("{date}T{hour:02}:{minute:02}:{second:02}{sign}{zh:02}:{zm:02}"))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_times_and_zones() {
        assert_eq!(fhir_date_time("20261115").unwrap(), "2026-11-15");
        assert_eq!(fhir_date_time("202611150830").unwrap(), "2026-11-15");
        assert_eq!(fhir_date_time("20261115083012.123+0100").unwrap(), "2026-11-15T08:30:12+01:00");
        assert_eq!(fhir_date_time("202611150830-0500").unwrap(), "2026-11-15T08:30:00-05:00");
        assert_eq!(fhir_date_time("202611").unwrap(), "2026-11");
        assert_eq!(fhir_date_time("20240229").unwrap(), "2024-02-29");
        assert_eq!(fhir_date_time("20250229"), Err(TimestampError::OutOfRange));
        assert_eq!(fhir_date_time("20261315"), Err(TimestampError::OutOfRange));
        assert_eq!(fhir_date_time("2026111508301"), Err(TimestampError::Shape));
        assert_eq!(fhir_date_time("15/11/2026"), Err(TimestampError::Shape));
        assert_eq!(fhir_date_time(""), Err(TimestampError::Shape));
        assert_eq!(fhir_date_time("2026-11-09"), Err(TimestampError::Shape));
        assert_eq!(fhir_date_time("20261109+0100").unwrap(), "2026-11-09");
    }
}
