//! The clinician's preferences: reading and saving them, and where they feed the use cases (the
//! default risk region and race in every risk and projection, the clinician's name in the log).

use super::*;

use crate::identity::Clinician;
use crate::settings::{Preferences, SettingsView};

impl Session {
    /// The preferences in use: the saved ones, else the defaults; whether they were saved; and why
    /// saved ones could not be read. Like the stale-data limits, a data folder that does not exist
    /// yet is not created to find out.
    pub(crate) fn preferences(&self) -> (Preferences, bool, Option<String>) {
        let open = lock(&self.store).clone();
        let store = match open {
            Some(store) => store,
            None => match self.config.data_dir.as_deref() {
                Some(dir) if dir.is_dir() => match self.store() {
                    Ok(store) => store,
                    Err(e) => return (Preferences::default(), false, Some(defaults_because(&e))),
                },
                _ => return (Preferences::default(), false, None),
            },
        };
        match crate::settings::preferences(&store) {
            Ok(saved) => (saved.clone().unwrap_or_default(), saved.is_some(), None),
            Err(e) => (Preferences::default(), false, Some(defaults_because(&e))),
        }
    }

    /// The race, region and SDI the risk equations use: what the screen gave, else the saved
    /// defaults (the records carry neither race nor region, so nothing in the record is
    /// overridden; a value given for this request wins over the default).
    ///
    /// # Errors
    /// As [`RiskContext::overrides`].
    pub(crate) fn overrides(&self, context: &RiskContext) -> Result<RecordOverrides, AppError> {
        let (preferences, _, _) = self.preferences();
        RiskContext {
            race: context.race.or(preferences.default_race),
            region: context.region.or(preferences.default_region),
            ..*context
        }
        .overrides()
    }

    /// Who the decision log records: the clinician set in Settings, else the system user name.
    pub(crate) fn clinician(&self) -> Clinician {
        self.preferences().0.clinician.unwrap_or_else(|| {
            Clinician::named(std::env::var("USER").unwrap_or_else(|_| "clinician (no name set in Settings)".into()))
        })
    }

    /// Saves the clinician's preferences; later answers and log entries follow them.
    ///
    /// # Errors
    /// An invalid identity; no data folder; the store cannot be written.
    pub fn cmd_save_preferences(&self, preferences: Preferences) -> Result<SettingsView, AppError> {
        let preferences = preferences.checked()?;
        self.data_dir()?;
        crate::settings::save_preferences(&*self.store()?, preferences)?;
        self.cmd_settings(NoArgs {})
    }
}

/// The note the settings screen shows when the saved preferences could not be read (no PHI:
/// store errors name no patient).
fn defaults_because(e: &AppError) -> String {
    format!("the preferences saved in Settings could not be read ({e}); the defaults are used")
}
