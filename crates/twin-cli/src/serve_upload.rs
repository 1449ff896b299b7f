//! `POST /api/upload/importHome`: a home-monitor CSV or an Apple Health `export.xml` uploaded
//! from the browser for the patient on screen. The body is the raw file (the browser streams it
//! from disk; an export may be gigabytes), parsed as it arrives on a blocking worker: nothing of
//! it is written to disk but the sealed record it joins. The arguments are the query
//! (`patient`, `fileName`, `kind`, `device`), percent-encoded; the token is checked as on every
//! other route (by `serve`, which owns the session and the token).

use std::io::Read;
use std::pin::Pin;

use axum::body::{Body, Bytes, HttpBody};
use axum::http::Uri;
use tokio::sync::mpsc;

use twin_app::home_import::{HomeImportReport, ImportHomeArgs};
use twin_app::{AppError, ErrorCode};

/// The route's path.
pub const PATH: &str = "/api/upload/importHome";

/// Chunks in flight between the connection and the parser: enough to keep both busy, few
/// enough that a slow parser holds back the upload rather than memory.
const CHUNKS_IN_FLIGHT: usize = 16;

/// What the connection hands the parser.
enum Chunk {
    Data(Bytes),
    /// The upload failed part-way (the reason, without content).
    Failed(String),
    /// The whole body arrived.
    End,
}

/// The body as a blocking `Read` for the parser. A channel that closes without [`Chunk::End`]
/// means the client went away: that is an error, never the end of the file (a cut-off upload
/// must not be filed as a short export).
struct ChannelReader {
    chunks: mpsc::Receiver<Chunk>,
    current: Bytes,
    ended: bool,
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            if self.ended {
                return Ok(0);
            }
            match self.chunks.blocking_recv() {
                Some(Chunk::Data(bytes)) => self.current = bytes,
                Some(Chunk::End) => self.ended = true,
                Some(Chunk::Failed(why)) => {
                    return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, why))
                }
                None => {
                    return Err(std::io::Error::new(std::io::ErrorKind::ConnectionAborted, "the upload was cut off"))
                }
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// The query as the use case's arguments (unknown names refused, as in JSON commands).
fn args_of(uri: &Uri) -> Result<ImportHomeArgs, AppError> {
    let pairs: serde_json::Map<String, serde_json::Value> =
        url::form_urlencoded::parse(uri.query().unwrap_or("").as_bytes())
            .map(|(k, v)| (k.into_owned(), serde_json::Value::String(v.into_owned())))
            .collect();
    serde_json::from_value(serde_json::Value::Object(pairs)).map_err(|e| {
        AppError::new(ErrorCode::Validation, format!("importHome: the upload's arguments are not valid: {e}"))
    })
}

/// Parses `uri`'s arguments, then runs `import` on a blocking worker with the body as a `Read`
/// while the body streams in; its answer is the import's.
///
/// # Errors
/// [`ErrorCode::Validation`] for arguments that do not parse; `import`'s error; [`ErrorCode::Io`]
/// when the worker fails.
pub async fn stream_home<F>(uri: &Uri, body: Body, import: F) -> Result<HomeImportReport, AppError>
where
    F: FnOnce(Box<dyn Read + Send>, ImportHomeArgs) -> Result<HomeImportReport, AppError> + Send + 'static,
{
    let args = args_of(uri)?;
    let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let parse = tokio::task::spawn_blocking(move || {
        import(Box::new(ChannelReader { chunks: rx, current: Bytes::new(), ended: false }), args)
    });
    feed(body, &tx).await;
    drop(tx);
    parse
        .await
        .unwrap_or_else(|_| Err(AppError::new(ErrorCode::Io, "internal error while importing; please report it")))
}

/// Streams the body to the parser. When the parser stops early (a file it refuses), the rest is
/// read and dropped, so the browser receives the answer rather than a reset connection.
async fn feed(mut body: Body, tx: &mpsc::Sender<Chunk>) {
    let mut parser_listening = true;
    loop {
        let chunk = match std::future::poll_fn(|cx| Pin::new(&mut body).poll_frame(cx)).await {
            Some(Ok(frame)) => match frame.into_data() {
                Ok(data) => Chunk::Data(data),
                Err(_) => continue,
            },
            Some(Err(e)) => Chunk::Failed(format!("the upload failed: {e}")),
            None => Chunk::End,
        };
        let last = !matches!(chunk, Chunk::Data(_));
        if parser_listening && tx.send(chunk).await.is_err() {
            parser_listening = false;
        }
        if last {
            return;
        }
    }
}
