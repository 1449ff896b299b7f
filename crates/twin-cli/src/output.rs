//! Printing: each answer as JSON, or as text for people.

use std::io::Write;

use anyhow::Context;

use twin_app::cache;
use twin_app::freshness::FreshnessView;
use twin_app::hindcast::PersonalHindcast;
use twin_app::json::PatientSummary;
use twin_app::risk::{AfReport, AfScoreView, RiskFigure, RiskReport};
use twin_app::simulate::{Comparison, OutputKey, Projection};
use twin_app::twin::TwinView;

use crate::flags::Format;

pub fn write_summary_text(out: &mut dyn Write, s: &PatientSummary) -> std::io::Result<()> {
    let age = s.age.map_or_else(|| "age unknown".to_string(), |a| format!("{a} y"));
    writeln!(out, "{} ({}, {}, born {})", s.name, s.sex, age, s.birth_date.as_deref().unwrap_or("?"))?;
    if s.synthetic {
        writeln!(out, "SYNTHETIC test patient")?;
    }
    if let Some(smoking) = &s.smoking {
        writeln!(out, "Smoking: {smoking}")?;
    }
    writeln!(out, "\nLatest measurements")?;
    for v in &s.latest {
        writeln!(out, "  {:<32} {:>8.1} {:<14} {}  (n={})", v.label, v.value, v.unit, v.date, v.count)?;
    }
    for (what, finding) in [("Heart rhythm (ECG)", &s.rhythm), ("NYHA class", &s.functional_class)] {
        if let Some(f) = finding {
            writeln!(out, "  {what:<32} {:<23} {}", f.label, f.date)?;
        }
    }
    write_freshness_text(out, s.freshness.as_ref())?;
    writeln!(out, "\nActive medications")?;
    for m in &s.active_medications {
        let class = m.class.as_deref().unwrap_or("unmapped");
        let dose = m.daily_dose_mg.map(|d| format!("{d} mg/day")).unwrap_or_default();
        let adherence = m.adherence.map(|a| format!(", {:.0}% of days covered", a * 100.0)).unwrap_or_default();
        writeln!(out, "  {} [{class}] {dose} since {}{adherence}", m.display, m.start.as_deref().unwrap_or("?"))?;
    }
    writeln!(out, "\nConditions")?;
    for c in &s.conditions {
        writeln!(out, "  {} (since {})", c.label, c.date.as_deref().unwrap_or("?"))?;
    }
    if !s.procedures.is_empty() {
        writeln!(out, "\nProcedures")?;
        for p in &s.procedures {
            writeln!(out, "  {} ({})", p.label, p.date.as_deref().unwrap_or("?"))?;
        }
    }
    if !s.problems.is_empty() {
        writeln!(out, "\n{} resources could not be used:", s.problems.len())?;
        for p in &s.problems {
            writeln!(out, "  {}: {}", p.resource, p.reason)?;
        }
    }
    let unmapped: usize = s.unmapped.values().sum();
    if unmapped > 0 {
        writeln!(out, "\n{unmapped} coded items not mapped ({} distinct codes)", s.unmapped.len())?;
    }
    Ok(())
}

pub fn write_risk_text(out: &mut dyn Write, r: &RiskReport) -> std::io::Result<()> {
    let rows: [(&str, &RiskFigure); 10] = [
        ("PCE 10-year ASCVD", &r.pce.ascvd_10y),
        ("PREVENT 10-year CVD", &r.prevent.cvd_10y),
        ("PREVENT 10-year ASCVD", &r.prevent.ascvd_10y),
        ("PREVENT 10-year heart failure", &r.prevent.hf_10y),
        ("PREVENT 30-year CVD", &r.prevent.cvd_30y),
        ("PREVENT 30-year ASCVD", &r.prevent.ascvd_30y),
        ("PREVENT 30-year heart failure", &r.prevent.hf_30y),
        ("SCORE2 10-year CVD", &r.score2.cvd_10y),
        ("SCORE2-Diabetes 10-year CVD", &r.score2_diabetes.cvd_10y),
        ("SMART2 10-year recurrent events", &r.smart2.recurrent_10y),
    ];
    for (label, figure) in rows {
        match (figure.value, &figure.reason) {
            (Some(v), _) => writeln!(out, "{label:<32} {:>5.1}%", v * 100.0)?,
            (None, Some(reason)) => writeln!(out, "{label:<32}     —  ({reason})")?,
            (None, None) => writeln!(out, "{label:<32}     —")?,
        }
    }
    match (r.maggic.score, r.maggic.death_1y, r.maggic.death_3y, &r.maggic.reason) {
        (Some(score), Some(d1), Some(d3), _) => writeln!(
            out,
            "{:<32} score {score}: death {:.1}% at 1 year, {:.1}% at 3 years",
            "MAGGIC (heart failure)",
            d1 * 100.0,
            d3 * 100.0
        )?,
        (_, _, _, Some(reason)) => writeln!(out, "{:<32}     —  ({reason})", "MAGGIC (heart failure)")?,
        _ => writeln!(out, "{:<32}     —", "MAGGIC (heart failure)")?,
    }
    // The polygenic score, where one is on record: on a line of its own, beside the figures above
    // (which stay the equations'), on the figure it changes most directly.
    if let Some(line) = r.prevent.ascvd_10y.genetic.as_ref() {
        writeln!(out, "{}", line.sentence)?;
    }
    writeln!(out, "PREVENT {}", r.prevent.model_label)?;
    for note in r.prevent.cvd_10y.notes.iter().chain(&r.smart2.recurrent_10y.notes) {
        writeln!(out, "  note: {note}")?;
    }
    writeln!(out, "\nModel for this patient: {} — {}.", r.selected.label, r.selected.why)?;
    if let Some(af) = &r.af {
        write_af_text(out, af)?;
    }
    if !r.inputs.is_empty() {
        writeln!(out, "\nInputs")?;
        for i in &r.inputs {
            let when = i.date.as_deref().map(|d| format!(" ({d})")).unwrap_or_default();
            writeln!(out, "  {:<32} {}{when}", i.name, i.value)?;
        }
    }
    write_freshness_text(out, r.freshness.as_ref())?;
    if let Some(why) = &r.not_applicable {
        writeln!(out, "\nNOT APPLICABLE: {why}.")?;
    }
    writeln!(out, "\n{}", r.caveat)
}

/// Atrial fibrillation's scores: each total with the items that score, what the guideline says,
/// every item with the input it rests on, what is missing, and what the event model leaves out.
fn write_af_text(out: &mut dyn Write, af: &AfReport) -> std::io::Result<()> {
    writeln!(out, "\nAtrial fibrillation ({})", af.diagnosis)?;
    for s in [&af.cha2ds2_va, &af.cha2ds2_vasc, &af.has_bled] {
        write_af_score(out, s)?;
    }
    writeln!(out, "  note: {}", af.event_model_note)
}

fn write_af_score(out: &mut dyn Write, s: &AfScoreView) -> std::io::Result<()> {
    let total = s.total.map_or_else(|| format!("≥ {}", s.at_least), |t| t.to_string());
    writeln!(out, "  {:<14} {total} of {}", s.label, s.max)?;
    for i in &s.items {
        let points = i.points.map_or_else(|| "?".to_string(), |p| p.to_string());
        let when = i.date.as_deref().map(|d| format!(", {d}")).unwrap_or_default();
        let source = i.source.as_deref().map(|r| format!(", {r}")).unwrap_or_default();
        writeln!(out, "    {:<3} {:<50} {points:>2}  ({}: {}{when}{source})", i.letter, i.label, i.input, i.value)?;
    }
    for m in &s.missing {
        writeln!(out, "    missing: {m}")?;
    }
    writeln!(out, "    {}.", s.recommendation)?;
    writeln!(out, "    source: {}", s.source)
}

pub fn write_twin_text(out: &mut dyn Write, t: &TwinView) -> std::io::Result<()> {
    let h = &t.hemodynamics;
    writeln!(out, "Heart twin: {}", t.subject)?;
    writeln!(
        out,
        "  BP {:.0}/{:.0} mmHg (MAP {:.0}), HR {:.0}, EDV {:.0} mL, ESV {:.0} mL, SV {:.0} mL, EF {:.0}%, CO {:.1} L/min",
        h.sbp, h.dbp, h.map, h.heart_rate, h.edv, h.esv, h.stroke_volume, h.ejection_fraction, h.cardiac_output
    )?;
    if let Some(m) = &t.markers {
        let mut on_record: Vec<String> = [&m.lvef, &m.nt_probnp, &m.bnp, &m.qrs_duration]
            .into_iter()
            .flatten()
            .map(|v| format!("{} {:.0} {} ({})", v.label, v.value, v.unit, v.date))
            .collect();
        if m.left_bundle_branch_block {
            on_record.push("left bundle-branch block".into());
        }
        if let Some(r) = &m.rhythm {
            on_record.push(format!("{} ({})", r.label, r.date));
        }
        if !on_record.is_empty() {
            writeln!(out, "  On record: {}", on_record.join("; "))?;
        }
    }
    write_freshness_text(out, t.freshness.as_ref())?;
    writeln!(out, "\nParameters")?;
    for p in &t.params {
        let interval = match (p.low90, p.high90) {
            (Some(lo), Some(hi)) => format!("  (90% {lo:.3}–{hi:.3})"),
            _ => String::new(),
        };
        writeln!(out, "  {:<18} {:>9.3} {}{interval}", p.name, p.value, p.unit)?;
    }
    if !t.fit.is_empty() {
        writeln!(out, "\nFit (model − measured)")?;
        for f in &t.fit {
            writeln!(
                out,
                "  {:<6} measured {:>6.1} ± {:.1} (n={}), residual {:+.2}",
                f.name, f.measured, f.sd, f.n_readings, f.residual
            )?;
        }
        writeln!(out, "  {} iterations, {} model solves", t.n_iterations, t.n_solves)?;
    }
    Ok(())
}

/// Prints `value` as JSON, or as text through `text`.
pub fn print_as<T: serde::Serialize>(
    format: Format,
    value: &T,
    text: fn(&mut dyn Write, &T) -> std::io::Result<()>,
) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut stdout, value).context("writing JSON to stdout")?;
            writeln!(stdout)?;
        }
        Format::Text => text(&mut stdout, value)?,
    }
    Ok(())
}

pub fn band_at(p: &Projection, output: OutputKey, month: usize) -> Option<(f64, f64, f64)> {
    let b = p.outputs.iter().find(|b| b.output == output)?;
    Some((*b.p50.get(month)?, *b.p5.get(month)?, *b.p95.get(month)?))
}

pub fn write_projection_text(out: &mut dyn Write, p: &Projection) -> std::io::Result<()> {
    write_projection_body(out, p)?;
    write_freshness_text(out, p.freshness.as_ref())?;
    write_hindcast_text(out, &p.hindcast)
}

/// How old the readings behind an answer are: the calibration's date, then each stale input with
/// what to re-measure (nothing for an answer not built from a record).
fn write_freshness_text(out: &mut dyn Write, f: Option<&FreshnessView>) -> std::io::Result<()> {
    let Some(f) = f else { return Ok(()) };
    writeln!(out, "\nData freshness (as of {})", f.as_of)?;
    for line in f.lines() {
        writeln!(out, "  {line}")?;
    }
    Ok(())
}

fn write_projection_body(out: &mut dyn Write, p: &Projection) -> std::io::Result<()> {
    writeln!(out, "Scenario: {} ({} members, seed {})", p.scenario, p.members, p.seed)?;
    for i in &p.interventions {
        writeln!(out, "  - {i}")?;
    }
    writeln!(out, "Event model: {}", p.event_model)?;
    writeln!(
        out,
        "BP response factor {:.2} ± {:.2} (learned from {} drug starts)",
        p.bp_response.mean, p.bp_response.sd, p.bp_response.n_updates
    )?;
    let heart_failure = p.outcome.hospitalisation;
    let risk_header = if heart_failure { "death, any cause %" } else { "event risk %" };
    write!(out, "\n{:<12} {:>22} {:>22} {:>22}", "month", "SBP mmHg", "LDL-C mmol/L", risk_header)?;
    writeln!(out, "{}", if heart_failure { format!(" {:>22}", "HF hospitalisation %") } else { String::new() })?;
    let months = p.months as usize;
    let rows: &[usize] = if heart_failure { &[0, 6, 12, 24, 36, 60, 120] } else { &[0, 6, 12, 24, 60, 120] };
    for month in rows.iter().copied().filter(|m| *m <= months) {
        let cell = |o: OutputKey, scale: f64| {
            band_at(p, o, month).filter(|b| b.0.is_finite()).map_or("—".to_string(), |(m, lo, hi)| {
                format!("{:.1} ({:.1}–{:.1})", m * scale, lo * scale, hi * scale)
            })
        };
        write!(
            out,
            "{month:<12} {:>22} {:>22} {:>22}",
            cell(OutputKey::Sbp, 1.0),
            cell(OutputKey::Ldl, 1.0),
            cell(OutputKey::EventRisk, 100.0)
        )?;
        let hospital =
            if heart_failure { format!(" {:>22}", cell(OutputKey::HfHospitalisation, 100.0)) } else { String::new() };
        writeln!(out, "{hospital}")?;
    }
    for n in &p.notes {
        writeln!(out, "Note: {n}")?;
    }
    writeln!(out, "Median (5–95% band). Projections are decision support, not a prognosis.")
}

/// "How well this twin predicted the last year", a line per measurement.
fn write_hindcast_text(out: &mut dyn Write, h: &PersonalHindcast) -> std::io::Result<()> {
    if !h.available {
        return writeln!(out, "Hindcast: none ({})", h.note);
    }
    writeln!(out, "Hindcast: {}", h.note)?;
    for r in &h.rows {
        writeln!(
            out,
            "  {:<22} {} readings, off by {:.2} {} on average (bias {:+.2}), {} inside the 90% interval",
            r.label, r.readings, r.mean_abs_error, r.unit, r.bias, r.inside
        )?;
    }
    for r in &h.hybrid {
        writeln!(
            out,
            "  learned hybrid {:<15} {} readings, engine off by {:.2}, hybrid {:.2}, {} inside its 90% interval",
            r.target, r.points, r.engine_abs_error, r.hybrid_abs_error, r.hybrid_inside
        )?;
    }
    Ok(())
}

pub fn write_comparison_text(out: &mut dyn Write, c: &Comparison) -> std::io::Result<()> {
    if let Some(p) = c.projections.first() {
        write_freshness_text(out, p.freshness.as_ref())?;
        writeln!(out)?;
    }
    for p in &c.projections {
        write_projection_body(out, p)?;
        writeln!(out)?;
    }
    if let Some(p) = c.projections.first() {
        write_hindcast_text(out, &p.hindcast)?;
        writeln!(out)?;
    }
    for d in &c.differences {
        writeln!(out, "'{}' against '{}'", d.scenario, d.against)?;
        for s in &d.explanation {
            writeln!(out, "  {s}")?;
        }
    }
    Ok(())
}

pub fn write_bench_text(out: &mut dyn Write, r: &twin_devtools::bench::BenchReport) -> std::io::Result<()> {
    writeln!(out, "{} threads, {} build", r.threads, if r.optimised { "release" } else { "debug (not comparable)" })?;
    for f in &r.figures {
        writeln!(
            out,
            "{:<52} {:>9.3} ms  target {:>7.1} ms  ratio {:>6.2}",
            f.name, f.median_ms, f.target_ms, f.ratio
        )?;
    }
    Ok(())
}

pub fn write_heatmap_text(out: &mut dyn Write, h: &twin_app::heatmap::HeatmapView) -> std::io::Result<()> {
    writeln!(
        out,
        "Event risk at {} months (median %), {} members per cell; rows {} ({}), columns {} ({})",
        h.months, h.members, h.y.label, h.y.unit, h.x.label, h.x.unit
    )?;
    write!(out, "{:>8}", "")?;
    for v in &h.x.values {
        write!(out, "{v:>6.0}")?;
    }
    writeln!(out)?;
    let n = h.x.values.len();
    for (row, yv) in h.y.values.iter().enumerate() {
        write!(out, "{yv:>8.0}")?;
        for cell in &h.cells[row * n..(row + 1) * n] {
            match cell.p50 {
                Some(v) => write!(out, "{:>6.1}", v * 100.0)?,
                None => write!(out, "{:>6}", "—")?,
            }
        }
        writeln!(out)?;
    }
    writeln!(out, "event model: {}", h.event_model)?;
    writeln!(out, "backend: {}; {:.0} ms", h.backend, h.elapsed_ms)
}

pub fn write_coverage_text(out: &mut dyn Write, r: &twin_devtools::coverage::CoverageReport) -> std::io::Result<()> {
    writeln!(
        out,
        "{} hindcasts (seeds {:?}), {} months held out, {} members; nominal {:.0}%",
        r.hindcasts,
        r.seeds,
        r.horizon_months,
        r.members,
        r.nominal * 100.0
    )?;
    for row in &r.rows {
        writeln!(
            out,
            "{:<20} {:>5} readings  inside {:>5.1}%  below {:>4.1}%  above {:>4.1}%",
            row.measurement,
            row.readings,
            row.coverage * 100.0,
            row.below * 100.0,
            row.above * 100.0
        )?;
    }
    for s in &r.skipped {
        writeln!(out, "skipped: {s}")?;
    }
    writeln!(out, "{}. Synthetic data: calibration to the generator, not clinical accuracy.", r.method)
}

pub fn write_trial_text(out: &mut dyn Write, t: &twin_app::trial::TrialAnswer) -> std::io::Result<()> {
    writeln!(out, "{} — {} participants, {} months, seed {}", t.name, t.participants, t.follow_up_months, t.seed)?;
    if let Some(source) = &t.source {
        writeln!(out, "{source}")?;
    }
    writeln!(
        out,
        "{:<22} {:>6} {:>16} {:>18} {:>12} {:>8} {:>22} {:>8}",
        "arm", "n", "SBP 12 mo", "LDL-C 12 mo mg/dL", "drugs 12 mo", "events", "per 100 py (95% CI)", "cum. %"
    )?;
    for a in &t.arms {
        let r = &a.events_per100_person_years;
        writeln!(
            out,
            "{:<22} {:>6} {:>7.1} ± {:<6.1} {:>9.1} ± {:<6.1} {:>5.2} ± {:<4.2} {:>8} {:>6.2} ({:.2}–{:.2}) {:>8.1}",
            a.name,
            a.participants,
            a.sbp_at12_months.mean,
            a.sbp_at12_months.sd,
            a.ldl_at12_months_mg_dl.mean,
            a.ldl_at12_months_mg_dl.sd,
            a.drugs_at12_months.mean,
            a.drugs_at12_months.sd,
            a.events,
            r.estimate,
            r.low,
            r.high,
            a.cumulative_incidence * 100.0
        )?;
    }
    match &t.hazard_ratio {
        Some(hr) => {
            writeln!(out, "hazard ratio, first arm against second: {:.2} ({:.2}–{:.2})", hr.estimate, hr.low, hr.high)?
        }
        None => writeln!(out, "hazard ratio: not estimable (one arm, or no events in an arm)")?,
    }
    if !t.verdicts.is_empty() {
        writeln!(out, "against the published figures:")?;
        for v in &t.verdicts {
            writeln!(
                out,
                "  {:<24} {:<22} ours {:>8.2}  published {:>8.2}  {}",
                v.figure,
                v.arm.as_deref().unwrap_or("first vs second"),
                v.ours,
                v.published,
                if v.reproduced { "reproduced" } else { "NOT reproduced" }
            )?;
        }
    }
    for m in &t.event_models {
        writeln!(out, "event model: {} ({} participants)", m.name, m.participants)?;
    }
    for n in &t.notes {
        writeln!(out, "note: {n}")?;
    }
    writeln!(out, "{}", t.disclaimer)
}

pub fn write_cache_list_text(out: &mut dyn Write, l: &cache::CacheList) -> std::io::Result<()> {
    for p in &l.patients {
        writeln!(
            out,
            "{:<16} {:<28} fetched {} ({:.1} days ago) from {}",
            p.id, p.name, p.fetched_at, p.age_days, p.source
        )?;
    }
    if l.patients.is_empty() {
        writeln!(out, "the cache is empty")?;
    }
    for q in &l.quarantined {
        writeln!(out, "quarantined: {q}")?;
    }
    Ok(())
}

pub fn write_audit_text(out: &mut dyn Write, entries: &Vec<cache::AuditView>) -> std::io::Result<()> {
    for e in entries {
        let reason = e.reason.as_deref().map(|r| format!(" — {r}")).unwrap_or_default();
        writeln!(out, "{:>5} {} {} {} {}: {}{reason}", e.seq, e.time, e.user, e.patient_id, e.decision, e.suggestion)?;
    }
    Ok(())
}

pub fn write_fetch_text(out: &mut dyn Write, r: &twin_app::ehr::FetchReport) -> std::io::Result<()> {
    write_summary_text(out, &r.summary)?;
    if r.incremental {
        writeln!(out, "\nOnly what changed since the last fetch was asked for: {} resources received", r.n_received)?;
    }
    let heading = if r.incremental { "Resources in the record" } else { "Resources received" };
    writeln!(out, "\n{heading} ({} pages)", r.n_pages)?;
    for (kind, n) in &r.summary.resource_counts {
        writeln!(out, "  {kind:<24} {n}")?;
    }
    for (code, n) in &r.summary.unmapped {
        writeln!(out, "  unmapped: {code} × {n}")?;
    }
    for m in &r.missing {
        writeln!(out, "MISSING {}: {}", m.search, m.reason)?;
    }
    writeln!(out, "{}", if r.cached { "written to the offline cache" } else { "not cached (incomplete)" })
}

pub fn write_suggestion_text(out: &mut dyn Write, s: &twin_app::suggest::SuggestionView) -> std::io::Result<()> {
    writeln!(out, "{}", s.headline)?;
    for a in &s.alerts {
        writeln!(out, "ALERT ({}, today's regimen): {} [{}]", a.severity, a.message, a.source)?;
    }
    write_freshness_text(out, s.freshness.as_ref())?;
    writeln!(out, "Targets: BP {}; LDL-C {}", s.targets.bp_reason, s.targets.ldl_reason)?;
    writeln!(out, "Statin: {} ({})", if s.statin.indicated { "indicated" } else { "not indicated" }, s.statin.reason)?;
    if let Some(fh) = s.fh.as_ref().filter(|f| f.category != "unlikely") {
        writeln!(
            out,
            "Familial hypercholesterolaemia: {} (Dutch Lipid Clinic Network {} points: {}; not scored: {})",
            fh.category,
            fh.dlcn_points,
            fh.because.join("; "),
            fh.not_scored.join("; ")
        )?;
    }
    let candidate = |out: &mut dyn Write, c: &twin_app::suggest::CandidateView| -> std::io::Result<()> {
        if s.event_outcome.hospitalisation {
            // Heart-failure plans are judged on outcomes, not on BP or LDL-C targets.
            writeln!(out, "  {}", c.label)?;
        } else {
            writeln!(
                out,
                "  {} — at target {:.0}% (BP {:.0}%, LDL-C {:.0}%) at {} months",
                c.label,
                c.probability * 100.0,
                c.probability_bp * 100.0,
                c.probability_ldl * 100.0,
                s.settings.months
            )?;
        }
        for step in &c.plan {
            writeln!(out, "    {} ({})", step.when, step.why)?;
            for ch in &step.changes {
                writeln!(out, "      - {}", ch.text)?;
            }
            if let Some(pill) = &step.single_pill {
                writeln!(out, "      ({pill})")?;
            }
            let e = &step.expected;
            if e.potassium_mmol_l != 0.0 || e.sodium_mmol_l != 0.0 || e.egfr_percent != 0.0 || e.heart_rate_bpm != 0.0 {
                writeln!(
                    out,
                    "      expected: K+ {:+.1} mmol/L, Na+ {:+.1} mmol/L, eGFR {:+.0}%, heart rate {:+.0} bpm",
                    e.potassium_mmol_l, e.sodium_mmol_l, e.egfr_percent, e.heart_rate_bpm
                )?;
            }
            for check in &step.checks {
                writeln!(out, "      check: {check}")?;
            }
            for a in &step.alerts {
                let monitoring = a.monitoring.as_deref().map(|m| format!("; monitor: {m}")).unwrap_or_default();
                writeln!(out, "      {}: {}{monitoring} [{}]", a.severity.to_uppercase(), a.message, a.source)?;
            }
        }
        for e in &c.effects {
            writeln!(out, "    {}: {:.1} ({:.1}–{:.1}) {}", e.label, e.median, e.p05, e.p95, e.unit)?;
        }
        // In heart failure the event risk is death from any cause, with a first HF
        // hospitalisation beside it.
        let what = if s.event_outcome.hospitalisation { "death from any cause" } else { "event risk" };
        let risks = [(what, &c.risk), ("first HF hospitalisation", &c.hospitalisation)];
        for (what, r) in risks.into_iter().filter_map(|(w, r)| r.as_ref().map(|r| (w, r))) {
            let relative = r.contrast.relative_percent.map(|p| format!(", {p:+.0}% relative")).unwrap_or_default();
            let needed = match r.contrast.number_needed {
                Some(n) if r.contrast.to_treat => format!("; NNT {n} over {} years", r.years),
                Some(n) => format!("; NNH {n} over {} years", r.years),
                None => String::new(),
            };
            writeln!(
                out,
                "    {}-year {what} {:.1}% → {:.1}%: {:.1} percentage points lower{relative} (90% range {:.1} to {:.1}){needed}",
                r.years, r.current, r.candidate, r.reduction, r.reduction_p05, r.reduction_p95
            )?;
        }
        Ok(())
    };
    writeln!(out, "Today's treatment:")?;
    candidate(out, &s.current)?;
    if let Some(c) = &s.suggestion {
        writeln!(out, "Plan:")?;
        candidate(out, c)?;
        writeln!(out, "Why: {}", s.why)?;
    }
    if let Some(note) = &s.risk_note {
        writeln!(out, "Event risk: {note}")?;
    }
    if !s.alternatives.is_empty() {
        writeln!(out, "Alternatives:")?;
        for c in s.alternatives.iter().take(3) {
            candidate(out, c)?;
        }
    }
    for e in &s.excluded {
        for a in &e.alerts {
            writeln!(out, "Excluded: {} — {} [{}]", e.label, a.message, a.source)?;
        }
    }
    writeln!(out, "{}", s.disclaimer)
}

pub fn write_heatmap_bench_text(out: &mut dyn Write, r: &twin_devtools::bench::HeatmapBench) -> std::io::Result<()> {
    writeln!(out, "{} threads, {} build", r.threads, if r.optimised { "release" } else { "debug (not comparable)" })?;
    let line = |out: &mut dyn Write, t: &twin_devtools::bench::HeatmapTiming| {
        writeln!(
            out,
            "{:>2}x{:<2} x {:>4} members x {:>3} months  {:>9.1} ms  {:>7.1} M member-months/s  {}",
            t.grid,
            t.grid,
            t.members,
            t.months,
            t.median_ms,
            t.member_months_per_s / 1e6,
            t.backend
        )
    };
    line(out, &r.cpu)?;
    writeln!(out, "  CPU target 2 s: ratio {:.2}", r.cpu_target_ratio)?;
    match &r.gpu {
        Some(g) => {
            line(out, g)?;
            writeln!(
                out,
                "  GPU {}: {:.2}x the CPU; target 0.1 s: ratio {:.3}",
                if r.gpu_is_hardware { "(hardware)" } else { "(software adapter, not a GPU figure)" },
                r.gpu_speedup.unwrap_or(0.0),
                r.gpu_target_ratio.unwrap_or(0.0)
            )?;
        }
        None => writeln!(out, "no GPU figure: {}", r.gpu_missing.as_deref().unwrap_or("no adapter"))?,
    }
    writeln!(out, "how time grows:")?;
    for t in &r.scaling {
        line(out, t)?;
    }
    Ok(())
}
