//! A difference in event risk said the three ways a clinician quotes it: in percentage points
//! (absolute), relative to the reference, and as the number needed to treat (or to harm) over the
//! horizon. Absolute and relative differences mislead apart: a 25 % relative fall is 4 points
//! from 16 % and 0.5 points from 2 %. The number needed to treat is 1 / absolute risk reduction
//! (Laupacis A, Sackett DL, Roberts RS, N Engl J Med 1988;318:1728-33), rounded up.

/// Below this absolute difference (a fraction: 0.01 percentage points) no number needed to treat
/// is given: it would run to tens of thousands and say nothing.
pub const SMALLEST_DIFFERENCE_FOR_NNT: f64 = 1e-4;

/// Whom the number counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumberNeeded {
    /// People to treat over the horizon for one fewer event.
    ToTreat(u32),
    /// People treated over the horizon for one more event.
    ToHarm(u32),
}

/// One risk against a reference.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RiskContrast {
    /// Difference, percentage points (negative: lower than the reference).
    pub points: f64,
    /// Difference relative to the reference (−0.25: a quarter lower); `None` for a reference of 0.
    pub relative: Option<f64>,
    /// The number needed to treat or to harm, rounded up; `None` for a negligible difference.
    pub number_needed: Option<NumberNeeded>,
}

/// `other` against `reference`, both risks as fractions over the same horizon; `difference` is
/// the difference to quote (e.g. the median of paired member differences, which need not equal
/// the difference of the medians).
pub fn contrast(reference: f64, difference: f64) -> RiskContrast {
    let relative = (reference > 0.0).then(|| difference / reference);
    let number_needed = (difference.abs() >= SMALLEST_DIFFERENCE_FOR_NNT).then(|| {
        let n = (1.0 / difference.abs()).ceil() as u32;
        if difference < 0.0 {
            NumberNeeded::ToTreat(n)
        } else {
            NumberNeeded::ToHarm(n)
        }
    });
    RiskContrast { points: difference * 100.0, relative, number_needed }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fall_from_16_to_12_percent_is_4_points_a_quarter_and_25_to_treat() {
        let c = contrast(0.16, -0.04);
        assert!((c.points + 4.0).abs() < 1e-12);
        assert!((c.relative.unwrap() + 0.25).abs() < 1e-12);
        assert_eq!(c.number_needed, Some(NumberNeeded::ToTreat(25)));
    }

    #[test]
    fn a_rise_counts_the_number_needed_to_harm_and_a_tiny_difference_none() {
        assert_eq!(contrast(0.10, 0.03).number_needed, Some(NumberNeeded::ToHarm(34)));
        assert_eq!(contrast(0.10, 0.00005).number_needed, None);
        assert_eq!(contrast(0.0, 0.01).relative, None, "no relative change from nothing");
    }
}
