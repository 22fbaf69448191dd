//! Tests of `koki serve`.

use super::*;

#[test]
fn decodes_percent_escapes() {
    assert_eq!(percent_decode("a%20b").as_deref(), Some("a b"));
    assert_eq!(percent_decode("%2e%2E").as_deref(), Some(".."));
    assert_eq!(percent_decode("%zz"), None);
    assert_eq!(percent_decode("%2"), None);
    assert_eq!(percent_decode("%ff"), None);
}

#[test]
fn injects_before_head_end() {
    let html = b"<html><HEAD><title>x</title></HEAD><body></body></html>".to_vec();
    let out = String::from_utf8(inject_reload(html, 3)).unwrap();
    assert!(out.contains(&format!("{}</HEAD>", reload_tag(3))));
    assert!(out.contains("data-site=\"3\""));
    let out = String::from_utf8(inject_reload(b"plain".to_vec(), 1)).unwrap();
    assert_eq!(out, format!("plain{}", reload_tag(1)));
}

#[test]
fn mime_types() {
    let m = |p: &str| mime_type(Path::new(p));
    assert_eq!(m("a/index.html"), "text/html; charset=utf-8");
    assert_eq!(m("search/koki_search.wasm"), "application/wasm");
    assert_eq!(m("x.js"), "text/javascript; charset=utf-8");
    assert_eq!(m("karte.svg"), "image/svg+xml");
    assert_eq!(m("daten/katalog.json"), "application/json");
    assert_eq!(m("feed.xml"), "application/atom+xml");
    assert_eq!(m("sitemap.xml"), "application/xml");
    assert_eq!(m("static/css/koki.css"), "text/css; charset=utf-8");
    assert_eq!(m("LICENSE"), "application/octet-stream");
}

#[test]
fn default_output_dir_is_private_and_stable() {
    let tmp = tempfile::tempdir().unwrap();
    let default = default_output_dir(tmp.path());
    assert_eq!(default, default_output_dir(tmp.path()));
    assert!(!default.exists(), "computing the default creates nothing");
    let dir = prepare_output(tmp.path(), &default).unwrap();
    assert_eq!(dir.file_name().unwrap(), "site");
    let parent = dir.parent().unwrap().to_path_buf();
    assert!(parent.is_dir());
    if parent != tmp.path().join(SERVE_DIR) {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&parent).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "{}", parent.display());
        }
        fs::remove_dir_all(&parent).unwrap();
    }
}

#[test]
fn resolves_paths_inside_the_site_only() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site");
    fs::create_dir_all(site.join("beispiele/a")).unwrap();
    fs::write(site.join("index.html"), "start").unwrap();
    fs::write(site.join("beispiele/a/index.html"), "a").unwrap();
    fs::write(site.join(".koki-output"), "marker").unwrap();
    fs::write(tmp.path().join("secret.txt"), "secret").unwrap();
    let canon = site.canonicalize().unwrap();

    let r = |p: &str| resolve(&site, "/katalog/", p);
    assert_eq!(r("/"), Resolved::Redirect("/katalog/".into()));
    assert_eq!(r("/katalog"), Resolved::Redirect("/katalog/".into()));
    assert_eq!(r("/katalog/"), Resolved::File(canon.join("index.html")));
    assert_eq!(
        r("/katalog/beispiele/a/"),
        Resolved::File(canon.join("beispiele/a/index.html"))
    );
    assert_eq!(
        r("/katalog/beispiele/a"),
        Resolved::Redirect("/katalog/beispiele/a/".into())
    );
    assert_eq!(r("/katalog/fehlt/"), Resolved::NotFound);
    assert_eq!(r("/anderswo/index.html"), Resolved::NotFound);
    assert_eq!(r("/katalog/.koki-output"), Resolved::NotFound);
    assert_eq!(r("/katalog/../secret.txt"), Resolved::Forbidden);
    assert_eq!(r("/katalog/%2e%2e/secret.txt"), Resolved::Forbidden);
    assert_eq!(r("/katalog/%2E%2E%2Fsecret.txt"), Resolved::Forbidden);
    assert_eq!(
        r("/katalog/beispiele/..%5c..%5csecret.txt"),
        Resolved::Forbidden
    );
    assert_eq!(r("/katalog/%00"), Resolved::Forbidden);

    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(tmp.path().join("secret.txt"), site.join("link.txt")).unwrap();
        assert_eq!(r("/katalog/link.txt"), Resolved::Forbidden);
    }
}
