//! The one way the generator draws noise. A leaf, so that [`crate::history`] (which uses a
//! patient's [`crate::variety::Variety`]) and `variety` (which draws it) share it without
//! naming each other.

use rand_distr::Normal;

/// A zero-mean normal with standard deviation `sd`.
pub(crate) fn normal(sd: f64) -> Normal<f64> {
    // sd is one of history's and variety's positive constants; Normal::new fails only on sd < 0 or NaN.
    Normal::new(0.0, sd).unwrap_or_else(|_| unreachable!("noise SD is a positive constant"))
}
