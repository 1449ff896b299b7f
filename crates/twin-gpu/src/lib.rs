//! The engine's ensembles on a GPU: the member step as a WGSL compute kernel run through
//! `wgpu` (Vulkan, Metal or DX12, whichever the workstation has), implementing the
//! engine's [`EnsembleBackend`] over the same [`FlatPlan`]s and seeded [`Draws`] as the CPU
//! path.
//!
//! **Precision.** The kernel computes in f32 (portable GPUs have no f64); the CPU reference is
//! f64. Inputs lose 2^-24 relative on upload; the 120–600-step sums (walks, cumulative hazard)
//! and `exp`/`log` (within 3 ULP + 2 ULP per unit of argument in Vulkan's rules) add a few
//! ULP per step. The tests hold every band and cell to 1e-4 relative (plus 1e-6 absolute for
//! risks near 0): 0.02 mmHg on an SBP of 150, 0.001 points on a 10% risk, far below what a
//! screen shows.
//!
//! **Failure.** Out-of-memory, validation and device-lost errors come back as
//! [`BackendError`]s, never panics, so the caller can run the same work on the CPU.

mod pack;

use std::sync::{Arc, Mutex};

use twin_engine::progression::backend::{BackendError, Draws, EnsembleBackend, RunError};
use twin_engine::progression::{Baseline, Cancelled, FlatPlan, RunControl};
use wgpu::util::DeviceExt;

pub use pack::kernel_source;

/// Threads per workgroup (the kernel's `@workgroup_size`).
const WORKGROUP: u32 = 64;

/// Which adapters may be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdapterChoice {
    /// A hardware GPU only (discrete, integrated or virtual): what `auto` wants, since a
    /// software rasteriser runs on the same processor the CPU path already uses well.
    Hardware,
    /// Any adapter, software renderers (lavapipe, llvmpipe) included: what `gpu` and the tests
    /// use.
    Any,
}

/// No usable adapter, in words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Unavailable(pub String);

/// An adapter the system offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AdapterSummary {
    /// The adapter's name ("NVIDIA H200", "llvmpipe (LLVM 15.0.6, 256 bits)").
    pub name: String,
    /// The graphics API wgpu reaches it through.
    pub api: String,
    /// Discrete, integrated, virtual, CPU (software) or other.
    pub kind: String,
    /// Whether it is real hardware.
    pub hardware: bool,
}

fn summary(info: &wgpu::AdapterInfo) -> AdapterSummary {
    use wgpu::DeviceType as D;
    let (kind, hardware) = match info.device_type {
        D::DiscreteGpu => ("discrete GPU", true),
        D::IntegratedGpu => ("integrated GPU", true),
        D::VirtualGpu => ("virtual GPU", true),
        D::Cpu => ("software, running on the CPU", false),
        D::Other => ("other", false),
    };
    AdapterSummary { name: info.name.clone(), api: format!("{:?}", info.backend), kind: kind.into(), hardware }
}

/// Vulkan, Metal and DX12 (GL is not built: its compute is the weakest, and probing it needs a
/// display): `WGPU_BACKEND` and `WGPU_ADAPTER_NAME` let a clinic's IT choose among them without
/// a rebuild.
fn backends() -> wgpu::Backends {
    wgpu::Backends::PRIMARY.with_env()
}

fn instance() -> wgpu::Instance {
    let mut descriptor = wgpu::InstanceDescriptor::new_without_display_handle_from_env();
    descriptor.backends = backends();
    wgpu::Instance::new(descriptor)
}

/// Every adapter the system offers, best first (hardware before software, discrete first).
pub fn adapters() -> Vec<AdapterSummary> {
    ranked(&instance()).iter().map(|a| summary(&a.get_info())).collect()
}

fn ranked(instance: &wgpu::Instance) -> Vec<wgpu::Adapter> {
    let mut all = pollster::block_on(instance.enumerate_adapters(backends()));
    let rank = |a: &wgpu::Adapter| {
        let info = a.get_info();
        let kind = match info.device_type {
            wgpu::DeviceType::DiscreteGpu => 0,
            wgpu::DeviceType::IntegratedGpu => 1,
            wgpu::DeviceType::VirtualGpu => 2,
            wgpu::DeviceType::Other => 3,
            wgpu::DeviceType::Cpu => 4,
        };
        // Vulkan/Metal/DX12 before GL: compute through GL is the last resort.
        (kind, u8::from(info.backend == wgpu::Backend::Gl))
    };
    all.sort_by_key(rank);
    all
}

/// A device, its queue and the two compiled kernels.
pub struct GpuBackend {
    device: wgpu::Device,
    queue: wgpu::Queue,
    layout: wgpu::BindGroupLayout,
    risk: wgpu::ComputePipeline,
    trajectories: wgpu::ComputePipeline,
    adapter: AdapterSummary,
    limits: wgpu::Limits,
    /// Set by the device-lost callback.
    lost: Arc<Mutex<Option<String>>>,
    /// One dispatch at a time: runs share the device's memory.
    busy: Mutex<()>,
}

impl std::fmt::Debug for GpuBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GpuBackend").field("adapter", &self.adapter).finish_non_exhaustive()
    }
}

impl GpuBackend {
    /// Opens the best adapter `choice` allows and compiles the kernels.
    ///
    /// # Errors
    /// [`Unavailable`] when no adapter qualifies or the device cannot be opened, saying why.
    pub fn new(choice: AdapterChoice) -> Result<Self, Unavailable> {
        let instance = instance();
        let all = ranked(&instance);
        let adapter = all
            .into_iter()
            .find(|a| choice == AdapterChoice::Any || summary(&a.get_info()).hardware)
            .ok_or_else(|| {
                let found = adapters();
                Unavailable(if found.is_empty() {
                    "no GPU adapter was found (no Vulkan, Metal, DX12 or GL driver)".into()
                } else {
                    format!(
                        "no hardware GPU was found; only {}",
                        found.iter().map(|a| format!("{} ({})", a.name, a.kind)).collect::<Vec<_>>().join(", ")
                    )
                })
            })?;
        let info = summary(&adapter.get_info());
        let limits = adapter.limits();
        let (device, queue) = pollster::block_on(adapter.request_device(&wgpu::DeviceDescriptor {
            label: Some("cardiotwin"),
            required_limits: limits.clone(),
            ..Default::default()
        }))
        .map_err(|e| Unavailable(format!("{} could not be opened: {e}", info.name)))?;
        let lost = Arc::new(Mutex::new(None));
        let lost_flag = Arc::clone(&lost);
        device.set_device_lost_callback(move |reason, message| {
            if let Ok(mut l) = lost_flag.lock() {
                *l = Some(format!("{reason:?}: {message}"));
            }
        });
        let scope = device.push_error_scope(wgpu::ErrorFilter::Validation);
        let module = device.create_shader_module(wgpu::ShaderModuleDescriptor {
            label: Some("member step"),
            source: wgpu::ShaderSource::Wgsl(kernel_source().into()),
        });
        let entry = |binding: u32, ty: wgpu::BufferBindingType| wgpu::BindGroupLayoutEntry {
            binding,
            visibility: wgpu::ShaderStages::COMPUTE,
            ty: wgpu::BindingType::Buffer { ty, has_dynamic_offset: false, min_binding_size: None },
            count: None,
        };
        let storage = |read_only| wgpu::BufferBindingType::Storage { read_only };
        let layout = device.create_bind_group_layout(&wgpu::BindGroupLayoutDescriptor {
            label: Some("member step"),
            entries: &[
                entry(0, wgpu::BufferBindingType::Uniform),
                entry(1, storage(true)),
                entry(2, storage(true)),
                entry(3, storage(true)),
                entry(4, storage(false)),
            ],
        });
        let pipeline_layout = device.create_pipeline_layout(&wgpu::PipelineLayoutDescriptor {
            label: Some("member step"),
            bind_group_layouts: &[Some(&layout)],
            immediate_size: 0,
        });
        let pipeline = |entry_point: &str| {
            device.create_compute_pipeline(&wgpu::ComputePipelineDescriptor {
                label: Some(entry_point),
                layout: Some(&pipeline_layout),
                module: &module,
                entry_point: Some(entry_point),
                compilation_options: wgpu::PipelineCompilationOptions::default(),
                cache: None,
            })
        };
        let (risk, trajectories) = (pipeline("event_risk"), pipeline("trajectories"));
        if let Some(e) = pollster::block_on(scope.pop()) {
            return Err(Unavailable(format!("the kernel did not compile on {}: {e}", info.name)));
        }
        Ok(Self { device, queue, layout, risk, trajectories, adapter: info, limits, lost, busy: Mutex::new(()) })
    }

    /// The adapter in use.
    pub fn adapter(&self) -> &AdapterSummary {
        &self.adapter
    }

    /// Largest storage buffer one binding may hold, bytes.
    fn max_binding(&self) -> u64 {
        self.limits.max_storage_buffer_binding_size.min(self.limits.max_buffer_size)
    }

    fn check_lost(&self) -> Result<(), BackendError> {
        match self.lost.lock().ok().and_then(|l| l.clone()) {
            Some(why) => Err(BackendError::DeviceLost(why)),
            None => Ok(()),
        }
    }

    /// Runs `pipeline` over `groups` workgroups with the given inputs; returns `out_len` f32s.
    fn dispatch(
        &self,
        pipeline: &wgpu::ComputePipeline,
        dims: pack::Dims,
        inputs: [&[f32]; 3],
        out_len: usize,
        groups: (u32, u32),
    ) -> Result<Vec<f32>, BackendError> {
        let _one_at_a_time = self.busy.lock().map_err(|_| BackendError::Failed("a previous run panicked".into()))?;
        self.check_lost()?;
        let out_bytes = (out_len * 4) as u64;
        for (name, len) in [("plans", inputs[1].len() * 4), ("draws", inputs[2].len() * 4), ("outputs", out_len * 4)] {
            if len as u64 > self.max_binding() {
                return Err(BackendError::OutOfMemory(format!(
                    "the {name} need {} MB, more than the {} MB one buffer may hold on {}",
                    len >> 20,
                    self.max_binding() >> 20,
                    self.adapter.name
                )));
            }
        }
        let oom = self.device.push_error_scope(wgpu::ErrorFilter::OutOfMemory);
        let invalid = self.device.push_error_scope(wgpu::ErrorFilter::Validation);
        let storage = |label: &str, data: &[f32]| {
            // An empty binding is invalid: give it one number.
            let data: &[f32] = if data.is_empty() { &[0.0] } else { data };
            self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
                label: Some(label),
                contents: bytemuck::cast_slice(data),
                usage: wgpu::BufferUsages::STORAGE,
            })
        };
        let dims_buffer = self.device.create_buffer_init(&wgpu::util::BufferInitDescriptor {
            label: Some("dims"),
            contents: bytemuck::bytes_of(&dims),
            usage: wgpu::BufferUsages::UNIFORM,
        });
        let (params, plans, draws) =
            (storage("params", inputs[0]), storage("plans", inputs[1]), storage("draws", inputs[2]));
        let out = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("outputs"),
            size: out_bytes.max(4),
            usage: wgpu::BufferUsages::STORAGE | wgpu::BufferUsages::COPY_SRC,
            mapped_at_creation: false,
        });
        let readback = self.device.create_buffer(&wgpu::BufferDescriptor {
            label: Some("readback"),
            size: out_bytes.max(4),
            usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
            mapped_at_creation: false,
        });
        let bind = self.device.create_bind_group(&wgpu::BindGroupDescriptor {
            label: Some("member step"),
            layout: &self.layout,
            entries: &[
                wgpu::BindGroupEntry { binding: 0, resource: dims_buffer.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 1, resource: params.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 2, resource: plans.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 3, resource: draws.as_entire_binding() },
                wgpu::BindGroupEntry { binding: 4, resource: out.as_entire_binding() },
            ],
        });
        let mut encoder = self.device.create_command_encoder(&wgpu::CommandEncoderDescriptor { label: None });
        {
            let mut pass =
                encoder.begin_compute_pass(&wgpu::ComputePassDescriptor { label: None, timestamp_writes: None });
            pass.set_pipeline(pipeline);
            pass.set_bind_group(0, &bind, &[]);
            pass.dispatch_workgroups(groups.0, groups.1, 1);
        }
        encoder.copy_buffer_to_buffer(&out, 0, &readback, 0, out_bytes.max(4));
        let submission = self.queue.submit([encoder.finish()]);
        let (sender, receiver) = std::sync::mpsc::channel();
        readback.slice(..).map_async(wgpu::MapMode::Read, move |r| {
            let _ = sender.send(r);
        });
        let polled = self
            .device
            .poll(wgpu::PollType::Wait { submission_index: Some(submission), timeout: None })
            .map_err(|e| BackendError::Failed(e.to_string()));
        if let Some(e) = pollster::block_on(invalid.pop()) {
            return Err(BackendError::Failed(e.to_string()));
        }
        if let Some(e) = pollster::block_on(oom.pop()) {
            return Err(BackendError::OutOfMemory(e.to_string()));
        }
        self.check_lost()?;
        polled?;
        match receiver.recv() {
            Ok(Ok(())) => {}
            Ok(Err(e)) => return Err(BackendError::Failed(e.to_string())),
            Err(_) => return Err(BackendError::Failed("the results were never mapped".into())),
        }
        let values = {
            let view = readback.get_mapped_range(..).map_err(|e| BackendError::Failed(e.to_string()))?;
            bytemuck::cast_slice::<u8, f32>(&view)[..out_len].to_vec()
        };
        readback.unmap();
        Ok(values)
    }

    /// Workgroups along x for `members`.
    fn member_groups(&self, members: usize) -> Result<u32, BackendError> {
        let groups = members.div_ceil(WORKGROUP as usize);
        u32::try_from(groups)
            .ok()
            .filter(|g| *g <= self.limits.max_compute_workgroups_per_dimension)
            .ok_or_else(|| BackendError::OutOfMemory(format!("{members} members are more than one dispatch holds")))
    }

    /// Plans per dispatch: as many as the limits allow for these members and months.
    fn plans_per_dispatch(&self, members: usize, months: u32, stride: usize) -> usize {
        let per_plan_out = (members * 4) as u64;
        let per_plan_in = ((months as usize + 1) * stride * 4) as u64;
        let by_bytes = (self.max_binding() / per_plan_out.max(per_plan_in).max(1)) as usize;
        by_bytes.min(self.limits.max_compute_workgroups_per_dimension as usize).max(1)
    }
}

impl EnsembleBackend for GpuBackend {
    fn describe(&self) -> String {
        format!("GPU: {} ({}, {})", self.adapter.name, self.adapter.api, self.adapter.kind)
    }

    /// A quarter of a 32 × 32 heatmap per call: each call still fills the device, and progress
    /// and cancel move four times.
    fn cells_per_call(&self, _members: usize, _months: u32) -> usize {
        256
    }

    fn event_risks(&self, baseline: &Baseline, plans: &[FlatPlan], draws: &Draws) -> Result<Vec<f64>, BackendError> {
        if plans.iter().any(|p| p.strategy().is_some()) {
            return Err(strategies_on_the_cpu());
        }
        if baseline.heart_failure.is_some() {
            return Err(heart_failure_on_the_cpu());
        }
        let months = draws.months();
        let params = pack::params(baseline);
        let draws32 = pack::draws(draws);
        let members = draws.len();
        let groups = self.member_groups(members)?;
        let ldl_terms = plans.iter().map(FlatPlan::ldl_terms).max().unwrap_or(0);
        let stride = pack::stride(ldl_terms);
        let mut risks = Vec::with_capacity(plans.len() * members);
        for chunk in plans.chunks(self.plans_per_dispatch(members, months, stride)) {
            let packed = pack::plans(chunk, ldl_terms);
            let dims = pack::Dims::new(members, chunk.len(), months, ldl_terms, draws.per_member());
            let out = self.dispatch(
                &self.risk,
                dims,
                [&params, &packed, &draws32],
                chunk.len() * members,
                (groups, chunk.len() as u32),
            )?;
            let nan = baseline.annual_hazard.is_empty();
            risks.extend(out.into_iter().map(|r| if nan { f64::NAN } else { f64::from(r) }));
        }
        Ok(risks)
    }

    fn trajectories(
        &self,
        baseline: &Baseline,
        plan: &FlatPlan,
        draws: &Draws,
        control: &RunControl,
    ) -> Result<Vec<f64>, RunError> {
        if control.is_cancelled() {
            return Err(Cancelled.into());
        }
        if plan.strategy().is_some() {
            return Err(strategies_on_the_cpu().into());
        }
        if baseline.heart_failure.is_some() {
            return Err(heart_failure_on_the_cpu().into());
        }
        let months = plan.months();
        let members = draws.len();
        let n_outputs = twin_engine::progression::N_OUTPUTS;
        let packed = pack::plans(std::slice::from_ref(plan), plan.ldl_terms());
        let dims = pack::Dims::new(members, 1, months, plan.ldl_terms(), draws.per_member());
        let out_len = members * (months as usize + 1) * n_outputs;
        let groups = self.member_groups(members)?;
        let out = self.dispatch(
            &self.trajectories,
            dims,
            [&pack::params(baseline), &packed, &pack::draws(draws)],
            out_len,
            (groups, 1),
        )?;
        control.add_done(members);
        Ok(pack::restore_missing(baseline, out, n_outputs))
    }
}

/// A treat-to-target strategy: each member's drugs depend on its own readings at reviews, which
/// the kernel's shared plan rows cannot hold, so the caller runs it on the CPU (and says so).
fn heart_failure_on_the_cpu() -> BackendError {
    BackendError::Failed("heart-failure outcomes run on the CPU".to_string())
}

fn strategies_on_the_cpu() -> BackendError {
    BackendError::Failed("treat-to-target strategies run on the CPU".to_string())
}
