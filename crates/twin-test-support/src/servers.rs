//! Starting the real servers the integration tests talk to: the FHIR server (PyPI `sekmet-fhir`)
//! loaded with bundles, and the SMART rig (`tests/rig/smart-server.mjs`: npm `oidc-provider` and a
//! token-verifying gateway) in front of it.
//!
//! `scripts/test` installs both and names them in `CARDIOTWIN_SEKMET` and `CARDIOTWIN_SMART_RIG`,
//! with `CARDIOTWIN_REQUIRE_SERVERS` set; run by hand without them, a test asks
//! [`server_binary`], which says so, and stops.
//!
//! Standard library only: readiness and loading need no more HTTP than a blocking HTTP/1.1
//! request with `Connection: close` and its status line ([`http_status`]).

use std::fs::File;
use std::io::{self, Read, Write};
use std::net::{TcpListener, TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Set (to anything) where the servers must be there: a missing one fails the test instead of
/// skipping it. `scripts/test` sets it.
pub const REQUIRE_SERVERS: &str = "CARDIOTWIN_REQUIRE_SERVERS";

/// How long the FHIR server may take to answer after it is started (it is a Python server: its
/// first start compiles and imports a good deal).
pub const FHIR_SERVER_START: Duration = Duration::from_secs(120);

/// Whether [`REQUIRE_SERVERS`] is set.
pub fn servers_required() -> bool {
    std::env::var_os(REQUIRE_SERVERS).is_some()
}

/// The path in the environment variable `env_name` (a server's binary or script).
///
/// Unset: `None`, after printing `"{env_name} not set: {not_run}"` (e.g. `not_run` = "FHIR
/// server tests not run (scripts/test runs them)"), so the caller returns and the test passes
/// without having run.
///
/// # Panics
/// When it is unset and [`REQUIRE_SERVERS`] is set.
#[track_caller]
pub fn server_binary(env_name: &str, not_run: &str) -> Option<PathBuf> {
    match std::env::var_os(env_name) {
        Some(p) => Some(PathBuf::from(p)),
        None => {
            assert!(!servers_required(), "{env_name} is not set");
            eprintln!("{env_name} not set: {not_run}");
            None
        }
    }
}

/// A loopback port free at the time of asking.
///
/// # Panics
/// When no port can be bound.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free loopback port").port()
}

/// A new, empty folder under the system's temporary folder; removed, with what is in it, on drop.
pub struct ScratchDir(PathBuf);

impl ScratchDir {
    /// Creates one, its name starting `cardiotwin-{prefix}-`.
    ///
    /// # Panics
    /// When none can be created.
    pub fn new(prefix: &str) -> ScratchDir {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let mut last = None;
        for _ in 0..100 {
            let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.subsec_nanos());
            let n = COUNT.fetch_add(1, Ordering::Relaxed);
            let path = std::env::temp_dir().join(format!("cardiotwin-{prefix}-{}-{n}-{nanos}", std::process::id()));
            match std::fs::create_dir(&path) {
                Ok(()) => return ScratchDir(path),
                Err(e) => last = Some(e),
            }
        }
        panic!("a temporary folder for {prefix}: {last:?}")
    }

    /// Its path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process, killed (and waited for) on drop. Its standard output is discarded; its
/// standard error is kept (in a scratch folder of its own), to say why it did not start.
pub struct Process {
    child: Child,
    what: String,
    // After `child`: the process is gone before its folder is removed.
    stderr: Option<(ScratchDir, PathBuf)>,
}

impl Process {
    /// Starts `command`, named `what` in messages.
    ///
    /// # Panics
    /// When it cannot be started.
    #[track_caller]
    pub fn spawn(command: &mut Command, what: &str) -> Process {
        let scratch = ScratchDir::new("stderr");
        let path = scratch.path().join("stderr.txt");
        let (to_stderr, stderr) = match File::create(&path) {
            Ok(f) => (Stdio::from(f), Some((scratch, path))),
            Err(_) => (Stdio::null(), None),
        };
        let child = match command.stdin(Stdio::null()).stdout(Stdio::null()).stderr(to_stderr).spawn() {
            Ok(child) => child,
            Err(e) => panic!("start {what}: {e}"),
        };
        Process { child, what: what.to_string(), stderr }
    }

    /// Waits until `url` answers over HTTP (any status), up to `timeout`.
    ///
    /// # Panics
    /// When the process exits first, or `url` does not answer in time; either way with the end
    /// of what the process wrote to its standard error.
    #[track_caller]
    pub fn wait_for_http(&mut self, url: &str, timeout: Duration) {
        let started = Instant::now();
        loop {
            if http_status("GET", url, None, &[], Duration::from_secs(5)).is_ok() {
                return;
            }
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("{} exited ({status}) before {url} answered{}", self.what, self.stderr_tail());
            }
            assert!(
                started.elapsed() < timeout,
                "{} did not start within {timeout:?} ({url} did not answer){}",
                self.what,
                self.stderr_tail()
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }

    /// The end of what the process wrote to its standard error, as a message suffix.
    fn stderr_tail(&self) -> String {
        let Some((_, path)) = self.stderr.as_ref() else { return String::new() };
        let Ok(text) = std::fs::read(path) else { return String::new() };
        let text = String::from_utf8_lossy(&text);
        let text = text.trim();
        if text.is_empty() {
            return String::new();
        }
        let start = text.char_indices().rev().nth(1999).map_or(0, |(i, _)| i);
        format!("; its standard error ends:\n{}", &text[start..])
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Waits until `url` answers over HTTP (any status counts), up to `timeout`.
///
/// # Panics
/// When it does not answer in time.
#[track_caller]
pub fn wait_for_http(url: &str, timeout: Duration) {
    let started = Instant::now();
    while http_status("GET", url, None, &[], Duration::from_secs(5)).is_err() {
        assert!(started.elapsed() < timeout, "{url} did not answer within {timeout:?}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// One blocking HTTP/1.1 request to a plain `http://host:port/path` URL, with
/// `Connection: close`; the status code of the reply.
///
/// `timeout` bounds the connection and each read and write.
///
/// # Errors
/// When the URL is not plain `http://`, the server cannot be reached, or does not answer with a
/// status line in time.
pub fn http_status(
    method: &str,
    url: &str,
    content_type: Option<&str>,
    body: &[u8],
    timeout: Duration,
) -> io::Result<u16> {
    let invalid = |why: &str| io::Error::new(io::ErrorKind::InvalidInput, format!("{url}: {why}"));
    let rest = url.strip_prefix("http://").ok_or_else(|| invalid("not a plain http:// URL"))?;
    let (authority, path) = rest.find('/').map_or((rest, "/"), |i| (&rest[..i], &rest[i..]));
    let address = authority.to_socket_addrs()?.next().ok_or_else(|| invalid("the host has no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, timeout)?;
    stream.set_read_timeout(Some(timeout))?;
    stream.set_write_timeout(Some(timeout))?;

    let mut head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: */*\r\n\
         Content-Length: {}\r\n",
        body.len()
    );
    if let Some(content_type) = content_type {
        head.push_str(&format!("Content-Type: {content_type}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;

    // The status line: "HTTP/1.1 200 OK".
    let mut reply = Vec::new();
    let mut chunk = [0u8; 4096];
    while !reply.contains(&b'\n') {
        let n = stream.read(&mut chunk)?;
        if n == 0 {
            return Err(io::Error::new(io::ErrorKind::UnexpectedEof, format!("{url}: closed without a reply")));
        }
        reply.extend_from_slice(&chunk[..n]);
    }
    let line = String::from_utf8_lossy(&reply[..reply.iter().position(|&b| b == b'\n').unwrap_or(0)]).to_string();
    let status = line
        .strip_prefix("HTTP/1.")
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse::<u16>().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, format!("{url}: not an HTTP reply: {line:?}")))?;
    // Read the rest until the server closes (it was asked to), so the connection ends cleanly;
    // what it says is not needed, and a server that lingers is not waited for long.
    let _ = stream.set_read_timeout(Some(timeout.min(Duration::from_secs(5))));
    while matches!(stream.read(&mut chunk), Ok(n) if n > 0) {}
    Ok(status)
}

/// A running FHIR server (sekmet) on loopback, loaded with bundles; killed on drop, its working
/// folder removed.
pub struct FhirServer {
    /// Its FHIR base, `http://127.0.0.1:<port>/fhir`.
    pub base: String,
    _process: Process,
    _dir: ScratchDir,
}

impl FhirServer {
    /// Starts `binary serve --host 127.0.0.1 --port <free port>` in a new temporary folder, waits
    /// (up to [`FHIR_SERVER_START`]) for its `/metadata` to answer, and loads each bundle by
    /// POSTing it to the base as `application/fhir+json`.
    ///
    /// # Panics
    /// When it does not start, or a bundle cannot be read or is not accepted (2xx).
    #[track_caller]
    pub fn start(binary: &Path, bundles: &[PathBuf]) -> FhirServer {
        let dir = ScratchDir::new("sekmet");
        let port = free_port();
        let mut process = Process::spawn(
            Command::new(binary)
                .args(["serve", "--host", "127.0.0.1", "--port", &port.to_string()])
                .current_dir(dir.path()),
            "sekmet",
        );
        let base = format!("http://127.0.0.1:{port}/fhir");
        process.wait_for_http(&format!("{base}/metadata"), FHIR_SERVER_START);
        let server = FhirServer { base, _process: process, _dir: dir };
        for bundle in bundles {
            server.load(bundle);
        }
        server
    }

    /// Loads one bundle (a transaction or batch) by POSTing it to the base.
    ///
    /// # Panics
    /// When it cannot be read, or the server does not accept it (2xx).
    #[track_caller]
    pub fn load(&self, bundle: &Path) {
        let body = match std::fs::read(bundle) {
            Ok(body) => body,
            Err(e) => panic!("read {}: {e}", bundle.display()),
        };
        let status =
            match http_status("POST", &self.base, Some("application/fhir+json"), &body, Duration::from_secs(60)) {
                Ok(status) => status,
                Err(e) => panic!("loading {}: {e}", bundle.display()),
            };
        assert!((200..300).contains(&status), "loading {}: HTTP {status}", bundle.display());
    }
}

/// The SMART rig (`node <script> <upstream> <auth port> <gateway port>`): an OAuth 2 /
/// OpenID Connect authorization server and, in front of a FHIR server, a gateway that verifies
/// its access tokens; killed on drop.
pub struct SmartRig {
    /// The authorization server, `http://127.0.0.1:<auth port>`.
    pub issuer: String,
    /// The gateway's FHIR base, `http://127.0.0.1:<gateway port>/fhir`.
    pub fhir: String,
    _process: Process,
}

impl SmartRig {
    /// Starts the rig in front of `upstream` (a FHIR base) and waits, up to `timeout`, for the
    /// gateway's `/fhir/.well-known/smart-configuration` to answer.
    ///
    /// # Panics
    /// When `node` cannot be started or the rig does not answer in time.
    #[track_caller]
    pub fn start(script: &Path, upstream: &str, timeout: Duration) -> SmartRig {
        let (auth_port, gateway_port) = (free_port(), free_port());
        let mut process = Process::spawn(
            Command::new("node").arg(script).args([upstream, &auth_port.to_string(), &gateway_port.to_string()]),
            "the SMART rig",
        );
        let fhir = format!("http://127.0.0.1:{gateway_port}/fhir");
        process.wait_for_http(&format!("{fhir}/.well-known/smart-configuration"), timeout);
        SmartRig { issuer: format!("http://127.0.0.1:{auth_port}"), fhir, _process: process }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    /// A one-request server that replies `reply` and hands back the request it read.
    fn serve_once(reply: &'static str) -> (String, std::thread::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/fhir", listener.local_addr().unwrap());
        let handle = std::thread::spawn(move || {
            let (stream, _) = listener.accept().unwrap();
            let mut reader = io::BufReader::new(stream.try_clone().unwrap());
            let mut request = String::new();
            let mut length = 0;
            loop {
                let mut line = String::new();
                reader.read_line(&mut line).unwrap();
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap();
                }
                request.push_str(&line);
                if line == "\r\n" {
                    break;
                }
            }
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            request.push_str(&String::from_utf8(body).unwrap());
            (&stream).write_all(reply.as_bytes()).unwrap();
            request
        });
        (url, handle)
    }

    #[test]
    fn a_post_sends_its_body_and_reads_the_status() {
        let (url, server) = serve_once("HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}");
        let status = http_status("POST", &url, Some("application/fhir+json"), b"{\"a\":1}", Duration::from_secs(5));
        assert_eq!(status.unwrap(), 201);
        let request = server.join().unwrap();
        assert!(request.starts_with("POST /fhir HTTP/1.1\r\n"), "{request}");
        assert!(
            request.contains("Connection: close\r\n") && request.contains("Content-Type: application/fhir+json\r\n")
        );
        assert!(request.ends_with("\r\n\r\n{\"a\":1}"), "{request}");
    }

    #[test]
    fn nothing_listening_is_an_error_and_a_missing_server_fails_to_answer_in_time() {
        let url = format!("http://127.0.0.1:{}/fhir/metadata", free_port());
        assert!(http_status("GET", &url, None, &[], Duration::from_secs(1)).is_err());
        assert!(http_status("GET", "https://example.org/", None, &[], Duration::from_secs(1)).is_err());
        let waited = std::panic::catch_unwind(|| wait_for_http(&url, Duration::from_millis(300)));
        assert!(waited.is_err());
    }

    #[test]
    fn a_process_that_exits_is_reported_with_its_standard_error() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo 'no such module' >&2; exit 3"]);
        let mut process = Process::spawn(&mut command, "the broken server");
        let url = format!("http://127.0.0.1:{}/", free_port());
        let message = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            process.wait_for_http(&url, Duration::from_secs(30));
        }))
        .unwrap_err();
        let message = message.downcast_ref::<String>().unwrap();
        assert!(message.contains("the broken server exited") && message.contains("no such module"), "{message}");
    }
}
