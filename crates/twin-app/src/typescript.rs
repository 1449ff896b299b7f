//! The TypeScript declarations of every transport type, for `ui/src/api/generated.ts`.
//!
//! Its own module because it names types from nearly every other one: only the generator's
//! callers may import it, or those modules would all import each other through it.

use ts_rs::TS;

use crate::{
    builder, cache, changes, commands, ehr, error, freshness, heatmap, hindcast, hl7_import, home_import, identity,
    json, ml, overview, patient_view, risk, scenario_file, session, settings, simulate, suggest, summary, twin,
    worklist,
};

/// The TypeScript declarations of every transport type, as written to `ui/src/api/generated.ts`.
pub fn typescript_declarations() -> String {
    let decls = [
        error::ErrorCode::decl(),
        error::AppError::decl(),
        json::PatientListItem::decl(),
        json::PatientOrigin::decl(),
        json::PatientList::decl(),
        json::LatestValue::decl(),
        json::FindingView::decl(),
        json::MedicationView::decl(),
        json::CodedItem::decl(),
        json::ProblemView::decl(),
        json::PatientSummary::decl(),
        json::NoteFactUse::decl(),
        json::NoteFactView::decl(),
        json::SeriesPoint::decl(),
        json::Series::decl(),
        json::RiskContrastView::decl(),
        json::OutcomeView::decl(),
        json::OutcomeKind::decl(),
        risk::ContributionView::decl(),
        risk::RiskFigure::decl(),
        risk::GeneticLine::decl(),
        risk::PceReport::decl(),
        risk::PreventReport::decl(),
        risk::Score2Report::decl(),
        risk::Score2DiabetesReport::decl(),
        risk::Smart2Report::decl(),
        risk::MaggicReport::decl(),
        risk::PointsView::decl(),
        risk::SelectedModel::decl(),
        risk::InputUsed::decl(),
        risk::AfItemView::decl(),
        risk::AfScoreView::decl(),
        risk::AfReport::decl(),
        risk::RiskReport::decl(),
        twin::ParamView::decl(),
        twin::HemodynamicsView::decl(),
        twin::PvLoop::decl(),
        twin::FitView::decl(),
        twin::HeartMarkersView::decl(),
        twin::TwinView::decl(),
        worklist::OpenPanelArgs::decl(),
        worklist::WorklistRow::decl(),
        worklist::Worklist::decl(),
        simulate::OutputKey::decl(),
        simulate::OutputBand::decl(),
        simulate::SourceView::decl(),
        simulate::ResponseView::decl(),
        simulate::Projection::decl(),
        ml::LearnedView::decl(),
        ml::LearnedRow::decl(),
        hindcast::PersonalHindcast::decl(),
        hindcast::HindcastRow::decl(),
        hindcast::HindcastPoint::decl(),
        ml::HybridHindcastRow::decl(),
        simulate::Difference::decl(),
        simulate::Share::decl(),
        simulate::ScenarioDifference::decl(),
        simulate::Comparison::decl(),
        cache::CachedPatient::decl(),
        cache::CacheList::decl(),
        cache::AuditView::decl(),
        cache::AuditCheck::decl(),
        ehr::LoginResult::decl(),
        ehr::MissingView::decl(),
        ehr::FetchReport::decl(),
        changes::Changes::decl(),
        changes::NewReadings::decl(),
        changes::LatestChange::decl(),
        changes::MedicationChange::decl(),
        changes::WhatChanged::decl(),
        settings::EhrConnection::decl(),
        heatmap::Axis::decl(),
        heatmap::AxisSpec::decl(),
        heatmap::AxisView::decl(),
        heatmap::HeatmapCell::decl(),
        heatmap::HeatmapView::decl(),
        session::HeatmapArgs::decl(),
        freshness::StaleLimitsView::decl(),
        freshness::InputAgeView::decl(),
        freshness::FreshnessView::decl(),
        settings::LipidUnitChoice::decl(),
        settings::GuidelineSet::decl(),
        settings::GuidelineTarget::decl(),
        identity::Clinician::decl(),
        settings::Preferences::decl(),
        settings::SettingsView::decl(),
        session::ConnectionArgs::decl(),
        session::EhrFetchArgs::decl(),
        session::EhrStatus::decl(),
        scenario_file::ScenarioFile::decl(),
        scenario_file::StrategyFile::decl(),
        scenario_file::RungFile::decl(),
        scenario_file::InterventionFile::decl(),
        scenario_file::ClassFile::decl(),
        scenario_file::DoseFile::decl(),
        scenario_file::PersistenceFile::decl(),
        scenario_file::ProcedureFile::decl(),
        patient_view::PatientViewChoice::decl(),
        patient_view::ChosenView::decl(),
        patient_view::ChoosePatientViewArgs::decl(),
        patient_view::PatientViewState::decl(),
        summary::WriteBackArgs::decl(),
        summary::WriteBackView::decl(),
        summary::WriteBackOutcomeView::decl(),
        summary::WriteBackLogView::decl(),
        session::NoArgs::decl(),
        session::PatientArgs::decl(),
        session::SeriesArgs::decl(),
        session::RaceChoice::decl(),
        session::RegionChoice::decl(),
        session::RiskContext::decl(),
        session::RiskArgs::decl(),
        session::EnsembleOptions::decl(),
        session::SimulateArgs::decl(),
        session::CompareArgs::decl(),
        session::ImportArgs::decl(),
        session::ImportHl7Args::decl(),
        hl7_import::Hl7ImportReport::decl(),
        home_import::HomeFileKind::decl(),
        home_import::ImportHomeArgs::decl(),
        home_import::HomeMeasureCount::decl(),
        home_import::HomeImportReport::decl(),
        hl7_import::UnknownCodeCount::decl(),
        session::SaveScenarioArgs::decl(),
        session::ScenarioNameArgs::decl(),
        session::CheckScenariosArgs::decl(),
        builder::DoseOption::decl(),
        builder::TakenDrug::decl(),
        builder::StartableDrug::decl(),
        builder::ScenarioOptions::decl(),
        builder::ScenarioCheck::decl(),
        session::Timeline::decl(),
        overview::ReferenceRangeView::decl(),
        overview::HomeBpView::decl(),
        overview::HomeBpMeanView::decl(),
        session::AuditLog::decl(),
        session::AuditExport::decl(),
        session::JobArgs::decl(),
        session::JobProgress::decl(),
        suggest::SuggestionOutcome::decl(),
        suggest::TargetsView::decl(),
        suggest::RuleView::decl(),
        suggest::AlertView::decl(),
        suggest::EffectView::decl(),
        suggest::RiskChangeView::decl(),
        suggest::PlanChangeView::decl(),
        suggest::ExpectedView::decl(),
        suggest::PlanStepView::decl(),
        suggest::StatinView::decl(),
        suggest::FhView::decl(),
        suggest::CandidateView::decl(),
        suggest::ExcludedView::decl(),
        suggest::SearchSettings::decl(),
        suggest::SuggestionView::decl(),
        session::SuggestArgs::decl(),
        session::DecisionChoice::decl(),
        session::DecideArgs::decl(),
        session::KeychainState::decl(),
        session::KeychainStatus::decl(),
    ];
    let mut out = String::from(
        "// Generated from crates/twin-app/src/typescript.rs by `UPDATE_TS=1 cargo test -p twin-app`. Do not edit.\n",
    );
    for decl in decls {
        out.push_str("\nexport ");
        out.push_str(&decl);
        out.push('\n');
    }
    out.push_str(&engine_constants());
    out.push_str(&strategy_constants());
    out.push_str(&scenario_constants());
    out.push_str(&commands::typescript_commands());
    out
}

/// The engine's constants the UI needs, so it never writes its own copy of them.
fn engine_constants() -> String {
    let constants = [
        (
            "MG_DL_PER_MMOL_L_CHOLESTEROL",
            "mg/dL per mmol/L of cholesterol (total, LDL, HDL): `twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L`.",
            twin_engine::units::CHOLESTEROL_MG_DL_PER_MMOL_L,
        ),
        (
            "MAX_STALE_LIMIT_MONTHS",
            "Longest stale-data limit the settings accept, months: `twin_engine::twin::MAX_LIMIT_MONTHS`.",
            f64::from(twin_engine::twin::MAX_LIMIT_MONTHS),
        ),
    ];
    constants.iter().map(|(name, doc, value)| format!("\n/** {doc} */\nexport const {name} = {value:?};\n")).collect()
}

/// The engine's limits and defaults of treat-to-target strategies, so the builder checks what the
/// engine checks and offers the engine's sequences.
fn strategy_constants() -> String {
    use scenario_file::ClassFile;
    use twin_engine::drugs::{DoseLevel, DrugClass};
    use twin_engine::progression::ldl_fraction;
    use twin_engine::progression::strategy::{
        DEFAULT_BP_SEQUENCE, DEFAULT_LDL_SEQUENCE, LDL_TARGET_RANGE_MMOL, MIN_REVIEW_MONTHS, SBP_TARGET_RANGE,
    };
    let classes = |s: &[DrugClass]| {
        let names: Vec<String> = s
            .iter()
            .filter_map(|c| scenario_file::ClassFile::of(*c))
            .filter_map(|c| serde_json::to_string(&c).ok())
            .collect();
        format!("[{}]", names.join(", "))
    };
    let pair = |(lo, hi): (f64, f64)| format!("[{lo:?}, {hi:?}] as const");
    // Every class a scenario file names, each once (the match keeps the list whole).
    let every: Vec<DrugClass> = [
        ClassFile::AceInhibitor,
        ClassFile::Arb,
        ClassFile::CalciumChannelBlocker,
        ClassFile::NonDihydropyridineCcb,
        ClassFile::Thiazide,
        ClassFile::BetaBlocker,
        ClassFile::Mra,
        ClassFile::Statin,
        ClassFile::Ezetimibe,
        ClassFile::Pcsk9Inhibitor,
        ClassFile::AlphaBlocker,
        ClassFile::CentrallyActing,
        ClassFile::Inclisiran,
        ClassFile::BempedoicAcid,
        ClassFile::Arni,
        ClassFile::Sglt2Inhibitor,
        ClassFile::Ivabradine,
        ClassFile::LoopDiuretic,
    ]
    .into_iter()
    .map(|c| match c {
        ClassFile::AceInhibitor
        | ClassFile::Arb
        | ClassFile::CalciumChannelBlocker
        | ClassFile::NonDihydropyridineCcb
        | ClassFile::Thiazide
        | ClassFile::BetaBlocker
        | ClassFile::Mra
        | ClassFile::Statin
        | ClassFile::Ezetimibe
        | ClassFile::Pcsk9Inhibitor
        | ClassFile::AlphaBlocker
        | ClassFile::CentrallyActing
        | ClassFile::Inclisiran
        | ClassFile::BempedoicAcid
        | ClassFile::Arni
        | ClassFile::Sglt2Inhibitor
        | ClassFile::Ivabradine
        | ClassFile::LoopDiuretic => DrugClass::from(c),
    })
    .collect();
    let lowers_bp: Vec<DrugClass> = every.iter().copied().filter(|c| c.lowers_bp()).collect();
    let lowers_ldl: Vec<DrugClass> =
        every.iter().copied().filter(|c| ldl_fraction(*c, DoseLevel::Standard) > 0.0).collect();
    [
        (
            "SBP_TARGET_RANGE",
            "Lowest and highest SBP target of a strategy, mmHg: `twin_engine::progression::strategy::SBP_TARGET_RANGE`.",
            pair(SBP_TARGET_RANGE),
        ),
        (
            "LDL_TARGET_RANGE_MMOL",
            "Lowest and highest LDL-C target of a strategy, mmol/L: `twin_engine::progression::strategy::LDL_TARGET_RANGE_MMOL`.",
            pair(LDL_TARGET_RANGE_MMOL),
        ),
        (
            "MIN_REVIEW_MONTHS",
            "Shortest review interval of a strategy, months (two weeks): `twin_engine::progression::strategy::MIN_REVIEW_MONTHS`.",
            format!("{MIN_REVIEW_MONTHS:?}"),
        ),
        (
            "DEFAULT_BP_SEQUENCE",
            "BP-lowering classes a strategy adds in turn by default: `twin_engine::progression::strategy::DEFAULT_BP_SEQUENCE`.",
            format!("{} as ClassFile[]", classes(&DEFAULT_BP_SEQUENCE)),
        ),
        (
            "BP_LOWERING_CLASSES",
            "Classes a BP sequence may hold (those with a BP effect): `twin_engine::drugs::DrugClass::lowers_bp`.",
            format!("{} as ClassFile[]", classes(&lowers_bp)),
        ),
        (
            "LDL_LOWERING_CLASSES",
            "Classes an LDL-C sequence may hold (those with an LDL-C effect): `twin_engine::progression::ldl_fraction`.",
            format!("{} as ClassFile[]", classes(&lowers_ldl)),
        ),
        (
            "DEFAULT_LDL_SEQUENCE",
            "Lipid-lowering classes a strategy adds in turn by default: `twin_engine::progression::strategy::DEFAULT_LDL_SEQUENCE`.",
            format!("{} as ClassFile[]", classes(&DEFAULT_LDL_SEQUENCE)),
        ),
    ]
    .iter()
    .map(|(name, doc, value)| format!("\n/** {doc} */\nexport const {name} = {value};\n"))
    .collect()
}

/// What a scenario may say (`scenario_file`'s limits and the engine's), so the builder checks each
/// field as the server does.
fn scenario_constants() -> String {
    use scenario_file::{MAX_CHANGE_MONTH, MAX_NAME_CHARS, MAX_NOTES_CHARS, WEIGHT_OVER_MONTHS_RANGE};
    use twin_engine::progression::scenario::{ADHERENCE_RANGE, EXERCISE_RANGE_MIN_PER_WEEK, WEIGHT_CHANGE_RANGE_KG};
    use twin_engine::progression::strategy::MAX_REVIEW_MONTHS;
    let pair = |(lo, hi): (f64, f64)| format!("[{lo:?}, {hi:?}] as const");
    [
        (
            "MAX_SCENARIO_NAME_CHARS",
            "Longest saved scenario name, characters: `scenario_file::MAX_NAME_CHARS`.",
            MAX_NAME_CHARS.to_string(),
        ),
        (
            "MAX_SCENARIO_NOTES_CHARS",
            "Longest note on a saved scenario, characters: `scenario_file::MAX_NOTES_CHARS`.",
            MAX_NOTES_CHARS.to_string(),
        ),
        (
            "MAX_CHANGE_MONTH",
            "Latest month a scenario's change may start: `scenario_file::MAX_CHANGE_MONTH`.",
            MAX_CHANGE_MONTH.to_string(),
        ),
        (
            "ADHERENCE_RANGE",
            "Share of doses taken a scenario may set: `twin_engine::progression::scenario::ADHERENCE_RANGE`.",
            pair(ADHERENCE_RANGE),
        ),
        (
            "EXERCISE_RANGE_MIN_PER_WEEK",
            "Aerobic exercise a scenario may set, minutes a week: `twin_engine::progression::scenario::EXERCISE_RANGE_MIN_PER_WEEK`.",
            pair(EXERCISE_RANGE_MIN_PER_WEEK),
        ),
        (
            "WEIGHT_CHANGE_RANGE_KG",
            "Weight change a scenario may set, kg: `twin_engine::progression::scenario::WEIGHT_CHANGE_RANGE_KG`.",
            pair(WEIGHT_CHANGE_RANGE_KG),
        ),
        (
            "MAX_REVIEW_MONTHS",
            "Longest interval between a strategy's reviews, months: `twin_engine::progression::strategy::MAX_REVIEW_MONTHS`.",
            format!("{MAX_REVIEW_MONTHS:?}"),
        ),
        (
            "WEIGHT_OVER_MONTHS_RANGE",
            "Months over which a weight change is reached: `scenario_file::WEIGHT_OVER_MONTHS_RANGE`.",
            format!("[{}, {}] as const", WEIGHT_OVER_MONTHS_RANGE.0, WEIGHT_OVER_MONTHS_RANGE.1),
        ),
    ]
    .iter()
    .map(|(name, doc, value)| format!("\n/** {doc} */\nexport const {name} = {value};\n"))
    .collect()
}
