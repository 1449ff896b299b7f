//! Notes linked by URL: a DocumentReference's `content.attachment` or a DiagnosticReport's
//! `presentedForm` that carries a `url` instead of `data`. Where the URL names a Binary on the
//! same FHIR server (`Binary/<id>`, relative or under the configured base) and the attachment is
//! a kind the note reader reads (plain text, PDF), the Binary is read as FHIR JSON (R4
//! `Binary`: `contentType` and base64 `data`; http.html#read) and its data carried inline, so
//! the note reader sees it like any other note. URLs on other servers are not followed: the
//! access token is for this server alone. A Binary that cannot be read leaves the attachment as
//! it was, and the note reader then says the note was linked by URL and not fetched; the record
//! itself is still complete (a note is not a search).

use std::sync::Arc;

use serde_json::Value;
use tokio::sync::Semaphore;
use url::Url;

use crate::fetch::{Cancel, FhirClient};
use crate::notes::pdf::MAX_PDF_BYTES;

/// The most linked attachments read for one record: a letter archive of a long-followed patient
/// can hold hundreds, and each read is one request.
pub const MAX_LINKED_ATTACHMENTS: usize = 200;

/// An attachment to read: the resource's index, the attachment's JSON pointer inside it, and the
/// Binary's relative reference.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Link {
    resource: usize,
    pointer: String,
    binary: String,
}

/// The `Binary/<id>` that `url` names on the server at `base`: relative (`Binary/7`, `/Binary/7`)
/// or absolute under `base`. `None` for another server, another resource type, or an id that is
/// not a FHIR id (`[A-Za-z0-9\-.]{1,64}`).
pub fn same_server_binary(url: &str, base: &Url) -> Option<String> {
    let base_text = base.as_str().trim_end_matches('/');
    let relative = if let Some(rest) = url.strip_prefix(base_text) {
        rest.strip_prefix('/')?
    } else if url.contains("://") {
        return None;
    } else {
        url.trim_start_matches('/')
    };
    let id = relative.strip_prefix("Binary/")?;
    let valid =
        !id.is_empty() && id.len() <= 64 && id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
    valid.then(|| format!("Binary/{id}"))
}

/// Whether the note reader reads this attachment kind ([`crate::notes::is_pdf_note`]) and its
/// stated size, if any, is within what is fetched.
fn readable(attachment: &Value) -> bool {
    let small_enough = attachment
        .get("size")
        .and_then(Value::as_u64)
        .is_none_or(|n| usize::try_from(n).is_ok_and(|n| n <= MAX_PDF_BYTES));
    crate::notes::is_pdf_note(attachment).is_some() && small_enough
}

/// The attachments of `resources` to read from the server at `base`.
fn links(resources: &[Value], base: &Url) -> Vec<Link> {
    let mut found = Vec::new();
    for (i, r) in resources.iter().enumerate() {
        let pointers: Vec<String> = match r.get("resourceType").and_then(Value::as_str) {
            Some("DocumentReference") => (0..r.get("content").and_then(Value::as_array).map_or(0, Vec::len))
                .map(|k| format!("/content/{k}/attachment"))
                .collect(),
            Some("DiagnosticReport") => (0..r.get("presentedForm").and_then(Value::as_array).map_or(0, Vec::len))
                .map(|k| format!("/presentedForm/{k}"))
                .collect(),
            _ => continue,
        };
        for pointer in pointers {
            let Some(attachment) = r.pointer(&pointer) else { continue };
            if attachment.get("data").is_some() || !readable(attachment) {
                continue;
            }
            let Some(binary) = attachment.get("url").and_then(Value::as_str).and_then(|u| same_server_binary(u, base))
            else {
                continue;
            };
            found.push(Link { resource: i, pointer, binary });
        }
    }
    found.truncate(MAX_LINKED_ATTACHMENTS);
    found
}

impl FhirClient {
    /// Reads the notes `resources` link on this server (see the module) and carries their data
    /// inline. One that cannot be read is left linked, and the note reader names it. Each link is
    /// its own attachment, so the reads land in any order.
    pub async fn inline_linked_notes(self: &Arc<Self>, resources: &mut [Value], cancel: &Cancel) {
        let semaphore = Arc::new(Semaphore::new(self.config_concurrency()));
        let mut tasks = tokio::task::JoinSet::new();
        for link in links(resources, self.base()) {
            let client = Arc::clone(self);
            let cancel = cancel.clone();
            let semaphore = Arc::clone(&semaphore);
            tasks.spawn(async move {
                let _permit = semaphore.acquire_owned().await;
                let read = client.get_json(&client.url_for(&link.binary), &cancel).await;
                (link, read)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((link, Ok(binary))) = joined else { continue };
            if binary.get("resourceType").and_then(Value::as_str) != Some("Binary") {
                continue;
            }
            // `readable` asked for a contentType, so the attachment keeps its own.
            let Some(data) = binary.get("data").and_then(Value::as_str) else { continue };
            if let Some(attachment) = resources
                .get_mut(link.resource)
                .and_then(|r| r.pointer_mut(&link.pointer))
                .and_then(Value::as_object_mut)
            {
                attachment.insert("data".into(), Value::String(data.to_string()));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn base() -> Url {
        Url::parse("https://ehr.example/fhir/r4").unwrap()
    }

    #[test]
    fn a_binary_on_this_server_is_named_and_others_are_not() {
        let b = base();
        assert_eq!(same_server_binary("Binary/echo-7", &b).as_deref(), Some("Binary/echo-7"));
        assert_eq!(same_server_binary("/Binary/echo-7", &b).as_deref(), Some("Binary/echo-7"));
        assert_eq!(same_server_binary("https://ehr.example/fhir/r4/Binary/9", &b).as_deref(), Some("Binary/9"));
        // Another server, or another path on this host, gets no token: not followed.
        assert_eq!(same_server_binary("https://other.example/fhir/r4/Binary/9", &b), None);
        assert_eq!(same_server_binary("https://ehr.example/files/Binary/9", &b), None);
        assert_eq!(same_server_binary("https://ehr.example/fhir/r4evil/Binary/9", &b), None);
        // Not a Binary, or not a FHIR id.
        assert_eq!(same_server_binary("DocumentReference/9", &b), None);
        assert_eq!(same_server_binary("Binary/../Patient/1", &b), None);
        assert_eq!(same_server_binary("Binary/", &b), None);
    }

    #[test]
    fn only_readable_kinds_without_data_are_linked() {
        let doc = json!({
            "resourceType": "DocumentReference",
            "content": [
                {"attachment": {"contentType": "application/pdf", "url": "Binary/a"}},
                {"attachment": {"contentType": "text/plain", "url": "Binary/b", "data": "TFZFRg=="}},
                {"attachment": {"contentType": "image/jpeg", "url": "Binary/c"}},
                {"attachment": {"contentType": "text/plain; charset=utf-8", "url": "https://other.example/Binary/d"}},
                {"attachment": {"contentType": "application/pdf", "url": "Binary/e", "size": 40_000_000}}
            ]
        });
        let report = json!({
            "resourceType": "DiagnosticReport",
            "presentedForm": [{"contentType": "text/plain", "url": "Binary/f"}]
        });
        let found = links(&[doc, json!({"resourceType": "Observation"}), report], &base());
        let named: Vec<(usize, &str, &str)> =
            found.iter().map(|l| (l.resource, l.pointer.as_str(), l.binary.as_str())).collect();
        assert_eq!(named, [(0, "/content/0/attachment", "Binary/a"), (2, "/presentedForm/0", "Binary/f")]);
    }
}
