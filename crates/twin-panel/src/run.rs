//! The one-machine run (`cardiotwin panel`): partition if not done for this input, every bucket
//! not yet done on rayon's threads, then finish. A stop request (Ctrl-C) lets the buckets in
//! flight finish and publish their parts, starts no new one, and leaves the rest to a rerun.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::error::PanelError;
use crate::finish::{finish, PanelSummary};
use crate::partition::{partition, PartitionSummary, MAX_BUCKETS};
use crate::parts::{check_scenarios, part_path, run_bucket_with};
use crate::scenario::{PanelOptions, PanelScenario};

/// Input bytes per bucket when the bucket count is not given: a bucket is held in memory while
/// its patients run, so this bounds pass 2's memory per thread.
pub const BYTES_PER_BUCKET: u64 = 32 * 1024 * 1024;
/// Fewest buckets by default, so small cohorts still spread over the cores.
pub const MIN_BUCKETS: u32 = 16;

/// A panel run on this machine.
#[derive(Debug, Clone)]
pub struct LocalRun {
    /// The FHIR Bulk Data folder.
    pub in_dir: PathBuf,
    /// The work folder (buckets, parts).
    pub work: PathBuf,
    /// The result file.
    pub out: PathBuf,
    /// Buckets; `None` for one per [`BYTES_PER_BUCKET`] of input (at least [`MIN_BUCKETS`]).
    pub buckets: Option<u32>,
    /// The scenarios.
    pub scenarios: Vec<PanelScenario>,
    /// Seed, ensemble and day.
    pub opts: PanelOptions,
}

/// How far a run has got.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    /// Patients done in this process (buckets done before it are counted in `resumed`).
    pub done: u64,
    /// Patients in the buckets this process runs.
    pub total: u64,
    /// Patients in buckets done by an earlier run.
    pub resumed: u64,
    /// Time since this process started pass 2.
    pub elapsed: Duration,
}

impl Progress {
    /// Patients per second so far.
    pub fn rate(&self) -> f64 {
        let s = self.elapsed.as_secs_f64();
        if s > 0.0 {
            self.done as f64 / s
        } else {
            0.0
        }
    }

    /// Time left at the rate so far, where there is a rate.
    pub fn left(&self) -> Option<Duration> {
        let rate = self.rate();
        (rate > 0.0).then(|| Duration::from_secs_f64(self.total.saturating_sub(self.done) as f64 / rate))
    }
}

/// The bucket count for an input folder when none is given.
///
/// # Errors
/// The folder cannot be read.
pub fn default_buckets(in_dir: &Path) -> Result<u32, PanelError> {
    let mut bytes = 0u64;
    for entry in std::fs::read_dir(in_dir).map_err(|e| PanelError::io(in_dir, &e))? {
        let path = entry.map_err(|e| PanelError::io(in_dir, &e))?.path();
        if path.extension().is_some_and(|x| x == "ndjson") {
            bytes += std::fs::metadata(&path).map_err(|e| PanelError::io(&path, &e))?.len();
        }
    }
    let n = bytes.div_ceil(BYTES_PER_BUCKET).clamp(u64::from(MIN_BUCKETS), u64::from(MAX_BUCKETS));
    Ok(u32::try_from(n).unwrap_or(MAX_BUCKETS))
}

/// Runs the panel: partition (unless done for this input), the buckets not done, finish.
/// `on_partitioned` hears what pass 1 found; `progress` is called as patients finish (from
/// several threads); `stop` is watched between buckets.
///
/// # Errors
/// As [`partition`], [`crate::run_bucket`] and [`finish`]; [`PanelError::Stopped`] when `stop` was
/// set before every bucket was done (the done ones are kept for a rerun).
pub fn run_local(
    run: &LocalRun,
    stop: &AtomicBool,
    on_partitioned: &dyn Fn(&PartitionSummary),
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<PanelSummary, PanelError> {
    run.opts.check()?;
    check_scenarios(&run.scenarios)?;
    let buckets = match run.buckets {
        Some(b) => b,
        None => default_buckets(&run.in_dir)?,
    };
    std::fs::create_dir_all(&run.work).map_err(|e| PanelError::io(&run.work, &e))?;
    let parted = partition(&run.in_dir, &run.work, buckets)?;
    on_partitioned(&parted);
    let (pending, done): (Vec<u32>, Vec<u32>) = (0..buckets).partition(|&b| !part_path(&run.work, b).exists());
    let count = |set: &[u32]| set.iter().map(|&b| parted.patients_per_bucket[b as usize]).sum::<u64>();
    let (total, resumed) = (count(&pending), count(&done));
    let finished = AtomicU64::new(0);
    let started = Instant::now();
    let on_patient = || {
        let done = finished.fetch_add(1, Ordering::Relaxed) + 1;
        progress(Progress { done, total, resumed, elapsed: started.elapsed() });
    };
    // Largest first, so the last bucket to finish is a small one.
    let mut order = pending.clone();
    order.sort_by_key(|&b| std::cmp::Reverse(parted.patients_per_bucket[b as usize]));
    order.par_iter().with_max_len(1).try_for_each(|&b| {
        if stop.load(Ordering::SeqCst) {
            return Ok(());
        }
        run_bucket_with(&run.work, b, &run.scenarios, &run.opts, &on_patient).map(|_| ())
    })?;
    let left = (0..buckets).filter(|&b| !part_path(&run.work, b).exists()).count();
    if left > 0 {
        return Err(PanelError::Stopped { done: buckets as usize - left, total: buckets as usize });
    }
    if let Some(dir) = run.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| PanelError::io(dir, &e))?;
    }
    finish(&run.work, &run.out)
}
