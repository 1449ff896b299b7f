//! The Apple Health import's speed and memory on a large generated export.
//!
//! ```text
//! cargo run --release -p twin-wearables --bin apple_health_bench -- bench /tmp/home-bp 2048
//! ```
//! generates an export of about that many MiB in the folder (one heart-rate sample a minute, as
//! a watch on all day writes, over as many days as it takes), reads it in a child process of its
//! own so the child's peak resident memory is the reader's alone, prints both, and deletes the
//! file. `parse FILE` reads one export and prints its time and peak RSS (Linux: `VmHWM` of
//! `/proc/self/status`). Figures go into docs/BENCHMARKS.md.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use time::macros::date;
use twin_wearables::{read_export_file, SyntheticExport};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("parse") => parse(Path::new(args.get(2).ok_or("parse FILE")?)),
        Some("bench") => {
            let dir = PathBuf::from(args.get(2).ok_or("bench DIR MIB")?);
            let mib: u64 = args.get(3).ok_or("bench DIR MIB")?.parse()?;
            bench(&dir, mib)
        }
        _ => Err("usage: apple_health_bench bench DIR MIB | parse FILE".into()),
    }
}

fn bench(dir: &Path, mib: u64) -> Result<(), Box<dyn std::error::Error>> {
    std::fs::create_dir_all(dir)?;
    let path = dir.join("export.xml");
    let probe = SyntheticExport { start: date!(2010 - 01 - 01), n_days: 1, heart_rate_every_minutes: 1, n_bp_days: 14 };
    let n_days = (mib * 1024 * 1024 / probe.bytes_per_day()).max(8) as u32;
    let export = SyntheticExport { n_days, ..probe };
    let started = Instant::now();
    let n_bytes = export.write(std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?))?;
    println!(
        "generated {:.0} MiB ({n_days} days) in {:.1} s",
        n_bytes as f64 / 1048576.0,
        started.elapsed().as_secs_f64()
    );
    let out = Command::new(std::env::current_exe()?).arg("parse").arg(&path).output();
    std::fs::remove_file(&path)?;
    let out = out?;
    print!("{}", String::from_utf8_lossy(&out.stdout));
    eprint!("{}", String::from_utf8_lossy(&out.stderr));
    if !out.status.success() {
        return Err("the reader failed".into());
    }
    println!("deleted {}", path.display());
    Ok(())
}

fn parse(path: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let n_bytes = std::fs::metadata(path)?.len();
    let started = Instant::now();
    let import = read_export_file(path)?;
    let secs = started.elapsed().as_secs_f64();
    let peak_rss_kib = std::fs::read_to_string("/proc/self/status").ok().and_then(|s| {
        s.lines().find(|l| l.starts_with("VmHWM:")).and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
    });
    println!(
        "read {:.0} MiB in {secs:.1} s ({:.0} MiB/s): {} records used, {} set aside, {} daily summaries, {} BP readings, stopped: {}",
        n_bytes as f64 / 1048576.0,
        n_bytes as f64 / 1048576.0 / secs,
        import.n_records_used,
        import.n_records_set_aside,
        import.daily.len(),
        import.bp_readings.len(),
        import.stopped.as_ref().map_or_else(|| "no".to_string(), ToString::to_string)
    );
    match peak_rss_kib {
        Some(kib) => println!("peak RSS of the reader: {:.1} MiB", kib as f64 / 1024.0),
        None => println!("peak RSS: not available on this platform"),
    }
    Ok(())
}
