//! Use cases on population results: a panel file as the workstation's worklist.

use super::*;

impl Session {
    /// A panel result (`cardiotwin panel`) as a ranked worklist: one patient a row, best
    /// expected benefit of the suggested plan first, then most alerts; each row says whether
    /// the workstation holds that patient. The file is read into memory only.
    ///
    /// # Errors
    /// A file that is not a panel result; a build without the panel reader.
    pub fn cmd_open_panel(&self, a: crate::worklist::OpenPanelArgs) -> Result<crate::worklist::Worklist, AppError> {
        let names: std::collections::HashMap<String, String> =
            self.list_patients().map(|l| l.patients.into_iter().map(|p| (p.id, p.name)).collect()).unwrap_or_default();
        crate::worklist::open(Path::new(&a.path), &|id| names.get(id).cloned())
    }
}
