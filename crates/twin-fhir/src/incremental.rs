//! Bringing a held record up to date: each of the patient's searches ([`patient_searches`]) asks
//! only for what the server changed after the previous fetch, with `_lastUpdated=gt<instant>`
//! (FHIR R4 §3.1.1.4.1, search parameters for all resources; §2.21.0.6, `gt` on dates).
//!
//! **Whose clock.** The instant is the server's own: the earliest `Bundle.meta.lastUpdated` of
//! the previous fetch's first pages ([`Fetched::server_time`]), which a searchset carries as the
//! moment the server answered. Our clock is never compared with the server's, so a workstation
//! whose clock is off by minutes still misses nothing. A server that sends no such time gives no
//! instant, and the next fetch is a full one.
//!
//! **Overlap.** The query starts [`OVERLAP`] before that instant: a resource stamped just before
//! the previous search but not yet visible to it (a transaction still committing) is asked for
//! again. Anything asked for twice replaces itself (same type and id), so the overlap costs a few
//! resources and changes nothing.
//!
//! **Deletions.** FHIR search returns no deleted resources, so an incremental fetch cannot see a
//! deletion (only `_history` can, and EHRs rarely grant it to apps). A resource deleted in the EHR
//! stays in the held record until a full fetch, which remains available on demand.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use crate::fetch::{patient_searches, Cancel, Fetched, FhirClient, Progress};

/// How far before the previous fetch's server time the next fetch starts asking: 5 s, far longer
/// than a FHIR write takes to commit on a working server (an assumption; a longer overlap only
/// re-fetches more unchanged resources).
pub const OVERLAP: Duration = Duration::from_secs(5);

/// The instant an incremental fetch asks for changes after: the previous fetch's server time less
/// [`OVERLAP`], in UTC to the millisecond.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Since(OffsetDateTime);

/// A previous fetch's server time that is not an RFC 3339 instant.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the previous fetch's server time '{0}' is not an RFC 3339 instant; a full fetch is needed")]
pub struct BadServerTime(pub String);

impl Since {
    /// The instant after `server_time` (a previous fetch's [`Fetched::server_time`]) less the
    /// overlap.
    ///
    /// # Errors
    /// [`BadServerTime`] when it is not an RFC 3339 instant.
    pub fn after_previous(server_time: &str) -> Result<Since, BadServerTime> {
        let at = instant(server_time).ok_or_else(|| BadServerTime(server_time.to_string()))?;
        Ok(Since(at - OVERLAP))
    }

    /// The search value, e.g. `2026-12-01T09:30:00.250Z`: millisecond precision, because `gt` on a
    /// coarser value means after the whole second (or day) it names.
    pub fn to_param(&self) -> String {
        let t = self.0.to_offset(time::UtcOffset::UTC);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second(),
            t.millisecond()
        )
    }
}

/// `patient`'s searches, each asking only for resources changed after `since`.
pub fn searches_since(patient: &str, since: &Since) -> Vec<String> {
    let param = since.to_param();
    patient_searches(patient).into_iter().map(|search| format!("{search}&_lastUpdated=gt{param}")).collect()
}

impl FhirClient {
    /// What changed in `patient`'s record after `since`: the searches of [`searches_since`], with
    /// the paging, retries, progress and cancel of [`FhirClient::fetch_patient`]. The answer's
    /// [`Fetched::server_time`] is where the next incremental fetch starts.
    pub async fn fetch_patient_since(
        self: &Arc<Self>,
        patient: &str,
        since: &Since,
        cancel: &Cancel,
        progress: Arc<dyn Fn(Progress) + Send + Sync>,
    ) -> Fetched {
        self.fetch_searches(patient, searches_since(patient, since), cancel, progress).await
    }
}

/// Where and when a held record was last fetched, as a Bundle stored before 2026-12-06 says it:
/// `meta.source` the FHIR base, `meta.lastUpdated` the server's time ([`Fetched::server_time`]).
/// Records are now marked beside the Bundle, in the store's sealed index (twin-store's
/// `FetchMark`), so that the next fetch need not open the record; this reads the old ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldFetch {
    /// The FHIR base the record was fetched from.
    pub base: String,
    /// The server's time of that fetch, where the server sent one.
    pub server_time: Option<String>,
}

/// The held record's fetch from an old stored Bundle, `None` for a record that was never fetched
/// (imported from a file) or was stored before fetches were marked.
pub fn held_fetch(bundle: &Value) -> Option<HeldFetch> {
    let meta = bundle.get("meta")?;
    let base = meta.get("source")?.as_str()?.to_string();
    let server_time = meta.get("lastUpdated").and_then(Value::as_str).map(str::to_string);
    Some(HeldFetch { base, server_time })
}

/// The extension on a stored Bundle's `meta` that holds what the last fetch changed (JSON text,
/// twin-app's `Changes`), kept sealed with the record until the next fetch.
pub const CHANGES_EXTENSION: &str = "https://cardiotwin.invalid/fhir/StructureDefinition/changes-since-last-fetch";

/// The text of `url`'s extension on `bundle.meta`, if there is one.
pub fn meta_extension<'a>(bundle: &'a Value, url: &str) -> Option<&'a str> {
    bundle
        .pointer("/meta/extension")?
        .as_array()?
        .iter()
        .find(|e| e.get("url").and_then(Value::as_str) == Some(url))?
        .get("valueString")?
        .as_str()
}

/// Sets (or replaces) `url`'s extension on `bundle.meta` to `text`.
pub fn set_meta_extension(bundle: &mut Value, url: &str, text: &str) {
    if !bundle.get("meta").is_some_and(Value::is_object) {
        bundle["meta"] = json!({});
    }
    let meta = &mut bundle["meta"];
    let mut extensions: Vec<Value> = meta
        .get("extension")
        .and_then(Value::as_array)
        .map(|a| a.iter().filter(|e| e.get("url").and_then(Value::as_str) != Some(url)).cloned().collect())
        .unwrap_or_default();
    extensions.push(json!({ "url": url, "valueString": text }));
    meta["extension"] = Value::Array(extensions);
}

fn instant(text: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(text, &Rfc3339).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_is_the_server_time_less_the_overlap_in_utc_milliseconds() {
        let since = Since::after_previous("2026-12-01T10:00:03.2+01:00").unwrap();
        assert_eq!(since.to_param(), "2026-12-01T08:59:58.200Z");
    }

    #[test]
    fn every_search_asks_for_changes_only() {
        let since = Since::after_previous("2026-12-01T09:00:05Z").unwrap();
        let searches = searches_since("p1", &since);
        assert_eq!(searches.len(), patient_searches("p1").len());
        assert!(searches.iter().all(|s| s.ends_with("&_lastUpdated=gt2026-12-01T09:00:00.000Z")), "{searches:?}");
        assert!(searches[0].starts_with("Patient?_id=p1&"));
    }

    #[test]
    fn a_server_time_that_is_not_an_instant_asks_for_a_full_fetch() {
        let err = Since::after_previous("yesterday").unwrap_err();
        assert!(err.to_string().contains("full fetch"), "{err}");
    }

    #[test]
    fn an_old_stored_bundle_says_where_and_when_it_was_fetched_and_keeps_its_changes() {
        let mut bundle = json!({"resourceType": "Bundle", "type": "collection", "entry": []});
        assert_eq!(held_fetch(&bundle), None);
        bundle["meta"] = json!({"source": "http://127.0.0.1:9/fhir", "lastUpdated": "2026-12-01T09:00:00Z"});
        set_meta_extension(&mut bundle, CHANGES_EXTENSION, "{\"a\":1}");
        set_meta_extension(&mut bundle, CHANGES_EXTENSION, "{\"a\":2}");
        let held = held_fetch(&bundle).unwrap();
        assert_eq!(held.base, "http://127.0.0.1:9/fhir");
        assert_eq!(held.server_time.as_deref(), Some("2026-12-01T09:00:00Z"));
        assert_eq!(meta_extension(&bundle, CHANGES_EXTENSION), Some("{\"a\":2}"));
        assert_eq!(bundle["meta"]["extension"].as_array().unwrap().len(), 1);
        assert_eq!(held_fetch(&bundle).unwrap().base, "http://127.0.0.1:9/fhir", "the extension keeps the mark");
        bundle["meta"].as_object_mut().unwrap().remove("lastUpdated");
        assert_eq!(held_fetch(&bundle).unwrap().server_time, None);
    }

    use crate::fetch::earliest;

    #[test]
    fn the_earliest_server_time_wins_and_unreadable_ones_are_passed_over() {
        let t = |s: &str| Some(s.to_string());
        assert_eq!(earliest(t("2026-12-01T09:00:01Z"), t("2026-12-01T09:00:00.5Z")), t("2026-12-01T09:00:00.5Z"));
        assert_eq!(earliest(t("soon"), t("2026-12-01T09:00:00Z")), t("2026-12-01T09:00:00Z"));
        assert_eq!(earliest(None, t("2026-12-01T09:00:00Z")), t("2026-12-01T09:00:00Z"));
        assert_eq!(earliest(t("soon"), None), None);
    }
}
