//! The HTTP side of `koki serve`: responses, the event stream for live reload, MIME types, path resolution.

use super::*;

pub(super) fn header(name: &str, value: &str) -> tiny_http::Header {
    tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
        .expect("header names and values are ASCII")
}

pub(super) fn respond(request: tiny_http::Request, status: u16, content_type: &str, body: Vec<u8>) {
    respond_with(request, status, content_type, body, &[]);
}

pub(super) fn respond_with(
    request: tiny_http::Request,
    status: u16,
    content_type: &str,
    body: Vec<u8>,
    extra: &[(&str, &str)],
) {
    let mut response = tiny_http::Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"));
    for (name, value) in extra {
        response = response.with_header(header(name, value));
    }
    // A client that went away is not an error worth reporting.
    let _ = request.respond(response);
}

pub(super) fn handle(shared: &Arc<Shared>, request: tiny_http::Request) {
    use tiny_http::Method;
    if !matches!(request.method(), Method::Get | Method::Head) {
        respond_with(
            request,
            405,
            "text/plain; charset=utf-8",
            "Nur GET und HEAD werden unterstützt.\n".into(),
            &[("Allow", "GET, HEAD")],
        );
        return;
    }
    let url = request.url().to_string();
    let (path, query) = match url.find(['?', '#']) {
        Some(i) => (&url[..i], &url[i..]),
        None => (url.as_str(), ""),
    };
    if let Some(name) = path.strip_prefix(INTERNAL_PREFIX) {
        match name {
            "events" => {
                let shared = Arc::clone(shared);
                // A stream lives as long as the page; it must not occupy a worker.
                let _ = thread::Builder::new()
                    .name("koki-events".into())
                    .spawn(move || serve_events(&shared, request));
            }
            "status" => {
                let json = serde_json::to_vec(&shared.status()).unwrap_or_default();
                respond(request, 200, "application/json", json);
            }
            "reload.js" => respond(
                request,
                200,
                "text/javascript; charset=utf-8",
                RELOAD_JS.into(),
            ),
            "overlay.css" => respond(request, 200, "text/css; charset=utf-8", OVERLAY_CSS.into()),
            _ => not_found(shared, request),
        }
        return;
    }
    match resolve(&shared.site_dir, &shared.base_path(), path) {
        Resolved::File(file) => match fs::read(&file) {
            Ok(bytes) => {
                let mime = mime_type(&file);
                let bytes = if mime.starts_with("text/html") {
                    inject_reload(bytes, lock(&shared.status).site_generation)
                } else {
                    bytes
                };
                respond(request, 200, mime, bytes);
            }
            // Vanished between resolving and reading (a rebuild swapped the directory).
            Err(_) => not_found(shared, request),
        },
        Resolved::Redirect(to) => {
            let location = format!("{to}{query}");
            respond_with(
                request,
                302,
                "text/plain; charset=utf-8",
                format!("Weiter zu {location}\n").into_bytes(),
                &[("Location", &location)],
            );
        }
        Resolved::NotFound => not_found(shared, request),
        Resolved::Forbidden => respond(
            request,
            403,
            "text/plain; charset=utf-8",
            "Zugriff verweigert: Der Pfad liegt außerhalb der Site.\n".into(),
        ),
    }
}

/// The site's `404.html` with status 404; a minimal page while no good build exists.
pub(super) fn not_found(shared: &Shared, request: tiny_http::Request) {
    let page = fs::read(shared.site_dir.join("404.html")).unwrap_or_else(|_| {
        "<!DOCTYPE html>\n<html lang=\"de\"><head><meta charset=\"utf-8\"><title>Nicht gefunden</title></head>\
         <body><h1>Nicht gefunden</h1><p>Diese Seite gibt es nicht, oder es gibt noch keinen fehlerfreien Build.</p></body></html>\n"
            .into()
    });
    let site = lock(&shared.status).site_generation;
    respond(
        request,
        404,
        "text/html; charset=utf-8",
        inject_reload(page, site),
    );
}

/// Send server-sent events: `hello` on connect, `reload` after a good build, `buildfailed`
/// after a failed one, and keep-alive comments in between.
pub(super) fn serve_events(shared: &Shared, request: tiny_http::Request) {
    let mut out = request.into_writer();
    let (mut seen, hello) = {
        let s = lock(&shared.status);
        (s.generation, event_payload("hello", &s))
    };
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n\
                Cache-Control: no-store\r\nX-Content-Type-Options: nosniff\r\n\
                Connection: close\r\n\r\nretry: 1000\n\n";
    if send(&mut out, &format!("{head}{hello}")).is_err() {
        return;
    }
    loop {
        let message = {
            let guard = lock(&shared.status);
            let (status, _) = shared
                .changed
                .wait_timeout_while(guard, KEEPALIVE, |s| {
                    s.generation == seen && !shared.stop.load(Ordering::SeqCst)
                })
                .unwrap_or_else(|e| e.into_inner());
            if shared.stop.load(Ordering::SeqCst) {
                return;
            }
            if status.generation != seen {
                seen = status.generation;
                event_payload(if status.ok { "reload" } else { "buildfailed" }, &status)
            } else {
                ": ping\n\n".to_string()
            }
        };
        if send(&mut out, &message).is_err() {
            return;
        }
    }
}

pub(super) fn event_payload(event: &str, status: &Status) -> String {
    let data = serde_json::json!({
        "generation": status.generation,
        "site_generation": status.site_generation,
        "ok": status.ok,
        "message": status.message,
    });
    format!("event: {event}\ndata: {data}\n\n")
}

pub(super) fn send(out: &mut Box<dyn Write + Send>, text: &str) -> io::Result<()> {
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// The script tag added to HTML responses; `site` is the generation of the served build, so
/// the page reloads when it connects after a newer build.
pub(super) fn reload_tag(site: u64) -> String {
    format!("<script src=\"/__koki/reload.js\" data-site=\"{site}\" defer></script>")
}

/// Insert the reload script before `</head>` (else before `</body>`, else at the end).
pub fn inject_reload(mut html: Vec<u8>, site_generation: u64) -> Vec<u8> {
    let at = find_ascii_ci(&html, b"</head>")
        .or_else(|| find_ascii_ci(&html, b"</body>"))
        .unwrap_or(html.len());
    html.splice(at..at, reload_tag(site_generation).into_bytes());
    html
}

pub(super) fn find_ascii_ci(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// Content type by file extension.
pub fn mime_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.ends_with(".atom") || name == "feed.xml" || name.ends_with(".atom.xml") {
        return "application/atom+xml";
    }
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" | "map" => "application/json",
        "geojson" => "application/geo+json",
        "jsonld" => "application/ld+json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "xml" | "xsl" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "md" => "text/markdown; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "avif" => "image/avif",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "otf" => "font/otf",
        "pdf" => "application/pdf",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// How a request path maps onto the output directory.
#[derive(Debug, PartialEq, Eq)]
pub enum Resolved {
    File(PathBuf),
    Redirect(String),
    NotFound,
    /// Outside the site (`..`, encoded separators, symlinks that lead out).
    Forbidden,
}

/// Map a request path (without query) to a file below `site_dir`, served under `base_path`.
pub fn resolve(site_dir: &Path, base_path: &str, path: &str) -> Resolved {
    if base_path != "/" && (path == "/" || format!("{path}/") == base_path) {
        return Resolved::Redirect(base_path.to_string());
    }
    let Some(rest) = path.strip_prefix(base_path) else {
        return Resolved::NotFound;
    };
    let mut rel = PathBuf::new();
    for raw in rest.split('/').filter(|s| !s.is_empty()) {
        let Some(segment) = percent_decode(raw) else {
            return Resolved::Forbidden;
        };
        if segment == "."
            || segment == ".."
            || segment.contains(['/', '\\', '\0'])
            || Path::new(&segment)
                .components()
                .any(|c| !matches!(c, Component::Normal(_)))
        {
            return Resolved::Forbidden;
        }
        if segment.starts_with('.') {
            // Hidden files such as the output marker are not part of the site.
            return Resolved::NotFound;
        }
        rel.push(segment);
    }
    let Ok(site) = site_dir.canonicalize() else {
        return Resolved::NotFound;
    };
    let Ok(target) = site.join(&rel).canonicalize() else {
        return Resolved::NotFound;
    };
    if !target.starts_with(&site) {
        return Resolved::Forbidden;
    }
    if target.is_dir() {
        if !rest.is_empty() && !rest.ends_with('/') {
            return Resolved::Redirect(format!("{path}/"));
        }
        let Ok(index) = target.join("index.html").canonicalize() else {
            return Resolved::NotFound;
        };
        if !index.starts_with(&site) {
            return Resolved::Forbidden;
        }
        return if index.is_file() {
            Resolved::File(index)
        } else {
            Resolved::NotFound
        };
    }
    if target.is_file() {
        Resolved::File(target)
    } else {
        Resolved::NotFound
    }
}

/// Decode `%XX` escapes; `None` for malformed escapes or invalid UTF-8.
pub(super) fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes.get(i + 1..i + 3)?;
            let hex = std::str::from_utf8(hex).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}
