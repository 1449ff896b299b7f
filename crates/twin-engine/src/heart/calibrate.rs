//! Calibration (next).
