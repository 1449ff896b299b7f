//! `cardiotwin serve` stops a run when its client goes away: a reload or a closed tab during a
//! large heatmap must not leave the server computing a result nobody will read.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};
use std::time::{Duration, Instant};

use common::Server;

impl Server {
    /// The request's bytes: `POST /api/<command>` with the token and a JSON body.
    fn request(&self, command: &str, body: &serde_json::Value) -> Vec<u8> {
        let body = body.to_string();
        format!(
            "POST /api/{command} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            self.port,
            self.token,
            body.len()
        )
        .into_bytes()
    }

    fn connect(&self) -> TcpStream {
        TcpStream::connect(("127.0.0.1", self.port)).expect("connect to serve")
    }

    /// Calls a command and waits for its answer: (status, JSON body).
    fn call(&self, command: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let mut stream = self.connect();
        stream.write_all(&self.request(command, body)).expect("send");
        let mut answer = String::new();
        stream.read_to_string(&mut answer).expect("read the answer");
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
        let json = answer.split_once("\r\n\r\n").map_or("null", |(_, b)| b);
        (status, serde_json::from_str(json).unwrap_or(serde_json::Value::Null))
    }

    fn progress(&self, job: &str) -> serde_json::Value {
        let (status, body) = self.call("jobProgress", &serde_json::json!({ "job": job }));
        assert_eq!(status, 200, "jobProgress answers: {body}");
        body
    }
}

#[test]
fn a_heatmap_stops_when_its_client_goes_away() {
    let data = tempfile::tempdir().expect("data folder");
    let ui = tempfile::tempdir().expect("ui folder");
    std::fs::write(ui.path().join("index.html"), "<!doctype html><title>CardioTwin</title>").expect("index.html");
    let server = Server::start(data.path(), ui.path());

    // The largest heatmap the app allows: 32 × 32 cells of 5000 members, minutes of CPU.
    let job = "heatmap-abandoned-by-its-tab";
    let heatmap = serde_json::json!({
        "id": "ct-demo-01",
        "x": { "axis": "sbpLowering", "from": 0.0, "to": 30.0 },
        "y": { "axis": "ldlLowering", "from": 0.0, "to": 60.0 },
        "grid": 32,
        "ensemble": { "months": 120, "members": 5000, "seed": 1 },
        "job": job,
    });
    let mut client = server.connect();
    client.write_all(&server.request("heatmap", &heatmap)).expect("send the heatmap");

    // It runs: cells are being done.
    let started = Instant::now();
    let total = loop {
        let p = server.progress(job);
        if p["running"] == true && p["done"].as_u64().unwrap_or(0) > 0 {
            break p["total"].as_u64().expect("total");
        }
        assert!(started.elapsed() < Duration::from_secs(120), "the heatmap never started: {p}");
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(total, 32 * 32);

    // The tab is reloaded: the connection closes without an answer read.
    client.shutdown(Shutdown::Both).expect("close the connection");
    drop(client);
    let gone = Instant::now();
    let last = loop {
        let p = server.progress(job);
        if p["running"] == false {
            break p;
        }
        assert!(gone.elapsed() < Duration::from_secs(10), "the abandoned heatmap still runs: {p}");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(last["done"], 0, "a job that is not running reports nothing: {last}");
    // Not a fixed time budget (speed is measured in benchmarks): just far sooner than finishing.
    eprintln!("the abandoned heatmap ended {:.0} ms after its client went away", gone.elapsed().as_secs_f64() * 1e3);

    // The server still answers, and a run whose client stays gets its answer.
    let (status, _) = server.call("listPatients", &serde_json::json!({}));
    assert_eq!(status, 200);
    let small = serde_json::json!({
        "id": "ct-demo-01",
        "x": { "axis": "sbpLowering", "from": 0.0, "to": 30.0 },
        "y": { "axis": "ldlLowering", "from": 0.0, "to": 60.0 },
        "grid": 2,
        "ensemble": { "months": 12, "members": 100, "seed": 1 },
        "job": "heatmap-kept",
    });
    let (status, answer) = server.call("heatmap", &small);
    assert_eq!(status, 200, "{answer}");
    assert_eq!(answer["cells"].as_array().map(Vec::len), Some(4));
    assert_eq!(server.progress("heatmap-kept")["running"], false, "a finished run leaves no entry");
}
