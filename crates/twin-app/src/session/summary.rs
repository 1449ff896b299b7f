//! Filing the clinician summary in the EHR (after the clinician confirms on the screen).

use super::*;
use crate::summary::{WriteBackArgs, WriteBackView};

impl Session {
    /// Files the clinician summary for patient `id` in a saved EHR as a consult note, with the
    /// decision it records as a Provenance, and logs the attempt and its outcome in the decision
    /// log (a request refused before anything is sent, such as an empty summary, is not an
    /// attempt and is not logged).
    ///
    /// # Errors
    /// No such connection, patient or decision; an empty summary; the sign-in expired or lacks
    /// write access; the EHR cannot be reached. A failure's message says whether it was logged.
    pub fn cmd_ehr_write_back(&self, a: WriteBackArgs) -> Result<WriteBackView, AppError> {
        let c = self.connection(&a.connection)?;
        self.patient(&a.id)?;
        let store = self.store()?;
        let entry = cache::list_audit(&store)?
            .into_iter()
            .find(|e| e.seq == a.decision_seq)
            .ok_or_else(|| AppError::new(ErrorCode::NotFound, "no decision with that number is in the log"))?;
        let note = crate::summary::consult_note(&a.id, &a.text, &entry, cache::now_rfc3339())?;
        let base = url::Url::parse(&c.fhir_base)
            .map_err(|_| AppError::new(ErrorCode::Validation, "the connection's FHIR address is not a web address"))?;
        let outcome = runtime()?.block_on(async {
            let credentials = crate::ehr::credentials(&base, &c.client_id, None).await?;
            crate::summary::file(&base, credentials, &note).await
        });
        let logged = crate::summary::log_attempt(&store, self.clinician(), &note, &base, &outcome);
        match (outcome, logged) {
            (Ok(view), logged) => Ok(WriteBackView { log_seq: logged.ok(), ..view }),
            (Err(e), Ok(seq)) => {
                Err(AppError::new(e.code, format!("{} (this attempt is entry {seq} of the decision log)", e.message)))
            }
            (Err(e), Err(log)) => {
                Err(AppError::new(e.code, format!("{} (this attempt could not be logged: {})", e.message, log.message)))
            }
        }
    }
}
