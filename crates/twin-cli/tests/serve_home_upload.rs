//! `POST /api/upload/importHome` on a real `cardiotwin serve` with the real keychain: a home
//! monitor's CSV, a generated Apple Health export, a cut-short export, wrong files, an upload cut
//! off mid-way (nothing filed) and one without the token; and the stale-inputs notice before and
//! after a current home week (blood pressure stops being stale, and says what the twin uses).
//!
//! Needs a D-Bus session with a keyring (what `scripts/test` sets up); without one the test says
//! so and passes.

mod common;

use std::io::{Read, Write};
use std::net::{Shutdown, TcpStream};

use common::{cardiotwin, keychain, text, week_csv, Server};
use serde_json::{json, Value};
use time::macros::date;

const PATIENT: &str = "ct-demo-01";

impl Server {
    /// Sends `head` then the body in 64 kB pieces (as a browser streams a file); `send` bytes of
    /// `body` only, then closes the sending side when the upload is to be cut off.
    fn exchange(&self, head: &str, body: &[u8], send: usize) -> (u16, Value) {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).expect("connect");
        stream.write_all(head.as_bytes()).expect("head");
        for piece in body[..send].chunks(64 * 1024) {
            if stream.write_all(piece).is_err() {
                break; // the server answered early (a refused file) and stopped reading
            }
        }
        if send < body.len() {
            let _ = stream.shutdown(Shutdown::Write);
        }
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        let answer = String::from_utf8_lossy(&answer);
        let status = answer.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
        let json = answer.split_once("\r\n\r\n").map_or("null", |(_, b)| b);
        (status, serde_json::from_str(json).unwrap_or(Value::Null))
    }

    fn upload_with(&self, query: &str, body: &[u8], send: usize, token: &str) -> (u16, Value) {
        let head = format!(
            "POST /api/upload/importHome?{query} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {token}\r\n\
             Content-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            body.len()
        );
        self.exchange(&head, body, send)
    }

    fn upload(&self, query: &str, body: &[u8]) -> (u16, Value) {
        self.upload_with(query, body, body.len(), &self.token)
    }

    fn call(&self, command: &str, args: &Value) -> (u16, Value) {
        let body = args.to_string();
        let head = format!(
            "POST /api/{command} HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nAuthorization: Bearer {}\r\n\
             Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.port,
            self.token,
            body.len()
        );
        self.exchange(&head, body.as_bytes(), body.len())
    }

    /// The keys of the inputs the overview calls stale, and the blood-pressure line.
    fn stale(&self) -> (Vec<String>, String) {
        let (status, summary) = self.call("patientSummary", &json!({ "id": PATIENT }));
        assert_eq!(status, 200, "{summary}");
        let f = &summary["freshness"];
        let keys = f["staleInputs"].as_array().expect("staleInputs").iter().map(|i| i["measure"].to_string()).collect();
        let bp = f["inputs"].as_array().expect("inputs").iter().find(|i| i["measure"] == "blood_pressure");
        (keys, bp.map(|i| i["sentence"].as_str().unwrap_or_default().to_string()).unwrap_or_default())
    }
}

/// Demo 01 held in a fresh data folder, served; `None` without a keychain.
fn setup() -> Option<(tempfile::TempDir, tempfile::TempDir, Server)> {
    if !keychain("home upload") {
        return None;
    }
    let data = tempfile::tempdir().expect("data folder");
    let bundle = twin_test_support::demo_file("01-uncontrolled-hypertension.json");
    let out = cardiotwin(data.path(), &["cache", "import", "--bundle", bundle.to_str().expect("path")]);
    assert!(out.status.success(), "{}", text(&out));
    let ui = tempfile::tempdir().expect("ui folder");
    std::fs::write(ui.path().join("index.html"), "<!doctype html><title>CardioTwin</title>").expect("index.html");
    let server = Server::start(data.path(), ui.path());
    Some((data, ui, server))
}

const CSV_QUERY: &str = "patient=ct-demo-01&fileName=omron%20week.csv&kind=homeBpCsv&device=Omron%20M3";

#[test]
fn a_csv_upload_files_home_readings_and_blood_pressure_is_no_longer_stale() {
    let Some((_data, _ui, server)) = setup() else { return };
    let (stale_before, bp_before) = server.stale();
    assert!(stale_before.contains(&"\"blood_pressure\"".to_string()), "office BP is 8 months old: {stale_before:?}");
    assert!(bp_before.starts_with("blood pressure: last measured 2026-03-25"), "{bp_before}");

    let (status, refused) = server.upload_with(CSV_QUERY, week_csv().as_bytes(), week_csv().len(), "0000");
    assert_eq!(status, 401, "the token is checked: {refused}");

    let (status, report) = server.upload(CSV_QUERY, week_csv().as_bytes());
    assert_eq!(status, 200, "{report}");
    assert_eq!(
        (report["patient"].as_str(), report["source"].as_str()),
        (Some(PATIENT), Some("home-bp-csv:omron week.csv"))
    );
    assert_eq!(
        report["measures"],
        json!([{ "measure": "home BP", "readings": 28, "days": 7, "firstDay": "2026-11-21", "lastDay": "2026-11-27" }])
    );
    assert_eq!(report["devices"], json!(["Omron M3"]));
    assert_eq!((report["added"].as_u64(), report["replaced"].as_u64()), (Some(28), Some(0)));
    assert_eq!(report["homeBp"]["mean"]["systolic"], 141.0, "{report}");

    let (stale_after, bp_after) = server.stale();
    assert!(!stale_after.contains(&"\"blood_pressure\"".to_string()), "a current home week: {stale_after:?}");
    assert_eq!(
        bp_after,
        "blood pressure: office BP last measured 2026-03-25, 8 months ago (older than the 3-month limit); home BP \
         mean of 2026-11-22–2026-11-27 (24 readings) is current and shown beside it; the twin's calibration and \
         risk equations use the office BP"
    );

    // Uploading the same file again replaces, never duplicates.
    let (_, again) = server.upload(CSV_QUERY, week_csv().as_bytes());
    assert_eq!((again["added"].as_u64(), again["replaced"].as_u64()), (Some(0), Some(28)), "{again}");
}

#[test]
fn wrong_files_and_wrong_arguments_are_refused_in_plain_words_and_file_nothing() {
    let Some((_data, _ui, server)) = setup() else { return };
    let wrong_columns = "when,upper,lower\n2026-11-21 07:00,141,84\n";
    let (status, e) = server.upload(CSV_QUERY, wrong_columns.as_bytes());
    assert_eq!(status, 400, "{e}");
    let message = e["message"].as_str().unwrap_or_default();
    assert!(message.starts_with("omron week.csv: the header has no "), "{message}");

    let (status, e) = server.upload(CSV_QUERY, &[0x89, b'P', b'N', b'G', 0xff, 0xfe, 0, 1]);
    assert_eq!(status, 400, "{e}");
    assert_eq!(e["message"], "omron week.csv is not a text file: expected a home monitor's CSV export");

    let apple = "patient=ct-demo-01&fileName=export.xml&kind=appleHealth";
    let (status, e) = server.upload(apple, week_csv().as_bytes());
    assert_eq!(status, 400, "{e}");
    assert!(e["message"].as_str().unwrap_or_default().starts_with("export.xml: not an Apple Health export.xml"), "{e}");

    let (status, e) = server.upload("patient=ct-demo-01&fileName=x.csv&kind=spreadsheet", b"a,b\n");
    assert_eq!(status, 400, "{e}");
    assert!(
        e["message"].as_str().unwrap_or_default().starts_with("importHome: the upload's arguments are not valid"),
        "{e}"
    );

    let (status, e) = server.upload("patient=ct-nobody&fileName=w.csv&kind=homeBpCsv", week_csv().as_bytes());
    assert_eq!(status, 404, "a patient not held: {e}");
    assert!(
        e["message"].as_str().unwrap_or_default().starts_with("this patient's record is not in the offline cache"),
        "{e}"
    );

    let (_, summary) = server.call("patientSummary", &json!({ "id": PATIENT }));
    assert!(summary["freshness"]["staleInputs"].to_string().contains("blood_pressure"), "nothing was filed");
}

#[test]
fn an_apple_export_whole_cut_short_and_cut_off_in_upload() {
    let Some((data, _ui, server)) = setup() else { return };
    let export = twin_wearables::SyntheticExport {
        start: date!(2026 - 10 - 01),
        n_days: 56,
        heart_rate_every_minutes: 5,
        n_bp_days: 7,
    };
    let mut xml = Vec::new();
    export.write(&mut xml).expect("export");
    let apple = "patient=ct-demo-01&fileName=export.xml&kind=appleHealth";

    // Cut off in upload: half the bytes, then the connection closes. Nothing is filed.
    let (status, e) = server.upload_with(apple, &xml, xml.len() / 2, &server.token);
    assert!(status == 0 || status == 400, "a cut-off upload is not imported ({status}): {e}");

    let (status, whole) = server.upload(apple, &xml);
    assert_eq!(status, 200, "{whole}");
    assert_eq!(whole["stopped"], Value::Null);
    assert_eq!(whole["bpReadings"].as_u64(), Some(28));
    assert_eq!(
        whole["added"].as_u64(),
        whole["bpReadings"].as_u64().zip(whole["dailySummaries"].as_u64()).map(|(a, b)| a + b),
        "the cut-off upload filed nothing: {whole}"
    );
    let measures = whole["measures"].as_array().expect("measures");
    assert_eq!(measures[0]["measure"], "home BP");
    assert_eq!(measures[0]["days"].as_u64(), Some(7));
    assert!(measures.iter().any(|m| m["measure"] == "steps (daily total)" && m["days"] == 56), "{whole}");
    assert!(whole["devices"].as_array().is_some_and(|d| d.len() >= 2), "watch and cuff: {whole}");

    // A file cut short in copying: what is complete is filed, and the report says where it stopped.
    let (status, cut) = server.upload("patient=ct-demo-01&fileName=cut.xml&kind=appleHealth", &xml[..xml.len() / 2]);
    assert_eq!(status, 200, "{cut}");
    let stopped = cut["stopped"].as_str().unwrap_or_default();
    assert!(stopped.starts_with("stopped at line ") && stopped.contains(" / byte "), "{cut}");
    drop(data);
}
