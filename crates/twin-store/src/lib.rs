//! CardioTwin's store: what lets a cardiologist review cached patients offline, and the record
//! of every decision taken with the twin.
//!
//! One data folder per [`Store`], private to the user (0700, files 0600):
//! ```text
//! store.meta, store.meta.bak   header: store id, key generation, key check (two copies)
//! audit.key, audit.key.bak     the audit log's data key, wrapped (two copies)
//! patients/<h>.rec, <h>.key    one patient: index + snapshot sealed with its own data key
//! patients/<h>.plans           the patient's saved plans of care, sealed with the same key
//! settings.key                 the settings' data key, wrapped
//! settings/<name>.sealed       workstation settings (EHR connections), sealed ([`documents`])
//! audit/<seq>.rec              one audit entry (a decision or a write-back), sealed, hash-chained
//! quarantine/                  records found damaged, set aside
//! store.lock                   the lock every CardioTwin process takes per operation
//! ```
//! Every value is sealed with XChaCha20-Poly1305 ([`crypto`]); the master key, the id salt and
//! the anchor (key generation, audit head) live only in the OS keychain ([`secrets`]). Error
//! messages name files (hashes) and counts, never patient data.
//!
//! # Why files, not a database
//! sled refused to open at all after one flipped byte and kept superseded values in its log;
//! SQLite (the other candidate) loses a whole table when a b-tree page is damaged and keeps
//! freed pages until vacuumed. One sealed file per record makes damage cost only the record it
//! touches, makes "replaced" and "deleted" mean gone from the folder (an atomic rename, an
//! unlink), and needs no dependency. The cost is one file per record, which the cache's size
//! (hundreds of patients, thousands of decisions) makes cheap; see `docs/ARCHITECTURE.md`.
//!
//! # Crash safety
//! Every write goes to a temporary file that is flushed and renamed over its target, and the
//! folder is flushed; a write acknowledged to the caller is on disk. A process killed mid-write
//! loses at most that write; its temporary file is removed at the next open.
//!
//! # Two processes
//! The app and the CLI may run at once: each operation takes the folder's lock (shared to read,
//! exclusive to write), waits for the other up to five seconds, then reports
//! [`StoreError::Busy`] in plain words.
#![deny(missing_docs)]

pub mod audit;
pub mod bulk_folder;
pub mod cache;
mod chain;
pub mod crypto;
pub mod documents;
mod error;
mod files;
pub mod secrets;
mod store;
pub mod write_backs;

pub use error::StoreError;
pub use store::{default_data_dir, Store};
