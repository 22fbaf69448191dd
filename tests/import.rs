//! `koki import pstw` on a fixture cut from the Public Sector Tech Watch dataset
//! (`tests/fixtures/pstw/sample.csv`: BOM, original header, twelve real rows: nine German
//! local/regional AI cases, among them multi-line descriptions (paragraphs, trailing line
//! breaks), several organisations, NUTS given only as "DE" and a discontinued chatbot; one German
//! blockchain row with a non-breaking space as End Year; one national German row; one Dutch row).

mod common;
use common::*;
use koki::import::{import_pstw, PstwOptions};
use serde_yaml::Value;
use std::path::{Path, PathBuf};

fn sample() -> PathBuf {
    fixtures().join("pstw/sample.csv")
}

fn s(p: &Path) -> String {
    p.to_string_lossy().into_owned()
}

/// Run `koki import pstw` on `csv` into the site at `root`, dated 2026-03-10.
fn import(csv: &Path, root: &Path, extra: &[&str]) -> std::process::Output {
    let (csv, root) = (s(csv), s(root));
    let mut args = vec![
        "import",
        "pstw",
        &csv,
        "--root",
        &root,
        "--date",
        "2026-03-10",
    ];
    args.extend_from_slice(extra);
    koki(&args)
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// Front matter and body of a generated draft.
fn draft(root: &Path, id: &str) -> (Value, String, String) {
    let text = read(root, &format!("content/beispiele/{id}.md"));
    let rest = text.strip_prefix("---\n").expect("front matter");
    let (yaml, body) = rest.split_once("\n---\n").expect("closing fence");
    (
        serde_yaml::from_str(yaml).expect("valid YAML"),
        body.to_string(),
        text.clone(),
    )
}

fn str_at<'v>(v: &'v Value, path: &[&str]) -> &'v str {
    let mut cur = v;
    for p in path {
        cur = match p.parse::<usize>() {
            Ok(i) => &cur[i],
            Err(_) => &cur[*p],
        };
    }
    cur.as_str()
        .unwrap_or_else(|| panic!("{path:?} is not a string: {cur:?}"))
}

fn list(v: &Value, key: &str) -> Vec<String> {
    v[key]
        .as_sequence()
        .unwrap_or_else(|| panic!("{key} is not a list"))
        .iter()
        .map(|x| x.as_str().unwrap().to_string())
        .collect()
}

fn check_errors(root: &Path) -> (bool, String) {
    let o = koki(&["check", "--root", &s(root)]);
    (o.status.success(), stderr(&o))
}

const DRAFTS: [&str; 9] = [
    "bonn-chatbot-botty",
    "nordrhein-westfalen-ki4lsa-artificial-intelligence-adaptive",
    "singen-weima-dyrias-threat-levels-abusive-male-partners",
    "berlin-bobbi-administration",
    "ingolstadt-artificial-intelligence-s-transport-system",
    "baden-wuerttemberg-f13-llm-used-state-collaboration-aleph-alpha",
    "kreis-recklinghausen-automatic-detection-impervious-surfaces",
    "schleswig-holstein-demenzwegweiser-sh-guide-dementia",
    "ludwigshafen-ai-pilot-public-safety-answering-point-psap",
];

#[test]
fn fixture_keeps_bom_and_header() {
    let bytes = std::fs::read(sample()).unwrap();
    assert!(bytes.starts_with(b"\xef\xbb\xbfPSTW ID,Name,Website,Description,"));
}

#[test]
fn imports_filtered_rows_as_drafts_that_pass_check() {
    let site = site(None);
    let root = site.path();
    let out = import(&sample(), root, &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("12 Zeilen gelesen"), "{report}");
    assert!(
        report.contains(
            "herausgefiltert: 1 anderes Land (--country), 1 andere Ausdehnung (--extent), 1 nicht KI (--all-technologies)"
        ),
        "{report}"
    );
    assert!(report.contains("passend: 9"), "{report}");
    assert!(report.contains("Entwürfe geschrieben: 9"), "{report}");
    for id in DRAFTS {
        assert!(
            root.join(format!("content/beispiele/{id}.md")).is_file(),
            "missing draft {id}\n{report}"
        );
    }
    // The filtered rows (blockchain, national, Dutch) produced nothing.
    let all: String = std::fs::read_dir(root.join("content/beispiele"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    for filtered in ["PSTW-790\n", "PSTW-51\n", "PSTW-72\n"] {
        assert!(!all.contains(&format!("pstw: {filtered}")), "{filtered}");
    }

    let (ok, diags) = check_errors(root);
    assert!(ok, "drafts must pass `koki check`:\n{diags}");
    assert!(diags.contains("0 Fehler"), "{diags}");
}

#[test]
fn maps_the_fields_of_a_simple_row() {
    let site = site(None);
    let root = site.path();
    assert!(import(&sample(), root, &[]).status.success());
    let (v, body, text) = draft(root, "bonn-chatbot-botty");
    assert_eq!(str_at(&v, &["titel"]), "ChatBot Botty Bonn");
    assert!(
        str_at(&v, &["kurzbeschreibung"]).starts_with("The chatbot received a new technical basis")
    );
    assert!(str_at(&v, &["kurzbeschreibung"]).chars().count() <= 400);
    assert_eq!(str_at(&v, &["kommunen", "0", "name"]), "Bonn");
    assert_eq!(str_at(&v, &["kommunen", "0", "rolle"]), "federfuehrend");
    // NUTS is only "DE": the Land comes from the city name, marked as a guess.
    assert_eq!(str_at(&v, &["bundesland"]), "nw");
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "kreisfreie_stadt");
    assert_eq!(str_at(&v, &["handlungsfeld"]), "buergerservice");
    assert_eq!(str_at(&v, &["status"]), "regelbetrieb");
    assert_eq!(list(&v, "ki_technik"), ["sprachverarbeitung"]);
    assert_eq!(v["zeitraum"]["start"].as_i64(), Some(2017));
    assert!(v["zeitraum"].get("ende").is_none());
    assert_eq!(
        str_at(&v, &["quellen", "0", "url"]),
        "https://codeforbonnrheinsieg.de/wer-entwickelt-den-chatbot-bonn-weiter-mit/"
    );
    assert_eq!(str_at(&v, &["quellen", "0", "titel"]), "ChatBot Botty Bonn");
    assert_eq!(str_at(&v, &["quellen", "0", "abgerufen"]), "2026-03-04");
    assert_eq!(
        v["quellen"].as_sequence().unwrap().len(),
        1,
        "„IPSO DB“ is no URL"
    );
    assert_eq!(str_at(&v, &["externe_ids", "pstw"]), "PSTW-601");
    assert_eq!(str_at(&v, &["redaktionsstatus"]), "eingereicht");
    assert_eq!(str_at(&v, &["erfasst_am"]), "2026-03-10");
    assert_eq!(list(&v, "interaktion"), ["buerger"]);

    assert!(text.contains("# TODO: auf Deutsch übersetzen (englischer Name aus PSTW)\ntitel:"));
    assert!(text.contains("# TODO: auf Deutsch übersetzen und in einfacher Sprache"));
    assert!(text.contains("# bitte prüfen: NUTS „DE“ nennt kein Land"));
    assert!(text.contains("# bitte prüfen: geschätzt aus „City of Bonn“\nverwaltungsebene:"));
    assert!(body.contains("## Originalbeschreibung (PSTW, englisch)\n\n> The chatbot received"));
    assert!(body.contains(
        "*Grundlage: Public Sector Tech Watch (PSTW-601), Europäische Kommission, Gemeinsame Forschungsstelle (JRC), CC BY 4.0*"
    ));
}

#[test]
fn maps_several_organisations_status_and_years() {
    let site = site(None);
    let root = site.path();
    assert!(import(&sample(), root, &[]).status.success());

    // "Municipalities of Bielefeld, Gütersloh, Lemgo, Neuss, Rheine and Soest", NUTS DEA.
    let (v, _, text) = draft(root, DRAFTS[1]);
    let names: Vec<&str> = v["kommunen"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|k| k["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "Bielefeld",
            "Gütersloh",
            "Lemgo",
            "Neuss",
            "Rheine",
            "Soest"
        ]
    );
    assert_eq!(str_at(&v, &["kommunen", "0", "rolle"]), "federfuehrend");
    for i in 1..6 {
        assert_eq!(v["kommunen"][i]["rolle"].as_str(), Some("beteiligt"));
    }
    assert_eq!(str_at(&v, &["bundesland"]), "nw");
    assert!(
        !text.contains("NUTS „DEA“"),
        "NUTS DEA maps without a guess"
    );
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "interkommunal");
    assert_eq!(str_at(&v, &["handlungsfeld"]), "mobilitaet-verkehr");
    assert_eq!(str_at(&v, &["status"]), "pilot");
    assert_eq!(v["zeitraum"]["start"].as_i64(), Some(2020));
    assert_eq!(v["zeitraum"]["ende"].as_i64(), Some(2022));
    assert_eq!(list(&v, "ki_technik"), ["bilderkennung"]);

    // "Cities of Singen and Weima" (sic), two source URLs on two lines.
    let (v, _, _) = draft(root, DRAFTS[2]);
    assert_eq!(
        str_at(&v, &["kommunen", "0", "name"]),
        "Singen (Hohentwiel)"
    );
    assert_eq!(str_at(&v, &["kommunen", "1", "name"]), "Weima");
    assert_eq!(str_at(&v, &["kommunen", "1", "rolle"]), "beteiligt");
    let urls: Vec<&str> = v["quellen"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|q| q["url"].as_str().unwrap())
        .collect();
    assert_eq!(
        urls,
        [
            "https://automatingsociety.algorithmwatch.org/report2020/germany/",
            "https://second.wiki/wiki/dyrias"
        ],
        "duplicates of the website are dropped"
    );

    // "Not in use" → eingestellt with a placeholder reason the editor must replace.
    let (v, _, text) = draft(root, DRAFTS[3]);
    assert_eq!(str_at(&v, &["status"]), "eingestellt");
    assert!(str_at(&v, &["status_grund"]).contains("noch zu ergänzen"));
    assert!(text.contains("# TODO: Grund der Einstellung"));
    assert_eq!(v["zeitraum"]["ende"].as_i64(), Some(2024));

    // A description with a trailing line break; the category says "Consortium".
    let (v, body, _) = draft(root, DRAFTS[4]);
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "kreisfreie_stadt");
    assert_eq!(str_at(&v, &["bundesland"]), "by");
    assert!(body.contains(
        "dangerous situations visually and acoustically was also developed.\n\n*Grundlage"
    ));

    // A multi-line description stays in paragraphs inside the quote.
    let (v, body, _) = draft(root, DRAFTS[8]);
    assert!(
        body.contains("simulated cases.\n>\n> Participants rated"),
        "paragraphs kept:\n{body}"
    );
    assert_eq!(
        str_at(&v, &["kommunen", "0", "name"]),
        "Integrated Control Centre in Ludwigshafen"
    );
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "kreisfreie_stadt");
    assert_eq!(str_at(&v, &["bundesland"]), "rp");
    assert_eq!(v["zeitraum"]["start"].as_i64(), Some(2024));
    assert_eq!(v["zeitraum"]["ende"].as_i64(), Some(2024));

    // A Land body with a large language model: generative_ki, verwaltungsebene land.
    let (v, body, _) = draft(root, DRAFTS[5]);
    assert_eq!(
        str_at(&v, &["kommunen", "0", "name"]),
        "Land Baden-Württemberg"
    );
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "land");
    assert_eq!(str_at(&v, &["bundesland"]), "bw");
    assert!(list(&v, "ki_technik").contains(&"generative_ki".to_string()));
    assert!(v["quellen"].as_sequence().unwrap().len() >= 2);
    assert!(body.contains("> The system, F13, was developed primarily by the Heidelberg-based AI start-up Aleph Alpha"), "{body}");

    // "District of Recklinghausen", NUTS DEA3.
    let (v, _, _) = draft(root, DRAFTS[6]);
    assert_eq!(
        str_at(&v, &["kommunen", "0", "name"]),
        "Kreis Recklinghausen"
    );
    assert_eq!(str_at(&v, &["verwaltungsebene"]), "landkreis");
    assert_eq!(str_at(&v, &["bundesland"]), "nw");
    assert!(list(&v, "ki_technik").contains(&"bilderkennung".to_string()));

    // Only "Machine learning": a marked guess.
    let (v, _, text) = draft(root, DRAFTS[7]);
    assert_eq!(list(&v, "ki_technik"), ["prognose"]);
    assert!(text.contains("# bitte prüfen: PSTW nennt nur „Machine learning“"));
    assert_eq!(str_at(&v, &["bundesland"]), "sh");
}

#[test]
fn handlungsfeld_uses_the_action_fields_cofog_codes() {
    // The real catalog's twelve action fields.
    let site = site(None);
    let root = site.path();
    std::fs::remove_dir_all(root.join("content/handlungsfelder")).unwrap();
    copy_tree(
        &repo_root().join("content/handlungsfelder"),
        &root.join("content/handlungsfelder"),
    );
    let mut opts = PstwOptions::new(sample(), root);
    opts.date = "2026-03-10".into();
    opts.dry_run = true;
    let report = import_pstw(&opts).unwrap();
    assert_eq!(report.written.len(), 9);
    assert!(
        !root
            .join("content/beispiele")
            .join(format!("{}.md", DRAFTS[0]))
            .exists(),
        "dry run writes nothing"
    );
    opts.dry_run = false;
    import_pstw(&opts).unwrap();
    let field = |id: &str| str_at(&draft(root, id).0, &["handlungsfeld"]).to_string();
    // 04.5 Transport → mobilitaet-verkehr (exact code).
    assert_eq!(field(DRAFTS[1]), "mobilitaet-verkehr");
    // 10.9 Social protection n.e.c. → soziales-jugend (division 10 listed as a whole).
    assert_eq!(field(DRAFTS[2]), "soziales-jugend");
    // 01.6 n.e.c. with a citizen chatbot → buergerservice.
    assert_eq!(field(DRAFTS[0]), "buergerservice");
    // 05.4 Protection of biodiversity and landscape → umwelt-klima.
    assert_eq!(field(DRAFTS[6]), "umwelt-klima");
    // 07.4 Public health services → gesundheit-pflege.
    assert_eq!(field(DRAFTS[7]), "gesundheit-pflege");
    let (ok, diags) = check_errors(root);
    assert!(ok, "{diags}");
}

#[test]
fn never_overwrites_and_skips_known_pstw_ids() {
    let site = site(None);
    let root = site.path();
    // A file that takes the name of the Bonn draft, without a PSTW id.
    let taken = root.join(format!("content/beispiele/{}.md", DRAFTS[0]));
    std::fs::copy(root.join("content/beispiele/kleindorf-chatbot.md"), &taken).unwrap();
    let before = std::fs::read(&taken).unwrap();

    let first = import(&sample(), root, &[]);
    assert!(first.status.success(), "{}", stderr(&first));
    let report = stdout(&first);
    assert!(report.contains("Entwürfe geschrieben: 8"), "{report}");
    assert!(
        report.contains("existiert bereits (nicht überschrieben)"),
        "{report}"
    );
    assert_eq!(
        std::fs::read(&taken).unwrap(),
        before,
        "existing file untouched"
    );

    // Second run: every PSTW id is known now; nothing is written or changed.
    let snapshot = read_tree(&root.join("content"));
    let second = import(&sample(), root, &[]);
    assert!(second.status.success(), "{}", stderr(&second));
    let report = stdout(&second);
    assert!(report.contains("Entwürfe geschrieben: 0"), "{report}");
    assert!(report.contains("PSTW-Kennung steht schon in"), "{report}");
    assert_eq!(read_tree(&root.join("content")), snapshot);
}

#[test]
fn reports_every_unmapped_value() {
    let site = site(None);
    let root = site.path();
    let mut opts = PstwOptions::new(sample(), root);
    opts.date = "2026-03-10".into();
    let report = import_pstw(&opts).unwrap();
    let has = |pstw: &str, column: &str, value: &str| {
        report
            .unmapped
            .iter()
            .any(|u| u.pstw == pstw && u.column == column && u.value == value && u.line > 1)
    };
    assert!(has("PSTW-601", "NUTS 2021", "DE"));
    assert!(has("PSTW-601", "Source", "IPSO DB"));
    assert!(has("PSTW-440", "NUTS 2021", "DE"));
    assert!(has(
        "PSTW-1373",
        "AI Classification Subdomain (II) (main)",
        "Machine learning"
    ));
    // Values that map cleanly are not reported.
    assert!(!report
        .unmapped
        .iter()
        .any(|u| u.pstw == "PSTW-1015" && u.column == "NUTS 2021"));
    let by_column = report.unmapped_by_column();
    assert_eq!(by_column.get("NUTS 2021"), Some(&6));
    let text = report.render();
    assert!(
        text.contains("PSTW-601 (Zeile 2) NUTS 2021: „DE“ → `nw` aus Organisation/Name geschätzt"),
        "{text}"
    );
    assert!(text.contains("  NUTS 2021: 6\n"), "{text}");
}

#[test]
fn filters_are_options() {
    let site = site(None);
    let root = site.path();
    let run = |countries: &[&str], extents: &[&str], all: bool| {
        let mut o = PstwOptions::new(sample(), root);
        o.countries = countries.iter().map(|s| s.to_string()).collect();
        o.extents = extents.iter().map(|s| s.to_string()).collect();
        o.all_technologies = all;
        o.dry_run = true;
        import_pstw(&o).unwrap()
    };
    let ids = |r: &koki::import::ImportReport| -> Vec<String> {
        r.written.iter().map(|d| d.pstw.clone()).collect()
    };
    assert_eq!(ids(&run(&["Germany"], &["National"], false)), ["PSTW-51"]);
    assert_eq!(ids(&run(&["netherlands"], &["local"], false)), ["PSTW-72"]);
    let all = run(&["Germany"], &["Local", "Regional"], true);
    assert_eq!(all.matched, 10);
    assert!(ids(&all).contains(&"PSTW-790".to_string()));
    // The blockchain row's End Year is a non-breaking space: no end, nothing to report.
    assert!(!all.unmapped.iter().any(|u| u.column == "End Year"));
}

#[test]
fn odd_rows_get_valid_placeholders_and_never_panic() {
    let site = site(None);
    let root = site.path();
    let header = std::fs::read_to_string(sample())
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .to_string();
    let cols = header.split(',').count();
    let row = |cells: &[(usize, &str)]| {
        let mut v = vec![String::new(); cols];
        for (i, c) in cells {
            v[*i] = format!("\"{}\"", c.replace('"', "\"\""));
        }
        v.join(",")
    };
    // Column indices in the PSTW header.
    let (
        id,
        name,
        web,
        desc,
        extent,
        country,
        nuts,
        org,
        cat,
        cofog1,
        cofog2,
        status,
        start,
        end,
        tech,
        ai,
    ) = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 18, 41);
    let mut csv = format!("{header}\n");
    // Nothing but the filter columns: every required field needs a placeholder.
    csv += &row(&[
        (id, "PSTW-9001"),
        (extent, "Local"),
        (country, "Germany"),
        (tech, "Artificial Intelligence"),
    ]);
    csv += "\n";
    // Odd values everywhere.
    csv += &row(&[
        (id, "pstw-9002"),
        (name, "A name that is far too long for a title because it goes on and on and on and on and on and on and on"),
        (web, "www.example.org, not a URL"),
        (desc, "Line one.\r\n\r\n# Not a heading\n- not a list\nTODO not a placeholder [x](y.md) <b>"),
        (extent, " Regional "),
        (country, "Germany "),
        (nuts, "DEZZ"),
        (org, "Some Association; and others"),
        (cat, "Community led"),
        (cofog1, "Defence"),
        (cofog2, "Something unheard of"),
        (status, "Maybe"),
        (start, "soon"),
        (end, "2019"),
        (tech, "artificial intelligence"),
        (ai, "Telepathy"),
    ]);
    csv += "\n";
    // Missing PSTW ID: skipped and reported.
    csv += &row(&[
        (name, "No id"),
        (extent, "Local"),
        (country, "Germany"),
        (tech, "Artificial Intelligence"),
    ]);
    csv += "\n";
    // A short row (fewer fields than the header).
    csv += "PSTW-9003,Short row,https://example.org/,Desc,Local,Germany\n";
    // End before start.
    csv += &row(&[
        (id, "PSTW-9004"),
        (name, "Backwards"),
        (extent, "Local"),
        (country, "Germany"),
        (tech, "Artificial Intelligence"),
        (org, "City of Ulm"),
        (start, "2022"),
        (end, "2020"),
        (status, "Implemented"),
    ]);
    csv += "\n";
    let mut bytes = csv.into_bytes();
    // Invalid UTF-8 inside a quoted cell.
    bytes.extend_from_slice(
        b"PSTW-9005,Bad \xff bytes,,,Local,Germany,,,,,,,,,,,,,Artificial Intelligence\n",
    );
    let file = root.join("odd.csv");
    std::fs::write(&file, bytes).unwrap();

    // All technologies, so that the short row without "Primary Technology" is imported too.
    let out = import(&file, root, &["--all-technologies"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let report = stdout(&out);
    assert!(report.contains("Entwürfe geschrieben: 5"), "{report}");
    assert!(report.contains("keine PSTW ID"), "{report}");
    for needle in [
        "Functions of Government (COFOG level II): „Something unheard of“",
        "Status: „Maybe“ → Platzhalter `planung`",
        "Start Year: „soon“",
    ] {
        assert!(report.contains(needle), "missing {needle}\n{report}");
    }
    assert!(report.contains("„Telepathy“"), "{report}");
    assert!(
        report.contains("End Year: „2020“ → liegt vor dem Startjahr 2022"),
        "{report}"
    );
    assert!(
        report.contains("Responsible organisation category: „Community led“"),
        "{report}"
    );
    // The drafts are valid content: placeholders are valid values, TODOs are comments.
    let (ok, diags) = check_errors(root);
    assert!(ok, "{diags}\n{report}");
    let text: String = std::fs::read_dir(root.join("content/beispiele"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .collect();
    assert!(text.contains("pstw: PSTW-9002"), "ids are normalised");
    assert!(
        text.contains("> \\# Not a heading"),
        "Markdown in the original is escaped"
    );
}

#[test]
fn missing_columns_and_bad_dates_are_usage_errors() {
    let site = site(None);
    let root = site.path();
    let file = root.join("other.csv");
    std::fs::write(&file, "a,b\n1,2\n").unwrap();
    let out = import(&file, root, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("PSTW ID"), "{}", stderr(&out));
    let out = import(&sample(), root, &["--retrieved", "04.03.2026"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--retrieved"), "{}", stderr(&out));
}
