//! Long runs: the one place a job entry is made (an ensemble counting members, an EHR fetch
//! counting searches), its progress, and cancel.

use super::*;

/// A long run: how far it has got, and its control. Ensembles count members in `control`; an EHR
/// fetch counts searches in `steps`.
pub(super) struct Job {
    pub(super) total: usize,
    pub(super) control: Arc<RunControl>,
    pub(super) steps: Option<Arc<Mutex<(usize, usize)>>>,
    /// A heatmap's finished cells (medians), row-major, as they come.
    pub(super) cells: Arc<Mutex<Vec<Option<f64>>>>,
}

/// What a job counts.
pub(super) enum Work {
    /// Ensemble members (or heatmap cells), counted by the run's control.
    Members(usize),
    /// An EHR fetch's searches: (done, total).
    Steps(Arc<Mutex<(usize, usize)>>),
}

impl Job {
    pub(super) fn new(total: usize) -> Self {
        Self { total, control: Arc::default(), steps: None, cells: Arc::default() }
    }
}

/// An ensemble run set up from its [`RunTarget`]: the ensemble's configuration, today's twin, the
/// executor and the job's control. Its job entry ends when it is dropped, on every path out of
/// the use case (an error included).
pub(super) struct StartedRun<'s> {
    session: &'s Session,
    job: Option<String>,
    pub(super) config: EnsembleConfig,
    pub(super) twin: Arc<Twin>,
    pub(super) compute: Compute,
    pub(super) control: Arc<RunControl>,
}

impl Drop for StartedRun<'_> {
    fn drop(&mut self) {
        self.session.end_job(self.job.as_deref());
    }
}

impl Session {
    /// Sets up an ensemble run: the configuration (checked, and `work` says how many members or
    /// cells the job counts, or why the configuration is refused), today's twin for the horizon,
    /// the executor, and the job entry.
    ///
    /// # Errors
    /// An invalid ensemble or context; what `work` refuses; a record the twin cannot be built
    /// from; no executor.
    pub(super) fn start_run(
        &self,
        target: RunTarget<'_>,
        work: impl FnOnce(&EnsembleConfig) -> Result<usize, AppError>,
    ) -> Result<StartedRun<'_>, AppError> {
        let config = target.ensemble.config()?;
        let total = work(&config)?;
        let twin = self.twin(target.id, self.overrides(target.context)?, config.months.div_ceil(12))?;
        let compute = self.compute()?;
        let control = self.start_job(target.job, total);
        Ok(StartedRun { session: self, job: target.job.map(str::to_string), config, twin, compute, control })
    }

    /// Registers a run of `total` members under `job` (a run without a job id cannot be watched);
    /// a cancel that arrived before the run started is kept.
    pub(super) fn start_job(&self, job: Option<&str>, total: usize) -> Arc<RunControl> {
        self.register_job(job, Work::Members(total))
    }

    /// The one place a job entry is made: an ensemble counting members, or an EHR fetch counting
    /// searches. A cancel that arrived first is kept (the entry exists already).
    pub(super) fn register_job(&self, job: Option<&str>, work: Work) -> Arc<RunControl> {
        let Some(job) = job else { return Arc::new(RunControl::default()) };
        let mut jobs = lock(&self.jobs);
        let entry = jobs.entry(job.to_string()).or_insert_with(|| Job::new(0));
        match work {
            Work::Members(total) => entry.total = total,
            Work::Steps(steps) => entry.steps = Some(steps),
        }
        Arc::clone(&entry.control)
    }

    pub(super) fn end_job(&self, job: Option<&str>) {
        if let Some(job) = job {
            lock(&self.jobs).remove(job);
        }
    }

    /// Removes a job's entry that no run will end: a cancel (made by a face whose caller went
    /// away) for a run that then failed before it started.
    pub fn forget_job(&self, job: &str) {
        self.end_job(Some(job));
    }

    /// How far a long run has got.
    ///
    /// # Errors
    /// None today; a job that is not running answers `running: false`.
    pub fn cmd_job_progress(&self, a: JobArgs) -> Result<JobProgress, AppError> {
        let jobs = lock(&self.jobs);
        Ok(match jobs.get(&a.job) {
            Some(Job { steps: Some(steps), .. }) => {
                let (done, total) = *lock(steps);
                JobProgress { running: true, done, total, cells: Vec::new() }
            }
            Some(j) => {
                JobProgress { running: true, done: j.control.done(), total: j.total, cells: lock(&j.cells).clone() }
            }
            None => JobProgress { running: false, done: 0, total: 0, cells: Vec::new() },
        })
    }

    /// Stops a long run after the members in flight; its caller gets a "cancelled" error.
    ///
    /// # Errors
    /// None today.
    pub fn cmd_cancel_job(&self, a: JobArgs) -> Result<JobProgress, AppError> {
        let mut jobs = lock(&self.jobs);
        let job = jobs.entry(a.job).or_insert_with(|| Job::new(0));
        job.control.cancel();
        Ok(JobProgress { running: true, done: job.control.done(), total: job.total, cells: Vec::new() })
    }
}
