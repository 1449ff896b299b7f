//! CardioTwin's store: what lets a cardiologist review cached patients offline, and the record
//! of every decision taken with the twin.
//!
//! One sled database per data directory ([`Store`]) holds three things, all encrypted with one
//! 256-bit key ([`crypto::Cipher`], XChaCha20-Poly1305) that lives only in the OS keychain
//! ([`secrets`]): patient snapshots with a small index for listing ([`cache`]), and the
//! append-only, hash-chained audit log ([`audit`]). Nothing here is ever written in clear, and
//! error messages name ids and counts, never patient data.
//!
//! # Crash safety
//! Every write is one sled transaction followed by a flush; a write acknowledged to the caller
//! has been flushed. A process killed mid-write loses at most that write: sled recovers its log
//! on the next open, and the previous value of a key stays until the new one is durable.
#![deny(missing_docs)]

pub mod audit;
pub mod cache;
pub mod crypto;
mod error;
pub mod secrets;
mod store;

pub use error::StoreError;
pub use store::{default_data_dir, Store};
