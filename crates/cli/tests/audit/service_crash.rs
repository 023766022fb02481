//! The shipped `bulwark serve` binary killed with SIGKILL in the middle of
//! an audit: started again on the same SQLite database, it picks the job up
//! (its lease has expired) and finishes it with the same findings as
//! `bulwark audit` on the same sources.
//!
//! The service crate has its own crash test with a scripted engine; this one
//! checks the real binary, the real engine and the real flag/config wiring.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// A `bulwark serve` child process, SIGKILLed and reaped when dropped so a
/// failing test leaves nothing behind.
struct Served {
    child: Child,
    addr: String,
}

impl Served {
    fn start(dir: &Path) -> Served {
        let mut child = Command::new(env!("CARGO_BIN_EXE_bulwark"))
            .args(["serve", "--log-json", "--listen", "127.0.0.1:0"])
            .arg("--config")
            .arg(dir.join("bulwark-serve.toml"))
            .arg("--database")
            .arg(dir.join("bulwark.db"))
            .arg("--scratch-dir")
            .arg(dir.join("scratch"))
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("bulwark serve starts");
        // The address comes from the structured start-up log line (the port
        // is chosen by the OS). Keep draining the log afterwards so the
        // server never blocks on a full pipe.
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        let mut addr = None;
        for line in lines.by_ref() {
            let line = line.expect("log line");
            let Ok(record) = serde_json::from_str::<Value>(&line) else {
                continue;
            };
            if let Some(found) = record["fields"]["addr"]
                .as_str()
                .or(record["addr"].as_str())
            {
                addr = Some(found.to_string());
                break;
            }
        }
        std::thread::spawn(move || lines.for_each(drop));
        let addr = addr.expect("bulwark serve logged the address it listens on");
        Served { child, addr }
    }

    fn kill9(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    /// One HTTP/1.1 request (connection closed after it); returns the status
    /// and the body parsed as JSON.
    fn call(
        &self,
        method: &str,
        path: &str,
        key: &str,
        body: Option<(&str, &[u8])>,
    ) -> (u16, Value) {
        let mut stream = TcpStream::connect(&self.addr).expect("connect to bulwark serve");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let (content_type, bytes) = body.unwrap_or(("application/json", b""));
        let head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nAuthorization: Bearer {key}\r\n\
             Content-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            self.addr,
            bytes.len()
        );
        stream.write_all(head.as_bytes()).unwrap();
        stream.write_all(bytes).unwrap();
        let mut response = Vec::new();
        stream.read_to_end(&mut response).unwrap();
        let text = String::from_utf8_lossy(&response);
        let (head, body) = text.split_once("\r\n\r\n").expect("an HTTP response");
        let status = head
            .split_whitespace()
            .nth(1)
            .and_then(|s| s.parse().ok())
            .expect("a status code");
        assert!(
            !head
                .to_ascii_lowercase()
                .contains("transfer-encoding: chunked"),
            "this little client reads only sized bodies:\n{head}"
        );
        let value = serde_json::from_str(body).unwrap_or(Value::Null);
        (status, value)
    }

    fn json(&self, method: &str, path: &str, key: &str, body: Value) -> (u16, Value) {
        let bytes = body.to_string().into_bytes();
        self.call(method, path, key, Some(("application/json", &bytes)))
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        self.kill9();
    }
}

/// A project big enough that auditing it takes a while even in release:
/// many contracts with loops, external calls and arithmetic, and one real
/// bug per file so the finding count is a meaningful check.
fn write_project(root: &Path, files: usize) {
    let src = root.join("src");
    std::fs::create_dir_all(&src).unwrap();
    for i in 0..files {
        let mut text = format!("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.20;\n\ncontract Vault{i} {{\n    mapping(address => uint256) public balances;\n    address[] public holders;\n\n    function deposit() external payable {{\n        balances[msg.sender] += msg.value;\n        holders.push(msg.sender);\n    }}\n\n    function withdraw() external {{\n        uint256 amount = balances[msg.sender];\n        (bool ok, ) = msg.sender.call{{value: amount}}(\"\");\n        require(ok);\n        balances[msg.sender] = 0;\n    }}\n");
        for f in 0..12 {
            text.push_str(&format!(
                "\n    function total{f}(uint256 scale) external view returns (uint256 sum) {{\n        for (uint256 k = 0; k < holders.length; k++) {{\n            sum += balances[holders[k]] * scale / (k + {f} + 1);\n        }}\n    }}\n"
            ));
        }
        text.push_str("}\n");
        std::fs::write(src.join(format!("Vault{i}.sol")), text).unwrap();
    }
}

fn tar_gz(root: &Path) -> Vec<u8> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut builder = tar::Builder::new(gz);
    builder.append_dir_all(".", root).unwrap();
    builder.into_inner().unwrap().finish().unwrap()
}

#[test]
fn killed_server_resumes_the_running_audit() {
    let dir = tempfile::tempdir().unwrap();
    // A short lease so the restarted server may take the job over quickly.
    std::fs::write(
        dir.path().join("bulwark-serve.toml"),
        "[jobs]\nlease_secs = 2\npoll_ms = 50\n",
    )
    .unwrap();
    let project_dir = dir.path().join("project");
    write_project(&project_dir, 1000);

    let bootstrap = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(["serve", "--bootstrap-admin"])
        .arg("--database")
        .arg(dir.path().join("bulwark.db"))
        .output()
        .unwrap();
    assert!(bootstrap.status.success(), "{bootstrap:?}");
    let key = String::from_utf8(bootstrap.stdout)
        .unwrap()
        .trim()
        .to_string();

    let mut server = Served::start(dir.path());
    let (status, project) = server.json("POST", "/api/v1/projects", &key, json!({"name": "crash"}));
    assert_eq!(status, 201, "{project}");
    let project = project["id"].as_str().unwrap().to_string();
    let archive = tar_gz(&project_dir);
    let (status, upload) = server.call(
        "POST",
        &format!("/api/v1/projects/{project}/uploads"),
        &key,
        Some(("application/octet-stream", &archive)),
    );
    assert_eq!(status, 201, "{upload}");
    let (status, audit) = server.json(
        "POST",
        &format!("/api/v1/projects/{project}/audits"),
        &key,
        json!({}),
    );
    assert_eq!(status, 202, "{audit}");
    let audit = audit["id"].as_str().unwrap().to_string();

    let started = Instant::now();
    loop {
        let (_, body) = server.call("GET", &format!("/api/v1/audits/{audit}"), &key, None);
        match body["status"].as_str() {
            Some("running") => break,
            Some("queued") => {}
            _ => panic!("the audit must still be running when the server is killed: {body}"),
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the audit never started"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    server.kill9();

    let server = Served::start(dir.path());
    let started = Instant::now();
    let done = loop {
        let (_, body) = server.call("GET", &format!("/api/v1/audits/{audit}"), &key, None);
        if !matches!(body["status"].as_str(), Some("running" | "queued")) {
            break body;
        }
        assert!(
            started.elapsed() < Duration::from_secs(600),
            "the audit never finished after the restart: {body}"
        );
        std::thread::sleep(Duration::from_millis(200));
    };
    assert_eq!(done["status"], "succeeded", "{done}");

    // The resumed audit found exactly what the command line finds.
    let cli = Command::new(env!("CARGO_BIN_EXE_bulwark"))
        .args(["audit", "--format", "json", "--fail-on", "none"])
        .arg(&project_dir)
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&cli.stdout)
        .unwrap_or_else(|e| panic!("audit JSON ({e}): {}", String::from_utf8_lossy(&cli.stderr)));
    let expected = report["findings"].as_array().unwrap().len();
    assert!(expected >= 1000, "every vault has its reentrancy bug");
    assert_eq!(done["summary"]["total_findings"], json!(expected), "{done}");
}
