//! `koki serve`: a real server on an ephemeral port against a copy of the minimal fixture site.
//! Waits are bounded polls; nothing here asserts on speed.

use koki::serve::{ServeOptions, Server};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

const TIMEOUT: Duration = Duration::from_secs(30);
const WASM: &[u8] = b"\0asm\x01\0\0\0";

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.expect("walk fixture");
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else if entry.file_type().is_file() {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The minimal fixture under the base path `/katalog/`, with the real theme and a tiny wasm
/// module in the theme's static files.
fn fixture_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_tree(&repo_root().join("tests/fixtures/minimal"), dir.path());
    copy_tree(&repo_root().join("themes"), &dir.path().join("themes"));
    let site_yaml = dir.path().join("content/site.yaml");
    let text = std::fs::read_to_string(&site_yaml).unwrap();
    let base = text
        .lines()
        .find(|l| l.starts_with("base_url:"))
        .expect("fixture has base_url")
        .to_string();
    std::fs::write(
        &site_yaml,
        text.replace(&base, "base_url: \"https://test.example/katalog/\""),
    )
    .unwrap();
    let wasm_dir = dir.path().join("themes/default/static/test");
    std::fs::create_dir_all(&wasm_dir).unwrap();
    std::fs::write(wasm_dir.join("dummy.wasm"), WASM).unwrap();
    dir
}

fn start(root: &Path) -> Server {
    let mut opts = ServeOptions::for_root(root);
    // On disk below the site, so the test can look at the files and at what was written.
    opts.build.output = koki::serve::serve_output_dir(root);
    opts.port = 0;
    opts.verbose_terminal = false;
    opts.debounce = Duration::from_millis(100);
    Server::start(opts).expect("server starts")
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Minimal HTTP/1.0 client (no chunked encoding, connection closes after the response).
fn request(addr: SocketAddr, method: &str, path: &str) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream.set_read_timeout(Some(TIMEOUT)).unwrap();
    write!(stream, "{method} {path} HTTP/1.0\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read response");
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("header end");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect();
    Response {
        status,
        headers,
        body: raw[split + 4..].to_vec(),
    }
}

fn get(addr: SocketAddr, path: &str) -> Response {
    request(addr, "GET", path)
}

/// Poll until `f` returns something, at most `TIMEOUT`.
fn wait_for<T>(what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let start = Instant::now();
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(start.elapsed() < TIMEOUT, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// An open event stream; events arrive as (name, data) pairs.
struct Events {
    rx: mpsc::Receiver<(String, String)>,
}

impl Events {
    fn open(addr: SocketAddr) -> Events {
        let mut stream = TcpStream::connect(addr).expect("connect");
        write!(
            stream,
            "GET /__koki/events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n"
        )
        .unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stream);
            let mut line = String::new();
            let (mut event, mut data) = (String::new(), String::new());
            while reader.read_line(&mut line).map(|n| n > 0).unwrap_or(false) {
                let l = line.trim_end_matches(['\r', '\n']);
                if let Some(e) = l.strip_prefix("event: ") {
                    event = e.to_string();
                } else if let Some(d) = l.strip_prefix("data: ") {
                    data = d.to_string();
                } else if l.is_empty()
                    && !event.is_empty()
                    && tx
                        .send((std::mem::take(&mut event), std::mem::take(&mut data)))
                        .is_err()
                {
                    return;
                }
                line.clear();
            }
        });
        Events { rx }
    }

    /// The next event named `name`, skipping others.
    fn expect(&self, name: &str) -> serde_json::Value {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.rx.recv_timeout(left) {
                Ok((event, data)) if event == name => {
                    return serde_json::from_str(&data).expect("event data is JSON")
                }
                Ok(_) => continue,
                Err(_) => panic!("no `{name}` event within {TIMEOUT:?}"),
            }
        }
    }
}

fn status(addr: SocketAddr) -> serde_json::Value {
    let r = get(addr, "/__koki/status");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("application/json"));
    serde_json::from_slice(&r.body).expect("status is JSON")
}

#[test]
fn serves_the_site_under_its_base_path_with_mime_types() {
    let site = fixture_site();
    let server = start(site.path());
    let addr = server.addr();
    assert_ne!(addr.port(), 0);
    assert!(server.status().ok, "{:?}", server.status());
    assert_eq!(server.url(), format!("http://{addr}/katalog/"));

    let r = get(addr, "/");
    assert_eq!(r.status, 302);
    assert_eq!(r.header("Location"), Some("/katalog/"));

    let r = get(addr, "/katalog/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    assert_eq!(r.header("Cache-Control"), Some("no-store"));
    assert!(r.text().contains("src=\"/__koki/reload.js\""));
    assert!(r.text().contains("Testkatalog"));

    // The script is injected at serve time only: the files on disk are the plain build.
    let out = site.path().join(".koki-serve/site");
    assert_eq!(server.output_dir(), out);
    let on_disk = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!on_disk.contains("__koki"));
    assert!(r.text().contains(on_disk.split("</head>").next().unwrap()));

    let r = get(addr, "/katalog/beispiele/kleindorf-chatbot/");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Chatbot im Rathaus Kleindorf"));
    let r = get(addr, "/katalog/beispiele/kleindorf-chatbot?x=1");
    assert_eq!(r.status, 302);
    assert_eq!(
        r.header("Location"),
        Some("/katalog/beispiele/kleindorf-chatbot/?x=1")
    );

    let r = get(addr, "/katalog/static/test/dummy.wasm");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("Content-Type"), Some("application/wasm"));
    assert_eq!(r.body, WASM);
    let r = get(addr, "/katalog/static/css/koki.css");
    assert_eq!(r.header("Content-Type"), Some("text/css; charset=utf-8"));
    let r = get(addr, "/katalog/sitemap.xml");
    assert_eq!(r.status, 200);
    assert!(r.text().contains("https://test.example/katalog/"));
    let r = get(addr, "/__koki/reload.js");
    assert_eq!(
        r.header("Content-Type"),
        Some("text/javascript; charset=utf-8")
    );
    assert!(r.text().contains("EventSource"));
    let r = request(addr, "HEAD", "/katalog/");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());

    // Unknown paths get the site's 404 page with status 404.
    let r = get(addr, "/katalog/gibt-es-nicht/");
    assert_eq!(r.status, 404);
    assert_eq!(r.header("Content-Type"), Some("text/html; charset=utf-8"));
    let page_404 = std::fs::read_to_string(out.join("404.html")).unwrap();
    assert!(r.text().contains(page_404.split("</head>").next().unwrap()));
    assert_eq!(get(addr, "/anderswo/").status, 404);
    assert_eq!(get(addr, "/katalog/.koki-output").status, 404);
    assert_eq!(request(addr, "POST", "/katalog/").status, 405);

    // Nothing outside the site root is reachable.
    std::fs::write(site.path().join("geheim.txt"), "geheim").unwrap();
    for path in [
        "/katalog/../geheim.txt",
        "/katalog/%2e%2e/geheim.txt",
        "/katalog/%2E%2E%2F%2E%2E%2Fgeheim.txt",
        "/katalog/static/..%2f..%2f..%2fgeheim.txt",
        "/katalog/..%5c..%5cgeheim.txt",
    ] {
        let r = get(addr, path);
        assert!(r.status == 403 || r.status == 404, "{path}: {}", r.status);
        assert!(
            !r.text().contains("geheim\n") && r.text() != "geheim",
            "{path}"
        );
    }
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(site.path().join("geheim.txt"), out.join("link.txt")).unwrap();
        let r = get(addr, "/katalog/link.txt");
        assert_eq!(r.status, 403);
        assert_ne!(r.text(), "geheim");
    }

    // Reading files (every request, every build) is no change: no rebuild happened. This
    // needs a short wait, as it asserts that something does not happen.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(server.status().generation, 1, "{:?}", server.status());

    // Serving writes only below `.koki-serve/`.
    let mut top: Vec<String> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    top.sort();
    assert_eq!(top, [".koki-serve", "content", "geheim.txt", "themes"]);
    server.shutdown();
}

#[test]
fn rebuilds_on_change_shows_errors_and_recovers() {
    let site = fixture_site();
    let server = start(site.path());
    let addr = server.addr();
    let page = "/katalog/beispiele/kleindorf-chatbot/";
    let entry = site.path().join("content/beispiele/kleindorf-chatbot.md");
    let original = std::fs::read_to_string(&entry).unwrap();

    let events = Events::open(addr);
    let hello = events.expect("hello");
    assert_eq!(hello["ok"], true);

    // A good edit: rebuilt page and a reload event.
    std::fs::write(
        &entry,
        original.replace("Chatbot im Rathaus Kleindorf", "Sprachassistent Kleindorf"),
    )
    .unwrap();
    let reload = events.expect("reload");
    assert_eq!(reload["ok"], true);
    wait_for("the rebuilt page", || {
        get(addr, page)
            .text()
            .contains("Sprachassistent Kleindorf")
            .then_some(())
    });

    // A bad edit: an error event, the diagnostics as JSON, the last good site still served.
    std::fs::write(
        &entry,
        original
            .replace("Chatbot im Rathaus Kleindorf", "Sprachassistent Kleindorf")
            .replace("bundesland: sh", "bundesland: schleswig"),
    )
    .unwrap();
    let failed = events.expect("buildfailed");
    assert_eq!(failed["ok"], false);
    let s = status(addr);
    assert_eq!(s["ok"], false);
    assert!(s["errors"].as_u64().unwrap() >= 1, "{s}");
    assert!(s["summary"].as_str().unwrap().contains("1 Fehler"), "{s}");
    let diagnostics = s["diagnostics"].as_array().unwrap();
    assert!(
        diagnostics.iter().any(|d| d["file"]
            .as_str()
            .unwrap()
            .ends_with("beispiele/kleindorf-chatbot.md")
            && d["field"] == "bundesland"
            && d["line"].as_u64().unwrap() > 0),
        "{s}"
    );
    let r = get(addr, page);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("Sprachassistent Kleindorf"));
    assert_eq!(get(addr, "/katalog/").status, 200);

    // A broken template is reported the same way.
    let base = site.path().join("themes/default/templates/base.html");
    let template = std::fs::read_to_string(&base).unwrap();
    std::fs::write(&base, format!("{template}\n{{% if %}}")).unwrap();
    std::fs::write(&entry, &original).unwrap();
    events.expect("buildfailed");
    let s = status(addr);
    assert_eq!(s["ok"], false, "{s}");
    assert_eq!(get(addr, page).status, 200);

    // Fixed again: reload event, status ok, the page shows the fixed content.
    std::fs::write(&base, &template).unwrap();
    events.expect("reload");
    let s = status(addr);
    assert_eq!(s["ok"], true, "{s}");
    assert!(get(addr, page)
        .text()
        .contains("Chatbot im Rathaus Kleindorf"));
    server.shutdown();
}

#[test]
fn a_site_that_never_built_still_answers() {
    let site = fixture_site();
    let entry = site.path().join("content/beispiele/kleindorf-chatbot.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        text.replace("status: eingestellt", "status: kaputt"),
    )
    .unwrap();
    let server = start(site.path());
    let addr = server.addr();
    assert!(!server.status().ok);
    let r = get(addr, "/katalog/");
    assert_eq!(r.status, 404);
    assert!(r.text().contains("/__koki/reload.js"));
    let s = status(addr);
    assert_eq!(s["ok"], false);
    assert_eq!(s["site_generation"], 0);

    let events = Events::open(addr);
    assert_eq!(events.expect("hello")["ok"], false);
    std::fs::write(&entry, text).unwrap();
    events.expect("reload");
    assert_eq!(get(addr, "/katalog/").status, 200);
    server.shutdown();
}
