//! Browse outputs over the fixture site `tests/fixtures/browse-site/`: every output exists and
//! parses back, every link resolves (root and sub-path base URL), counts on filter pages, map
//! and statistics equal the catalog's, pagination, JSON-LD escaping, freshness, determinism.

use koki::browse::{example_values, facets, page_path, PER_PAGE};
use koki::build::{build, load_catalog, BuildOptions};
use koki::catalog::Catalog;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

const SUB_PATH_URL: &str = "https://example.org/katalog/";
const ROOT_URL: &str = "https://example.org/";

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_root() -> PathBuf {
    repo().join("tests/fixtures/browse-site")
}

/// Build `root` into a fresh temp dir; returns (guard, output dir).
fn build_site(root: &Path, base_url: Option<&str>) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let opts = BuildOptions {
        root: root.to_path_buf(),
        output: out.clone(),
        theme: repo().join("themes/default"),
        base_url: base_url.map(str::to_string),
        force: false,
        registry: koki_model::fields::Registry::builtin(),
    };
    build(&opts).unwrap_or_else(|e| panic!("build failed: {e:?}"));
    (tmp, out)
}

fn catalog(root: &Path, base_url: Option<&str>) -> Catalog {
    load_catalog(root, base_url)
        .unwrap_or_else(|d| panic!("fixture invalid: {}", d.render_human()))
        .0
}

fn read(out: &Path, rel: &str) -> String {
    std::fs::read_to_string(out.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
}

fn all_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path()
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

/// Number in `<span class="count">(N)</span></h1>`.
fn heading_count(html: &str) -> usize {
    let h1_end = html.find("</h1>").expect("h1");
    let head = &html[..h1_end];
    let open = head.rfind("(").expect("count in h1");
    let close = head[open..].find(')').unwrap() + open;
    head[open + 1..close].parse().unwrap()
}

fn count_cards(html: &str) -> usize {
    html.matches("<li class=\"card\"").count()
}

/// The count in the `<title>` ("<label>: <n> Beispiel(e)" or "<label>: <n>") of the SVG link
/// to `href`.
fn labelled_count(html: &str, href: &str) -> Option<usize> {
    let needle = format!("href=\"{href}\"");
    let start = html.find(&needle)? + needle.len();
    let rest = &html[start..];
    let open = rest.find("<title>")? + "<title>".len();
    let title = &rest[open..open + rest[open..].find("</title>")?];
    let after_colon = title.rsplit(": ").next()?;
    after_colon.split_whitespace().next()?.parse().ok()
}

#[test]
fn outputs_exist_and_parse_back() {
    let root = fixture_root();
    let c = catalog(&root, None);
    let (_tmp, out) = build_site(&root, None);
    for rel in [
        "index.html",
        "404.html",
        "robots.txt",
        "beispiele/index.html",
        "beispiele/neueste/index.html",
        "beispiele/einwohner/index.html",
        "filter/index.html",
        "passend/index.html",
        "karte/index.html",
        "statistik/index.html",
        "daten/index.html",
        "static/js/passend.js",
    ] {
        assert!(out.join(rel).is_file(), "missing {rel}");
    }

    // Atom feed: one entry per example, newest first, dates from the data.
    let feed = read(&out, "feed.xml");
    let doc = roxmltree::Document::parse(&feed).expect("feed is XML");
    let atom = "http://www.w3.org/2005/Atom";
    let root_el = doc.root_element();
    assert!(root_el.has_tag_name((atom, "feed")));
    let entries: Vec<_> = root_el
        .children()
        .filter(|n| n.has_tag_name((atom, "entry")))
        .collect();
    assert_eq!(entries.len(), c.examples.len());
    let published: Vec<String> = entries
        .iter()
        .map(|e| {
            e.children()
                .find(|n| n.has_tag_name((atom, "published")))
                .and_then(|n| n.text())
                .unwrap()
                .to_string()
        })
        .collect();
    let mut sorted = published.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(published, sorted, "feed is newest first");
    let updated = root_el
        .children()
        .find(|n| n.has_tag_name((atom, "updated")))
        .and_then(|n| n.text())
        .unwrap();
    assert_eq!(updated, "2025-06-01T00:00:00Z", "newest date in the data");
    assert!(feed.contains("Testkatalog &lt;KI&gt; &amp; Kommunen"));

    // Sitemap: every page, every URL resolves to a generated page.
    let sitemap = read(&out, "sitemap.xml");
    let doc = roxmltree::Document::parse(&sitemap).expect("sitemap is XML");
    let locs: Vec<String> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .map(|n| n.text().unwrap().to_string())
        .collect();
    let pages = all_files(&out)
        .keys()
        .filter(|k| k.ends_with("index.html"))
        .count();
    assert_eq!(locs.len(), pages);
    for loc in &locs {
        let rel = loc.strip_prefix(&c.base_url).expect("loc under base URL");
        assert!(out.join(rel).join("index.html").is_file(), "{loc}");
    }
    let lastmod = doc
        .descendants()
        .find(|n| {
            n.has_tag_name("url")
                && n.children().any(|c| {
                    c.has_tag_name("loc")
                        && c.text().unwrap().ends_with("/beispiele/muenchen-chatbot/")
                })
        })
        .and_then(|n| n.children().find(|c| c.has_tag_name("lastmod")))
        .and_then(|n| n.text());
    assert_eq!(lastmod, Some("2025-06-01"));
    assert!(read(&out, "robots.txt").contains("sitemap.xml"));

    // catalog.json
    let json: serde_json::Value =
        serde_json::from_str(&read(&out, "daten/catalog.json")).expect("catalog.json");
    let examples = json["beispiele"].as_array().unwrap();
    assert_eq!(examples.len(), c.examples.len());
    for (e, j) in c.examples.iter().zip(examples) {
        assert_eq!(j["id"], e.id.as_str());
        assert_eq!(j["titel"], e.meta.titel.as_str());
        assert_eq!(
            j["url"].as_str().unwrap(),
            format!("{}beispiele/{}/", c.base_url, e.id)
        );
        // Per-example file: same record.
        let one: serde_json::Value =
            serde_json::from_str(&read(&out, &format!("daten/beispiele/{}.json", e.id))).unwrap();
        assert_eq!(&one, j);
        // The record deserialises back into the model (minus id/url/text).
        let mut meta = one.as_object().unwrap().clone();
        meta.remove("id");
        meta.remove("url");
        meta.remove("text_markdown");
        let back: koki::model::Example =
            serde_json::from_value(serde_json::Value::Object(meta)).unwrap();
        assert_eq!(back, e.meta);
    }
    assert_eq!(
        json["szenarien"].as_array().unwrap().len(),
        c.scenarios.len()
    );

    // CSV: header + one row per example, cofog from the action field.
    let csv_bytes = std::fs::read(out.join("daten/catalog.csv")).unwrap();
    let mut rdr = csv::Reader::from_reader(csv_bytes.as_slice());
    let headers = rdr.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), c.examples.len());
    let hh = rows
        .iter()
        .find(|r| &r[col("id")] == "hamburg-verkehr")
        .unwrap();
    assert_eq!(&hh[col("cofog")], "04.5");
    assert_eq!(&hh[col("ki_technik")], "prognose; optimierung");
    assert_eq!(&hh[col("titel")], "Verkehrssteuerung in Hamburg </script>");
    let ue = rows
        .iter()
        .find(|r| &r[col("id")] == "kiel-wasser")
        .unwrap();
    assert_eq!(&ue[col("cofog")], "05.3; 05.4");
    assert_eq!(&ue[col("einwohner")], "");

    // Schemas
    for rel in [
        "daten/schema/beispiel.schema.json",
        "daten/schema/szenario.schema.json",
    ] {
        let s: serde_json::Value = serde_json::from_str(&read(&out, rel)).unwrap();
        assert!(s["properties"]["titel"].is_object(), "{rel}");
    }
}

#[test]
fn every_link_resolves_with_root_and_sub_path_base() {
    let root = fixture_root();
    for base in ["https://example.org/", SUB_PATH_URL] {
        let (_tmp, out) = build_site(&root, Some(base));
        let report = koki::linkcheck::check_site(&out, base).unwrap();
        assert!(report.pages > 40, "{} pages", report.pages);
        assert!(report.links > 1000, "{} links", report.links);
        assert!(
            report.broken.is_empty(),
            "broken links with base {base}:\n{}",
            report
                .broken
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        if base == SUB_PATH_URL {
            let home = read(&out, "index.html");
            assert!(home.contains("href=\"/katalog/static/css/koki.css\""));
            assert!(!home.contains("href=\"/beispiele/"));
        }
    }
}

#[test]
fn counts_on_filter_pages_map_and_statistics_equal_the_catalog() {
    let root = fixture_root();
    let c = catalog(&root, Some(SUB_PATH_URL));
    let (_tmp, out) = build_site(&root, Some(SUB_PATH_URL));
    let base = &c.base_path;
    let filter_index = read(&out, "filter/index.html");
    for facet in facets(&c) {
        let overview = read(&out, &format!("filter/{}/index.html", facet.id));
        for v in &facet.values {
            let expected = c
                .examples
                .iter()
                .filter(|e| example_values(&e.meta, &facet.id).contains(&v.id))
                .count();
            let rel = format!("filter/{}/{}/", facet.id, v.id);
            let first = read(&out, &format!("{rel}index.html"));
            assert_eq!(heading_count(&first), expected, "{rel}");
            // Cards over all pages.
            let pages = expected.div_ceil(PER_PAGE).max(1);
            let cards: usize = (1..=pages)
                .map(|n| count_cards(&read(&out, &format!("{}index.html", page_path(&rel, n)))))
                .sum();
            assert_eq!(cards, expected, "{rel}");
            assert!(!out
                .join(page_path(&rel, pages + 1))
                .join("index.html")
                .exists());
            // Overview and index show the same number.
            let link = format!("{base}{rel}");
            let needle = format!("({expected})");
            for (name, html) in [("overview", &overview), ("index", &filter_index)] {
                let pos = html
                    .find(&format!("{}\">{}</a>", link, v.label))
                    .or_else(|| (expected == 0).then_some(0))
                    .unwrap_or_else(|| panic!("{name} lacks link {link}"));
                if expected > 0 {
                    let tail = &html[pos..];
                    assert!(
                        tail[..tail.find("</li>").unwrap()].contains(&needle),
                        "{name} count for {rel}"
                    );
                }
            }
        }
    }

    // Map: each Land's link carries the catalog's count.
    let map = read(&out, "karte/index.html");
    for (id, _) in c.vocab.get("bundesland").unwrap() {
        let expected = c
            .examples
            .iter()
            .filter(|e| &e.meta.bundesland == id)
            .count();
        let href = format!("{base}filter/bundesland/{id}/");
        assert_eq!(labelled_count(&map, &href), Some(expected), "map {id}");
    }
    // Points: one per municipality with coordinates (München, Hamburg, Kelheim, Dresden, Mainz).
    assert_eq!(map.matches("<circle class=\"point\"").count(), 5 + 1); // + legend swatch
    assert!(map.contains("aria-label=\"Hamburg: 2 Beispiele\""));
    assert!(map.contains("id=\"ort-hamburg\""));
    assert!(map.contains("MapSVG"));

    // Statistics: bars link to filter pages and carry the catalog's counts.
    let stats = read(&out, "statistik/index.html");
    for (facet, id) in [
        ("status", "pilot"),
        ("status", "regelbetrieb"),
        ("bundesland", "hh"),
        ("bundesland", "by"),
        ("ki_technik", "prognose"),
        ("startjahr", "2022"),
    ] {
        let expected = c
            .examples
            .iter()
            .filter(|e| example_values(&e.meta, facet).iter().any(|v| v == id))
            .count();
        let href = format!("{base}filter/{facet}/{id}/");
        assert_eq!(
            labelled_count(&stats, &href),
            Some(expected),
            "stats {facet}/{id}"
        );
    }
    for f in &c.fields {
        let expected = c.examples_in_field(&f.id).count();
        let href = format!("{base}handlungsfelder/{}/", f.id);
        assert_eq!(labelled_count(&stats, &href), Some(expected), "{}", f.id);
    }
    // Every chart has a text alternative.
    assert_eq!(
        stats.matches("<svg class=\"chart\"").count(),
        stats.matches("<details class=\"chart-table\"").count()
    );
}

#[test]
fn example_page_has_escaped_json_ld_freshness_and_report_link() {
    let root = fixture_root();
    let (_tmp, out) = build_site(&root, None);
    let page = read(&out, "beispiele/hamburg-verkehr/index.html");
    let start = page
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + "<script type=\"application/ld+json\">".len();
    let end = start + page[start..].find("</script>").unwrap();
    let ld: serde_json::Value = serde_json::from_str(&page[start..end]).expect("valid JSON-LD");
    assert_eq!(ld["@type"], "Article");
    assert_eq!(ld["headline"], "Verkehrssteuerung in Hamburg </script>");
    assert_eq!(ld["spatialCoverage"][0]["geo"]["latitude"], 53.551);
    assert_eq!(
        ld["isBasedOn"][0]["url"],
        "https://quelle.example.net/hamburg-verkehr"
    );
    // The fact box, evidence badge and report link.
    assert!(page.contains("class=\"factbox\""));
    assert!(page.contains("badge evidence missing"));
    // "Fehler melden" leads to the submission form, prefilled with this entry.
    assert!(
        page.contains("einreichen/?korrektur=hamburg-verkehr\""),
        "report link"
    );
    assert!(!page.contains("/issues/new?"));

    let stale = read(&out, "beispiele/kiel-wasser/index.html");
    assert!(
        stale.contains("notice stale"),
        "2021 entry is stale against 2025-06-01"
    );
    let fresh = read(&out, "beispiele/muenchen-chatbot/index.html");
    assert!(!fresh.contains("notice stale"));
    assert!(fresh.contains("zuletzt geprüft am 01.06.2025"));
    assert!(fresh.contains("Evidenz: interne Messung") || fresh.contains("Evidenz: "));
}

#[test]
fn pagination_and_sort_orders() {
    // Copy the fixture and add enough pilots to need three pages.
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    for entry in walkdir::WalkDir::new(fixture_root()) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(fixture_root()).unwrap();
        let target = root.join(rel);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    for i in 0..40 {
        std::fs::write(
            root.join(format!("content/beispiele/pilot-{i:02}.md")),
            format!(
                "---\ntitel: \"Pilot {i:02}\"\nkurzbeschreibung: \"Ein Pilot.\"\nkommunen:\n  - name: Ort {i}\nbundesland: nw\nverwaltungsebene: gemeinde\nhandlungsfeld: buergerservice\nstatus: pilot\nki_technik: [klassifikation]\nquellen:\n  - {{ titel: Quelle, url: \"https://quelle.example.net/{i}\" }}\nerfasst_am: 2020-01-{:02}\neinwohner: {}\n---\n\nText.\n",
                i % 28 + 1,
                1000 + i
            ),
        )
        .unwrap();
    }
    let c = catalog(&root, Some(ROOT_URL));
    let (_out_tmp, out) = build_site(&root, Some(ROOT_URL));
    let pilots = c
        .examples
        .iter()
        .filter(|e| e.meta.status == "pilot")
        .count();
    assert_eq!(pilots, 43);
    assert!(out.join("filter/status/pilot/seite/3/index.html").is_file());
    assert!(!out.join("filter/status/pilot/seite/4/").exists());
    let p2 = read(&out, "filter/status/pilot/seite/2/index.html");
    assert!(p2.contains("aria-label=\"Seiten\""));
    assert!(p2.contains("href=\"/filter/status/pilot/\" rel=\"prev\""));
    assert!(p2.contains("href=\"/filter/status/pilot/seite/3/\" rel=\"next\""));
    assert!(p2.contains("aria-current=\"page\"><span class=\"visually-hidden\">Seite </span>2</a>"));

    // The overview: three sort orders, each paginated over all examples.
    let total = c.examples.len();
    for rel in ["beispiele/", "beispiele/neueste/", "beispiele/einwohner/"] {
        let pages = total.div_ceil(PER_PAGE);
        let cards: usize = (1..=pages)
            .map(|n| count_cards(&read(&out, &format!("{}index.html", page_path(rel, n)))))
            .sum();
        assert_eq!(cards, total, "{rel}");
    }
    let newest = read(&out, "beispiele/neueste/index.html");
    let first = newest.find("Chatbot in München").unwrap();
    let later = newest.find("Rufbus im Landkreis Kelheim").unwrap();
    assert!(first < later, "2025-03-01 before 2025-02-20");
    let by_pop = read(&out, "beispiele/einwohner/index.html");
    assert!(
        by_pop.find("Verkehrssteuerung in Hamburg").unwrap()
            < by_pop.find("Chatbot in München").unwrap()
    );
    let report = koki::linkcheck::check_site(&out, "https://example.org/").unwrap();
    assert!(report.broken.is_empty(), "{:?}", report.broken);
}

#[test]
fn fit_page_matrix_and_combinations() {
    let root = fixture_root();
    let c = catalog(&root, Some(ROOT_URL));
    let (_tmp, out) = build_site(&root, Some(ROOT_URL));
    let page = read(&out, "passend/index.html");
    // Every example is in the pre-rendered list with its data attributes.
    assert_eq!(page.matches("data-gemeindetyp=").count(), c.examples.len());
    assert!(page.contains("src=\"/static/js/passend.js\""));
    assert!(!page.contains("<script>"), "no inline script");
    // Combination pages exist exactly where examples exist.
    let big_urban = read(&out, "passend/grossstadt/nicht_laendlich/index.html");
    assert_eq!(heading_count(&big_urban), 3);
    assert_eq!(count_cards(&big_urban), 3);
    assert!(big_urban.contains("id=\"land-hh\""));
    assert!(out
        .join("passend/landgemeinde/sehr_laendlich/index.html")
        .is_file());
    assert!(!out.join("passend/kleinstadt/").exists());
    assert!(out
        .join("passend/ohne-angabe/ohne-angabe/index.html")
        .is_file());
}

#[test]
fn builds_are_byte_identical() {
    let root = fixture_root();
    let (_a, out_a) = build_site(&root, Some(SUB_PATH_URL));
    let (_b, out_b) = build_site(&root, Some(SUB_PATH_URL));
    let a = all_files(&out_a);
    let b = all_files(&out_b);
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(v == &b[k], "{k} differs");
    }
}

#[test]
fn shipped_catalog_links_resolve_under_a_sub_path() {
    let root = repo();
    let (_tmp, out) = build_site(&root, Some("https://kommunen-ki.example/katalog/"));
    let report = koki::linkcheck::check_site(&out, "https://kommunen-ki.example/katalog/").unwrap();
    assert!(
        report.broken.is_empty(),
        "{}",
        report
            .broken
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n")
    );
    // Every Land of the shipped catalog is on the map with its count.
    let c = catalog(&root, Some("https://kommunen-ki.example/katalog/"));
    let map = read(&out, "karte/index.html");
    for (id, _) in c.vocab.get("bundesland").unwrap() {
        let n = c
            .examples
            .iter()
            .filter(|e| &e.meta.bundesland == id)
            .count();
        let href = format!("/katalog/filter/bundesland/{id}/");
        assert_eq!(labelled_count(&map, &href), Some(n), "{id}");
    }
}

#[test]
fn shipped_coordinates_lie_in_their_land() {
    let c = catalog(&repo(), None);
    let outline =
        std::fs::read_to_string(repo().join("themes/default/assets/germany.svg")).unwrap();
    let shapes = koki::map::parse_outline(&outline).unwrap();
    let mut misplaced = Vec::new();
    for e in &c.examples {
        let shape = shapes.iter().find(|s| s.id == e.meta.bundesland).unwrap();
        for (i, k) in e.meta.kommunen.iter().enumerate() {
            if let Some(p) = k.koordinaten {
                let xy = koki::map::project(p.lat, p.lon);
                // The first municipality lies in the example's Land, partners anywhere in
                // Germany; allow ~3 px for coastline and border towns.
                let candidates: Vec<&koki::map::LandShape> = if i == 0 {
                    vec![shape]
                } else {
                    shapes.iter().collect()
                };
                let near = [(0.0, 0.0), (3.0, 0.0), (-3.0, 0.0), (0.0, 3.0), (0.0, -3.0)]
                    .iter()
                    .any(|(dx, dy)| {
                        candidates
                            .iter()
                            .any(|s| koki::map::contains(&s.rings, (xy.0 + dx, xy.1 + dy)))
                    });
                if !near {
                    misplaced.push(format!("{} / {} {:?}", e.id, k.name, p));
                }
            }
        }
    }
    assert!(misplaced.is_empty(), "{misplaced:#?}");
}

#[test]
fn kreis_pages_rank_comparable_places_first_and_explain_why() {
    let (_guard, out) = build_site(&fixture_root(), None);
    // One page per Kreis of the Destatis table, with or without examples.
    let pages = std::fs::read_dir(out.join("passend/kreis"))
        .unwrap()
        .count();
    assert_eq!(pages, koki::places::all().len());
    assert_eq!(pages, 401);

    // A visitor from Kelheim sees the example from their own Kreis first, with the reason.
    let kelheim = read(&out, "passend/kreis/09273/index.html");
    assert!(kelheim.contains("Landkreis Kelheim"), "{kelheim}");
    assert!(kelheim.contains("122.258"), "official population shown");
    assert!(
        kelheim.contains("aus Ihrem Kreis (Landkreis Kelheim)"),
        "{kelheim}"
    );
    let pos = |page: &str, slug: &str| {
        page.find(&format!("/beispiele/{slug}/"))
            .unwrap_or_else(|| panic!("{slug} not listed"))
    };
    assert!(pos(&kelheim, "kelheim-rufbus") < pos(&kelheim, "muenchen-chatbot"));

    // A visitor from Cham (84 Einw./km²): the nearby rural example before the big cities,
    // each with class, density, population and the Kreis it comes from.
    let cham = read(&out, "passend/kreis/09372/index.html");
    assert!(cham.contains("dünn besiedelter ländlicher Kreis"), "{cham}");
    assert!(pos(&cham, "kelheim-rufbus") < pos(&cham, "hamburg-verkehr"));
    assert!(
        cham.contains("anderer Raumtyp: ländlicher Kreis mit Verdichtungsansätzen, 115 Einw./km², 122.258 Einwohner (Landkreis Kelheim)"),
        "{cham}"
    );

    // The overview lists every Kreis without JavaScript.
    let overview = read(&out, "passend/index.html");
    assert!(overview.contains("passend/kreis/09372/"));
    assert!(overview.contains("<details"));
}

#[test]
fn fact_box_shows_official_kreis_facts_with_source() {
    let (_guard, out) = build_site(&fixture_root(), None);
    // A Kreis key (Kelheim) and a kreisfreie Stadt (München).
    let kelheim = read(&out, "beispiele/kelheim-rufbus/index.html");
    assert!(
        kelheim.contains("Landkreis Kelheim: 122.258 Einwohner, 1.065,1 km², 115 Einw./km²"),
        "{kelheim}"
    );
    assert!(kelheim.contains("Statistisches Bundesamt (Destatis)"));
    assert!(
        kelheim.contains("/filter/raumtyp/laendlich_verdichtet/") || kelheim.contains("raumtyp")
    );
    let muenchen = read(&out, "beispiele/muenchen-chatbot/index.html");
    assert!(muenchen.contains("kreisfreie Großstadt"), "{muenchen}");
    assert!(muenchen.contains("1.471.508 Einwohner"), "{muenchen}");
}
