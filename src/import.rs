//! `koki import pstw`: turn rows of the Public Sector Tech Watch dataset (European Commission,
//! JRC, CC BY 4.0) into draft example files for editors.
//!
//! A draft is valid content (it passes `koki check` without errors) but is marked for editing:
//! the title and summary are the English originals with a `# TODO: auf Deutsch übersetzen`
//! comment, guessed values carry a `# bitte prüfen` comment, required values that could not be
//! derived from the row get a valid placeholder with a `# TODO` comment, and the English
//! description is kept in the body under `## Originalbeschreibung (PSTW, englisch)`.
//!
//! Nothing is ever overwritten: a row whose PSTW id already appears in the target directory is
//! skipped, and so is a row whose file name is taken. Every value the importer could not map is
//! listed in the [`ImportReport`] with row, column and value.
//!
//! Mapping tables (COFOG names, AI subdomains, place names) live in this module; the action
//! fields' `cofog` codes and the vocabulary's `mappings.nuts` are read from the site.

use crate::load;
use crate::model::{Example, Kommune, Quelle, Zeitraum};
use koki_text::{cut_at_hyphen as cut_slug, slugify as slug};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Snapshot date of the PSTW dataset shipped in `../shared/data/pstw/`.
pub const DEFAULT_RETRIEVED: &str = "2026-03-04";

/// Longest file stem the importer generates.
const MAX_ID_CHARS: usize = 70;

// ---------------------------------------------------------------------------------------------
// Options, report, errors

/// Errors that stop an import. Odd rows never do; they end up in the report.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("CSV-Datei `{path}` nicht lesbar")]
    ReadCsv {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("CSV-Datei `{path}` fehlerhaft")]
    Csv { path: PathBuf, source: csv::Error },
    #[error("der CSV-Datei fehlt die Spalte „{0}“ (ist es der PSTW-Datensatz?)")]
    MissingColumn(&'static str),
    #[error("Site unter `{root}` nicht lesbar: {message}")]
    Site { root: PathBuf, message: String },
    #[error("ungültiges Datum für --{option}: „{value}“ (erwartet JJJJ-MM-TT)")]
    InvalidDate { option: &'static str, value: String },
    #[error("Zielverzeichnis `{path}` nicht nutzbar")]
    OutDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("`{path}` konnte nicht geschrieben werden")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("YAML konnte nicht erzeugt werden: {0}")]
    Yaml(#[from] serde_yaml::Error),
}

/// What to import and where to.
#[derive(Debug, Clone)]
pub struct PstwOptions {
    /// The PSTW CSV file.
    pub csv: PathBuf,
    /// Site root; its `content/vokabular.yaml` and `content/handlungsfelder/` drive the mapping.
    pub root: PathBuf,
    /// Target directory of the drafts.
    pub out: PathBuf,
    /// Accepted values of "Geographical coverage (country)" (case-insensitive).
    pub countries: Vec<String>,
    /// Accepted values of "Geographical extent" (case-insensitive).
    pub extents: Vec<String>,
    /// Also import rows whose technology is not artificial intelligence.
    pub all_technologies: bool,
    /// `abgerufen` of the sources: the snapshot date of the dataset (YYYY-MM-DD).
    pub retrieved: String,
    /// `erfasst_am` of the drafts (YYYY-MM-DD).
    pub date: String,
    /// Map and report, but write nothing.
    pub dry_run: bool,
}

impl PstwOptions {
    /// Defaults of the command line: Germany, Local and Regional, AI only, into
    /// `<root>/content/beispiele`, retrieved 2026-03-04, dated `SOURCE_DATE_EPOCH` or today.
    pub fn new(csv: impl Into<PathBuf>, root: impl Into<PathBuf>) -> Self {
        let root = root.into();
        PstwOptions {
            csv: csv.into(),
            out: root.join("content").join("beispiele"),
            root,
            countries: vec!["Germany".into()],
            extents: vec!["Local".into(), "Regional".into()],
            all_technologies: false,
            retrieved: DEFAULT_RETRIEVED.into(),
            date: crate::check::reference_date().to_string(),
            dry_run: false,
        }
    }
}

/// A value from the CSV that could not be mapped (or only by a guess or placeholder).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unmapped {
    /// PSTW id of the row (or `Zeile N` when the row has none).
    pub pstw: String,
    /// 1-based line of the row's start in the CSV file.
    pub line: u64,
    /// Column header as in the CSV.
    pub column: String,
    /// The value (trimmed).
    pub value: String,
    /// What the importer did instead (German).
    pub action: String,
}

/// One draft written (or, in a dry run, that would be written).
#[derive(Debug, Clone)]
pub struct Draft {
    pub pstw: String,
    pub id: String,
    pub path: PathBuf,
    /// Fields the editor must complete or check (German notes).
    pub todos: Vec<String>,
}

/// A row that matched the filters but produced no file.
#[derive(Debug, Clone)]
pub struct Skipped {
    pub pstw: String,
    pub line: u64,
    pub reason: String,
}

/// Everything an import did, for the summary and for tests.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    pub rows_read: usize,
    pub filtered_country: usize,
    pub filtered_extent: usize,
    pub filtered_technology: usize,
    /// Rows that passed all filters.
    pub matched: usize,
    pub written: Vec<Draft>,
    /// PSTW id already present in an example of the target directory (or twice in the CSV).
    pub skipped_existing: Vec<Skipped>,
    /// The target file exists already (never overwritten).
    pub skipped_file_exists: Vec<Skipped>,
    /// Rows without a PSTW id.
    pub skipped_invalid: Vec<Skipped>,
    pub unmapped: Vec<Unmapped>,
    pub dry_run: bool,
    pub out: PathBuf,
}

impl ImportReport {
    /// Number of unmapped values per column, sorted by column name.
    pub fn unmapped_by_column(&self) -> BTreeMap<String, usize> {
        let mut m = BTreeMap::new();
        for u in &self.unmapped {
            *m.entry(u.column.clone()).or_insert(0) += 1;
        }
        m
    }

    /// Human-readable summary (German), as printed by `koki import pstw`.
    pub fn render(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "PSTW-Import: {} Zeilen gelesen", self.rows_read);
        let _ = writeln!(
            s,
            "  herausgefiltert: {} anderes Land (--country), {} andere Ausdehnung (--extent), {} nicht KI (--all-technologies)",
            self.filtered_country, self.filtered_extent, self.filtered_technology
        );
        let _ = writeln!(s, "  passend: {}", self.matched);
        let verb = if self.dry_run {
            "würden geschrieben (Probelauf)"
        } else {
            "geschrieben"
        };
        let _ = writeln!(
            s,
            "  Entwürfe {verb}: {} nach {}",
            self.written.len(),
            self.out.display()
        );
        for d in &self.written {
            let _ = writeln!(s, "    {} → {}", d.pstw, d.path.display());
            for t in &d.todos {
                let _ = writeln!(s, "        - {t}");
            }
        }
        let skipped: Vec<&Skipped> = self
            .skipped_existing
            .iter()
            .chain(&self.skipped_file_exists)
            .chain(&self.skipped_invalid)
            .collect();
        if !skipped.is_empty() {
            let _ = writeln!(s, "  übersprungen: {}", skipped.len());
            for k in skipped {
                let _ = writeln!(s, "    {} (Zeile {}): {}", k.pstw, k.line, k.reason);
            }
        }
        if self.unmapped.is_empty() {
            let _ = writeln!(s, "Alle Werte zugeordnet.");
        } else {
            let _ = writeln!(
                s,
                "Nicht (sicher) zugeordnete Werte: {}",
                self.unmapped.len()
            );
            for (col, n) in self.unmapped_by_column() {
                let _ = writeln!(s, "  {col}: {n}");
            }
            for u in &self.unmapped {
                let _ = writeln!(
                    s,
                    "  {} (Zeile {}) {}: „{}“ → {}",
                    u.pstw,
                    u.line,
                    u.column,
                    shorten(&u.value, 80),
                    u.action
                );
            }
        }
        s
    }
}

// ---------------------------------------------------------------------------------------------
// CSV columns

const COL_ID: &str = "PSTW ID";
const COL_NAME: &str = "Name";
const COL_WEBSITE: &str = "Website";
const COL_DESCRIPTION: &str = "Description";
const COL_EXTENT: &str = "Geographical extent";
const COL_COUNTRY: &str = "Geographical coverage (country)";
const COL_NUTS: &str = "NUTS 2021";
const COL_ORG: &str = "Responsible organisation";
const COL_ORG_CATEGORY: &str = "Responsible organisation category";
const COL_COFOG1: &str = "Functions of Government (COFOG level I)";
const COL_COFOG2: &str = "Functions of Government (COFOG level II)";
const COL_STATUS: &str = "Status";
const COL_START: &str = "Start Year";
const COL_END: &str = "End Year";
const COL_PRIMARY_TECH: &str = "Primary Technology";
const COL_SECONDARY_TECH: &str = "Secondary Technology";
const COL_INTERACTION: &str = "Interaction";
const COL_SOURCE: &str = "Source";
const COL_AI_MAIN: &str = "AI Classification Subdomain (II) (main)";
const COL_AI_OTHER: [&str; 3] = [
    "AI Classification Subdomain (II) (Other I)",
    "AI Classification Subdomain (II) (Other II)",
    "AI Classification Subdomain (II) (Other III)",
];
const COL_AI_KEYWORDS: &str = "AI Keywords";
const COL_DATE_UPDATED: &str = "Date updated";

const REQUIRED_COLUMNS: [&str; 4] = [COL_ID, COL_NAME, COL_EXTENT, COL_COUNTRY];

/// Header name → index, matched trimmed and case-insensitively (the dataset has " Status").
struct Columns(BTreeMap<String, usize>);

impl Columns {
    fn new(headers: &csv::ByteRecord) -> Self {
        let mut m = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            let h = clean(&String::from_utf8_lossy(h)).to_lowercase();
            m.entry(h).or_insert(i);
        }
        Columns(m)
    }

    fn index(&self, name: &str) -> Option<usize> {
        self.0.get(&name.to_lowercase()).copied()
    }
}

/// One CSV row with cleaned cell values.
struct Row<'c> {
    cols: &'c Columns,
    cells: Vec<String>,
    line: u64,
}

impl Row<'_> {
    /// Cell value: non-breaking spaces replaced, trimmed; "" when the column or cell is missing.
    fn get(&self, column: &str) -> &str {
        self.cols
            .index(column)
            .and_then(|i| self.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Replace non-breaking spaces and trim.
fn clean(s: &str) -> String {
    s.replace(['\u{a0}', '\u{feff}'], " ").trim().to_string()
}

fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn matches_any(value: &str, accepted: &[String]) -> bool {
    let v = collapse_ws(value).to_lowercase();
    accepted.iter().any(|a| collapse_ws(a).to_lowercase() == v)
}

// ---------------------------------------------------------------------------------------------
// The site: vocabulary and action fields

/// What the importer needs from the site.
struct Site {
    /// NUTS level-1 code (`DE1`) → bundesland id.
    nuts: BTreeMap<String, String>,
    bundeslaender: BTreeSet<String>,
    /// Action fields in display order: (id, cofog codes, reihenfolge).
    fields: Vec<(String, Vec<String>, i32)>,
    /// Vocabulary ids per vocabulary, for checking table targets.
    vocab: BTreeMap<String, BTreeSet<String>>,
}

impl Site {
    fn load(root: &Path) -> Result<Site, ImportError> {
        let (loaded, diags) = load::load(root);
        let Some(vocab) = loaded.vocab else {
            return Err(ImportError::Site {
                root: root.to_path_buf(),
                message: format!(
                    "`content/vokabular.yaml` fehlt oder ist fehlerhaft ({})",
                    diags.summary()
                ),
            });
        };
        let mut nuts = BTreeMap::new();
        let mut bundeslaender = BTreeSet::new();
        if let Some(bl) = vocab.meta.get("bundesland") {
            for (id, e) in bl {
                bundeslaender.insert(id.clone());
                if let Some(code) = e.mappings.get("nuts") {
                    nuts.insert(code.trim().to_uppercase(), id.clone());
                }
            }
        }
        let mut fields: Vec<(String, Vec<String>, i32)> = loaded
            .fields
            .iter()
            .map(|f| (f.id.clone(), f.meta.cofog.clone(), f.meta.reihenfolge))
            .collect();
        fields.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
        if fields.is_empty() || bundeslaender.is_empty() {
            return Err(ImportError::Site {
                root: root.to_path_buf(),
                message: "keine Handlungsfelder oder kein Vokabular `bundesland` gefunden".into(),
            });
        }
        let vocab = vocab
            .meta
            .iter()
            .map(|(name, entries)| (name.clone(), entries.keys().cloned().collect()))
            .collect();
        Ok(Site {
            nuts,
            bundeslaender,
            fields,
            vocab,
        })
    }

    fn has(&self, vocabulary: &str, id: &str) -> bool {
        self.vocab.get(vocabulary).is_some_and(|s| s.contains(id))
    }
}

// ---------------------------------------------------------------------------------------------
// Entry point

/// Import the rows of `opts.csv` that pass the filters as drafts into `opts.out`.
pub fn import_pstw(opts: &PstwOptions) -> Result<ImportReport, ImportError> {
    for (option, value) in [("retrieved", &opts.retrieved), ("date", &opts.date)] {
        if !crate::validate::is_date(value) {
            return Err(ImportError::InvalidDate {
                option,
                value: value.clone(),
            });
        }
    }
    let site = Site::load(&opts.root)?;
    let bytes = std::fs::read(&opts.csv).map_err(|source| ImportError::ReadCsv {
        path: opts.csv.clone(),
        source,
    })?;
    // The dataset starts with a UTF-8 byte order mark; strip it so the first header is clean.
    let data = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(&bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(true)
        .from_reader(data);
    let headers = reader
        .byte_headers()
        .map_err(|source| ImportError::Csv {
            path: opts.csv.clone(),
            source,
        })?
        .clone();
    let cols = Columns::new(&headers);
    for c in REQUIRED_COLUMNS {
        if cols.index(c).is_none() {
            return Err(ImportError::MissingColumn(c));
        }
    }

    let mut existing = existing_pstw_ids(&opts.out);
    if !opts.dry_run {
        std::fs::create_dir_all(&opts.out).map_err(|source| ImportError::OutDir {
            path: opts.out.clone(),
            source,
        })?;
    }
    let mut report = ImportReport {
        dry_run: opts.dry_run,
        out: opts.out.clone(),
        ..Default::default()
    };
    let mut taken_ids: BTreeSet<String> = BTreeSet::new();

    for record in reader.byte_records() {
        let record = record.map_err(|source| ImportError::Csv {
            path: opts.csv.clone(),
            source,
        })?;
        report.rows_read += 1;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        let row = Row {
            cols: &cols,
            cells: record
                .iter()
                .map(|c| clean(&String::from_utf8_lossy(c)))
                .collect(),
            line,
        };
        if !matches_any(row.get(COL_COUNTRY), &opts.countries) {
            report.filtered_country += 1;
            continue;
        }
        if !matches_any(row.get(COL_EXTENT), &opts.extents) {
            report.filtered_extent += 1;
            continue;
        }
        if !opts.all_technologies && !is_ai(&row) {
            report.filtered_technology += 1;
            continue;
        }
        report.matched += 1;

        let pstw = normalize_pstw(row.get(COL_ID));
        if pstw.is_empty() {
            report.skipped_invalid.push(Skipped {
                pstw: format!("Zeile {line}"),
                line,
                reason: "keine PSTW ID".into(),
            });
            report.unmapped.push(Unmapped {
                pstw: format!("Zeile {line}"),
                line,
                column: COL_ID.into(),
                value: String::new(),
                action: "Zeile übersprungen".into(),
            });
            continue;
        }
        if let Some(file) = existing.get(&pstw) {
            report.skipped_existing.push(Skipped {
                pstw: pstw.clone(),
                line,
                reason: format!("PSTW-Kennung steht schon in `{}`", file.display()),
            });
            continue;
        }

        let mut mapped = map_row(&row, &pstw, &site, opts);
        report.unmapped.append(&mut mapped.unmapped);

        // File name: unique within this run; an existing file is never touched.
        let mut id = mapped.id.clone();
        if taken_ids.contains(&id) {
            id = fit_id(&format!("{id}-{}", pstw.to_lowercase()));
        }
        let md = opts.out.join(format!("{id}.md"));
        let yaml = opts.out.join(format!("{id}.yaml"));
        if md.exists() || yaml.exists() {
            let which = if md.exists() { &md } else { &yaml };
            report.skipped_file_exists.push(Skipped {
                pstw: pstw.clone(),
                line,
                reason: format!(
                    "Datei `{}` existiert bereits (nicht überschrieben)",
                    which.display()
                ),
            });
            continue;
        }
        let text = render_draft(&mapped)?;
        if !opts.dry_run {
            write_new(&md, &text)?;
        }
        taken_ids.insert(id.clone());
        existing.insert(pstw.clone(), md.clone());
        report.written.push(Draft {
            pstw,
            id,
            path: md,
            todos: mapped.todos,
        });
    }
    Ok(report)
}

/// Create `path` with `text`; fails if it exists (no overwrite, even in a race).
fn write_new(path: &Path, text: &str) -> Result<(), ImportError> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| ImportError::Write {
            path: path.to_path_buf(),
            source,
        })?;
    f.write_all(text.as_bytes())
        .map_err(|source| ImportError::Write {
            path: path.to_path_buf(),
            source,
        })
}

/// `PSTW-1234` from `pstw-1234`, ` PSTW-1234 ` or `1234`.
fn normalize_pstw(raw: &str) -> String {
    let v = collapse_ws(raw).to_uppercase();
    if v.is_empty() {
        return v;
    }
    if v.bytes().all(|b| b.is_ascii_digit()) {
        return format!("PSTW-{v}");
    }
    v
}

fn is_ai(row: &Row<'_>) -> bool {
    [COL_PRIMARY_TECH, COL_SECONDARY_TECH].iter().any(|c| {
        row.get(c)
            .to_lowercase()
            .contains("artificial intelligence")
    })
}

/// PSTW ids of the examples already in `dir` (`externe_ids.pstw`), with their files.
fn existing_pstw_ids(dir: &Path) -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    let Ok(read) = std::fs::read_dir(dir) else {
        return out;
    };
    let mut paths: Vec<PathBuf> = read.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if load::is_ignored_name(&name)
            || !(name.ends_with(".md") || name.ends_with(".yaml") || name.ends_with(".yml"))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        let text = crate::frontmatter::strip_bom(&text);
        let yaml = if name.ends_with(".md") {
            crate::frontmatter::split(text)
                .map(|s| s.yaml)
                .unwrap_or("")
        } else {
            text
        };
        let from_yaml = crate::yaml::parse_value(yaml).ok().and_then(|v| {
            v.get("externe_ids")
                .and_then(|e| e.get("pstw"))
                .and_then(|p| match p {
                    serde_yaml::Value::String(s) => Some(s.clone()),
                    serde_yaml::Value::Number(n) => Some(n.to_string()),
                    _ => None,
                })
        });
        // A file that does not parse still counts: look for a `pstw:` line.
        let id = from_yaml.or_else(|| {
            yaml.lines().filter(|l| l.contains("pstw")).find_map(|l| {
                let at = l.to_ascii_uppercase().find("PSTW-")?;
                let digits: String = l[at + 5..]
                    .chars()
                    .take_while(|c| c.is_ascii_digit())
                    .collect();
                (!digits.is_empty()).then(|| format!("PSTW-{digits}"))
            })
        });
        if let Some(id) = id {
            out.entry(normalize_pstw(&id)).or_insert(path);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Mapping one row

/// A row turned into an example plus everything the editor must know about it.
struct Mapped {
    id: String,
    pstw: String,
    example: Example,
    /// Comment lines to put above top-level keys of the front matter.
    comments: BTreeMap<&'static str, Vec<String>>,
    name: String,
    description: String,
    /// Further PSTW facts for the editor (label, value).
    facts: Vec<(&'static str, String)>,
    todos: Vec<String>,
    unmapped: Vec<Unmapped>,
}

impl Mapped {
    fn comment(&mut self, key: &'static str, text: impl Into<String>) {
        self.comments.entry(key).or_default().push(text.into());
    }

    fn unmapped(&mut self, line: u64, column: &str, value: &str, action: impl Into<String>) {
        self.unmapped.push(Unmapped {
            pstw: self.pstw.clone(),
            line,
            column: column.to_string(),
            value: value.to_string(),
            action: action.into(),
        });
    }
}

fn map_row(row: &Row<'_>, pstw: &str, site: &Site, opts: &PstwOptions) -> Mapped {
    let name = collapse_ws(row.get(COL_NAME));
    let description = row
        .get(COL_DESCRIPTION)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut m = Mapped {
        id: String::new(),
        pstw: pstw.to_string(),
        example: Example {
            titel: String::new(),
            kurzbeschreibung: String::new(),
            kommunen: Vec::new(),
            bundesland: String::new(),
            verwaltungsebene: String::new(),
            handlungsfeld: String::new(),
            handlungsfelder_weitere: Vec::new(),
            status: String::new(),
            status_grund: None,
            ki_technik: Vec::new(),
            quellen: Vec::new(),
            erfasst_am: opts.date.clone(),
            gemeindetyp: None,
            laendlichkeit: None,
            einwohner: None,
            anwendungstyp: Vec::new(),
            interaktion: Vec::new(),
            entscheidungsrolle: None,
            zeitraum: None,
            motivation: Vec::new(),
            motivation_erlaeuterung: None,
            finanzierung: Vec::new(),
            foerderprogramm: None,
            kosten: None,
            umsetzung: None,
            anbieter: None,
            open_source: None,
            personenbezogene_daten: None,
            ki_verordnung: None,
            beteiligung_beschaeftigte: None,
            beteiligung_buergerschaft: None,
            personalrat: None,
            stellenwirkung: None,
            evidenzgrad: None,
            uebertragbarkeit: None,
            sdgs: Vec::new(),
            zielgruppen: Vec::new(),
            kontakt: None,
            szenarien: Vec::new(),
            verwandte_beispiele: Vec::new(),
            fruehere_ids: Vec::new(),
            externe_ids: BTreeMap::from([("pstw".to_string(), pstw.to_string())]),
            redaktionsstatus: Some("eingereicht".into()),
            zuletzt_geprueft: None,
            lizenz: Some("CC-BY-4.0".into()),
            tags: Vec::new(),
            weitere: BTreeMap::new(),
        },
        comments: BTreeMap::new(),
        name: name.clone(),
        description: description.trim().to_string(),
        facts: Vec::new(),
        todos: Vec::new(),
        unmapped: Vec::new(),
    };
    let line = row.line;

    // Title and summary: English originals, to be translated.
    let title_src = if name.is_empty() {
        m.unmapped(line, COL_NAME, "", format!("Titel-Platzhalter „{pstw}“"));
        pstw.to_string()
    } else {
        name.clone()
    };
    m.example.titel = truncate_words(&title_src, crate::validate::MAX_TITLE_CHARS);
    m.comment(
        "titel",
        "TODO: auf Deutsch übersetzen (englischer Name aus PSTW)",
    );
    let summary_src = if m.description.is_empty() {
        m.unmapped(
            line,
            COL_DESCRIPTION,
            "",
            "Kurzbeschreibung aus dem Namen; bitte schreiben",
        );
        title_src.clone()
    } else {
        collapse_ws(&m.description)
    };
    m.example.kurzbeschreibung = truncate_summary(&summary_src, crate::validate::MAX_SUMMARY_CHARS);
    m.comment(
        "kurzbeschreibung",
        "TODO: auf Deutsch übersetzen und in einfacher Sprache zusammenfassen (englische PSTW-Beschreibung, gekürzt)",
    );
    m.todos
        .push("Titel und Kurzbeschreibung auf Deutsch schreiben".into());

    // Organisations → kommunen, verwaltungsebene; place names also help with the Bundesland.
    let org_raw = collapse_ws(row.get(COL_ORG));
    let category = collapse_ws(row.get(COL_ORG_CATEGORY));
    let orgs = parse_organisations(&org_raw);
    map_kommunen(&mut m, line, &org_raw, &orgs);
    map_verwaltungsebene(&mut m, line, &org_raw, &category, &orgs);
    map_bundesland(
        &mut m,
        line,
        row.get(COL_NUTS),
        &org_raw,
        &name,
        &orgs,
        site,
    );

    map_handlungsfeld(&mut m, row, site);
    map_status(&mut m, line, row.get(COL_STATUS), row.get(COL_END));
    map_zeitraum(&mut m, line, row.get(COL_START), row.get(COL_END));
    map_ki_technik(&mut m, row, site);
    map_quellen(
        &mut m,
        line,
        row.get(COL_WEBSITE),
        row.get(COL_SOURCE),
        &title_src,
        opts,
    );
    map_interaktion(&mut m, line, row.get(COL_INTERACTION), site);

    m.comment(
        "externe_ids",
        "Übernommen aus Public Sector Tech Watch (Europäische Kommission, JRC), CC BY 4.0",
    );
    m.comment(
        "redaktionsstatus",
        "Entwurf aus `koki import pstw`: erst nach redaktioneller Prüfung auf redaktionell_geprueft setzen",
    );

    for (label, col) in [
        ("Responsible organisation", COL_ORG),
        ("Responsible organisation category", COL_ORG_CATEGORY),
        ("COFOG", COL_COFOG1),
        ("COFOG II", COL_COFOG2),
        ("Status", COL_STATUS),
        ("NUTS 2021", COL_NUTS),
        ("AI classification", COL_AI_MAIN),
        ("AI keywords", COL_AI_KEYWORDS),
        ("Interaction", COL_INTERACTION),
        ("Date updated", COL_DATE_UPDATED),
    ] {
        let v = collapse_ws(row.get(col));
        if !v.is_empty() {
            m.facts.push((label, v));
        }
    }

    m.id = make_id(&m.example.kommunen, &orgs, &org_raw, &name, pstw);
    m
}

// ---------------------------------------------------------------------------------------------
// Text helpers

/// Shorten to at most `max` chars at a word boundary, with an ellipsis when cut.
fn truncate_words(text: &str, max: usize) -> String {
    let text = collapse_ws(text);
    if text.chars().count() <= max {
        return text;
    }
    let limit: String = text.chars().take(max - 1).collect();
    let cut = match limit.rfind(' ') {
        Some(i) if i > max / 2 => &limit[..i],
        _ => limit.as_str(),
    };
    format!("{}…", cut.trim_end_matches([' ', ',', ';', ':', '-', '–']))
}

/// Shorten to at most `max` chars, preferring the end of a sentence.
fn truncate_summary(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let limit: String = text.chars().take(max).collect();
    if let Some(i) = limit.rfind(". ") {
        if i >= max / 2 {
            return limit[..=i].to_string();
        }
    }
    truncate_words(text, max)
}

fn shorten(text: &str, max: usize) -> String {
    let t = collapse_ws(text);
    if t.chars().count() <= max {
        t
    } else {
        format!("{}…", t.chars().take(max - 1).collect::<String>())
    }
}

/// Words left out of the name part of a file name.
const SLUG_STOPWORDS: &[&str] = &[
    "a", "an", "the", "of", "for", "in", "and", "to", "with", "on", "by", "at", "from", "der",
    "die", "das", "und", "fuer", "im", "von", "mit", "den", "des",
];

/// Make any slug a valid id within the length limit.
fn fit_id(s: &str) -> String {
    let s = cut_slug(&slug(s), MAX_ID_CHARS);
    if load::is_valid_id(&s) {
        s
    } else {
        "pstw-entwurf".into()
    }
}

/// A place name shortened for file names: "Freiburg im Breisgau" → "Freiburg",
/// "Singen (Hohentwiel)" → "Singen".
fn short_place(name: &str) -> String {
    let mut s = name;
    for cut in [" (", " an der ", " am ", " im ", " in der ", ","] {
        if let Some(i) = s.find(cut) {
            s = &s[..i];
        }
    }
    s.trim().to_string()
}

/// `<place>-<name>`: the place of the lead organisation (two municipalities: both; more: the
/// Land), then the name without stop words and without repeating the place.
fn make_id(kommunen: &[Kommune], orgs: &[Org], org_raw: &str, name: &str, pstw: &str) -> String {
    let municipal: Vec<&Org> = orgs
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::Municipal(_)))
        .collect();
    let land_of = |pl: &Place| {
        PLACES
            .iter()
            .find(|l| l.land == pl.land && matches!(l.kind, Land | CityState))
            .map(|l| l.name.to_string())
    };
    let lead = orgs.first();
    let lead_municipal = lead.is_some_and(|o| matches!(o.kind, OrgKind::Municipal(_)));
    let mut from_place = true;
    let place = match (lead_municipal, municipal.as_slice()) {
        (true, [a, b]) => Some(format!("{} {}", short_place(&a.name), short_place(&b.name))),
        (true, [first, _, _, ..]) => first.place.and_then(land_of),
        (true, [first, ..]) => Some(short_place(&first.name)),
        _ => lead.and_then(|o| o.place).map(|pl| short_place(pl.name)),
    };
    let place = place.unwrap_or_else(|| {
        from_place = false;
        kommunen
            .first()
            .map(|k| k.name.clone())
            .unwrap_or_else(|| org_raw.to_string())
    });
    let mut place_slug = slug(&place);
    if !from_place {
        // An organisation's name, not a place: without stop words, short.
        let parts: Vec<&str> = place_slug
            .split('-')
            .filter(|p| !SLUG_STOPWORDS.contains(p))
            .collect();
        if !parts.is_empty() {
            place_slug = parts.join("-");
        }
    }
    let place_slug = cut_slug(&place_slug, 30);
    // Words of the name that only repeat the place (in any spelling) or say "city".
    let mut repeats: Vec<Vec<String>> = vec![place_slug.split('-').map(String::from).collect()];
    for pl in orgs.iter().filter_map(|o| o.place) {
        repeats.push(slug(pl.name).split('-').map(String::from).collect());
        for a in pl.aliases {
            repeats.push(slug(a).split('-').map(String::from).collect());
        }
    }
    // Longest spellings first ("ruesselsheim-am-main" before "ruesselsheim").
    repeats.sort_by_key(|r| std::cmp::Reverse(r.len()));
    let name_slug = slug(name);
    let mut parts: Vec<&str> = name_slug
        .split('-')
        .filter(|p| {
            !p.is_empty()
                && !SLUG_STOPWORDS.contains(p)
                && !["city", "municipality", "stadt", "gemeinde"].contains(p)
        })
        .collect();
    for rep in repeats.iter().filter(|r| !r.is_empty() && !r[0].is_empty()) {
        let n = rep.len();
        let mut i = 0;
        while i + n <= parts.len() && parts.len() > n {
            if parts[i..i + n].iter().zip(rep).all(|(a, b)| *a == b) {
                parts.drain(i..i + n);
            } else {
                i += 1;
            }
        }
    }
    let name_part = cut_slug(&parts.join("-"), 45);
    let joined = match (place_slug.is_empty(), name_part.is_empty()) {
        (false, false) => format!("{place_slug}-{name_part}"),
        (false, true) => format!("{place_slug}-{}", pstw.to_lowercase()),
        (true, false) => name_part,
        (true, true) => pstw.to_lowercase(),
    };
    fit_id(&joined)
}

// ---------------------------------------------------------------------------------------------
// Places: Länder and cities, with German names

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PlaceKind {
    Land,
    /// Berlin, Hamburg, Bremen: city and Land at once.
    CityState,
    KreisfreieStadt,
    Stadt,
    Gemeinde,
    Landkreis,
}

#[derive(Debug, Clone, Copy)]
struct Place {
    /// German name as used in the catalog.
    name: &'static str,
    /// Lowercase spellings found in PSTW (English exonyms, German, without umlauts).
    aliases: &'static [&'static str],
    land: &'static str,
    kind: PlaceKind,
}

const fn p(
    name: &'static str,
    aliases: &'static [&'static str],
    land: &'static str,
    kind: PlaceKind,
) -> Place {
    Place {
        name,
        aliases,
        land,
        kind,
    }
}

use PlaceKind::{CityState, Gemeinde, KreisfreieStadt as Kf, Land, Landkreis, Stadt};

/// Länder, the city states, all large cities and the smaller places that occur in PSTW.
static PLACES: &[Place] = &[
    p(
        "Baden-Württemberg",
        &[
            "baden-württemberg",
            "baden-wurttemberg",
            "baden-wuerttemberg",
            "baden wurttemberg",
            "baden württemberg",
        ],
        "bw",
        Land,
    ),
    p(
        "Bayern",
        &["bavaria", "bavarian", "bayern", "bayerisches", "bayerische"],
        "by",
        Land,
    ),
    p("Brandenburg", &["brandenburg"], "bb", Land),
    p("Hessen", &["hesse", "hessen", "hessian"], "he", Land),
    p(
        "Mecklenburg-Vorpommern",
        &[
            "mecklenburg-vorpommern",
            "mecklenburg-western pomerania",
            "mecklenburg western pomerania",
            "mecklenburg",
        ],
        "mv",
        Land,
    ),
    p(
        "Niedersachsen",
        &["lower saxony", "niedersachsen", "niedersächsisches"],
        "ni",
        Land,
    ),
    p(
        "Nordrhein-Westfalen",
        &[
            "north rhine-westphalia",
            "north-rhine-westphalia",
            "north rhine westphalia",
            "nordrhein-westfalen",
            "nrw",
        ],
        "nw",
        Land,
    ),
    p(
        "Rheinland-Pfalz",
        &[
            "rhineland-palatinate",
            "rhineland palatinate",
            "rheinland-pfalz",
        ],
        "rp",
        Land,
    ),
    p("Saarland", &["saarland"], "sl", Land),
    p(
        "Sachsen-Anhalt",
        &["saxony-anhalt", "saxony anhalt", "sachsen-anhalt"],
        "st",
        Land,
    ),
    p(
        "Sachsen",
        &["saxony", "sachsen", "saxon", "sächsisches"],
        "sn",
        Land,
    ),
    p(
        "Schleswig-Holstein",
        &["schleswig-holstein", "schleswig holstein"],
        "sh",
        Land,
    ),
    p(
        "Thüringen",
        &["thuringia", "thüringen", "thueringen"],
        "th",
        Land,
    ),
    p("Berlin", &["berlin"], "be", CityState),
    p("Hamburg", &["hamburg"], "hh", CityState),
    p("Bremen", &["bremen"], "hb", CityState),
    p("Bremerhaven", &["bremerhaven"], "hb", Kf),
    p("München", &["munich", "münchen", "muenchen"], "by", Kf),
    p("Köln", &["cologne", "köln", "koeln"], "nw", Kf),
    p(
        "Frankfurt am Main",
        &["frankfurt am main", "frankfurt"],
        "he",
        Kf,
    ),
    p("Stuttgart", &["stuttgart"], "bw", Kf),
    p(
        "Düsseldorf",
        &["düsseldorf", "dusseldorf", "duesseldorf"],
        "nw",
        Kf,
    ),
    p("Leipzig", &["leipzig"], "sn", Kf),
    p("Dortmund", &["dortmund"], "nw", Kf),
    p("Essen", &["essen"], "nw", Kf),
    p("Dresden", &["dresden"], "sn", Kf),
    p("Hannover", &["hanover", "hannover"], "ni", Stadt),
    p(
        "Nürnberg",
        &["nuremberg", "nürnberg", "nuernberg"],
        "by",
        Kf,
    ),
    p("Duisburg", &["duisburg"], "nw", Kf),
    p("Bochum", &["bochum"], "nw", Kf),
    p("Wuppertal", &["wuppertal"], "nw", Kf),
    p("Bielefeld", &["bielefeld"], "nw", Kf),
    p("Bonn", &["bonn"], "nw", Kf),
    p("Münster", &["münster", "munster", "muenster"], "nw", Kf),
    p("Mannheim", &["mannheim"], "bw", Kf),
    p("Karlsruhe", &["karlsruhe"], "bw", Kf),
    p("Augsburg", &["augsburg"], "by", Kf),
    p("Wiesbaden", &["wiesbaden"], "he", Kf),
    p(
        "Mönchengladbach",
        &["mönchengladbach", "monchengladbach", "moenchengladbach"],
        "nw",
        Kf,
    ),
    p("Gelsenkirchen", &["gelsenkirchen"], "nw", Kf),
    p("Aachen", &["aachen"], "nw", Stadt),
    p("Braunschweig", &["brunswick", "braunschweig"], "ni", Kf),
    p("Kiel", &["kiel"], "sh", Kf),
    p("Chemnitz", &["chemnitz"], "sn", Kf),
    p("Halle (Saale)", &["halle"], "st", Kf),
    p("Magdeburg", &["magdeburg"], "st", Kf),
    p(
        "Freiburg im Breisgau",
        &["freiburg im breisgau", "freiburg"],
        "bw",
        Kf,
    ),
    p("Krefeld", &["krefeld"], "nw", Kf),
    p("Mainz", &["mainz"], "rp", Kf),
    p("Lübeck", &["lübeck", "lubeck", "luebeck"], "sh", Kf),
    p("Erfurt", &["erfurt"], "th", Kf),
    p("Oberhausen", &["oberhausen"], "nw", Kf),
    p("Rostock", &["rostock"], "mv", Kf),
    p("Kassel", &["kassel"], "he", Kf),
    p("Hagen", &["hagen"], "nw", Kf),
    p("Potsdam", &["potsdam"], "bb", Kf),
    p(
        "Saarbrücken",
        &["saarbrücken", "saarbrucken", "saarbruecken"],
        "sl",
        Stadt,
    ),
    p("Hamm", &["hamm"], "nw", Kf),
    p("Ludwigshafen am Rhein", &["ludwigshafen"], "rp", Kf),
    p("Oldenburg", &["oldenburg"], "ni", Kf),
    p(
        "Mülheim an der Ruhr",
        &[
            "mülheim an der ruhr",
            "mulheim an der ruhr",
            "muelheim an der ruhr",
        ],
        "nw",
        Kf,
    ),
    p(
        "Osnabrück",
        &["osnabrück", "osnabruck", "osnabrueck"],
        "ni",
        Kf,
    ),
    p("Leverkusen", &["leverkusen"], "nw", Kf),
    p("Darmstadt", &["darmstadt"], "he", Kf),
    p("Heidelberg", &["heidelberg"], "bw", Kf),
    p("Solingen", &["solingen"], "nw", Kf),
    p("Herne", &["herne"], "nw", Kf),
    p("Neuss", &["neuss"], "nw", Stadt),
    p("Regensburg", &["regensburg"], "by", Kf),
    p("Paderborn", &["paderborn"], "nw", Stadt),
    p("Ingolstadt", &["ingolstadt"], "by", Kf),
    p("Offenbach am Main", &["offenbach"], "he", Kf),
    p("Fürth", &["fürth", "furth", "fuerth"], "by", Kf),
    p("Würzburg", &["würzburg", "wurzburg", "wuerzburg"], "by", Kf),
    p("Ulm", &["ulm"], "bw", Kf),
    p("Heilbronn", &["heilbronn"], "bw", Kf),
    p("Pforzheim", &["pforzheim"], "bw", Kf),
    p("Wolfsburg", &["wolfsburg"], "ni", Kf),
    p(
        "Göttingen",
        &["göttingen", "gottingen", "goettingen"],
        "ni",
        Stadt,
    ),
    p("Bottrop", &["bottrop"], "nw", Kf),
    p("Reutlingen", &["reutlingen"], "bw", Stadt),
    p("Koblenz", &["koblenz"], "rp", Kf),
    p("Recklinghausen", &["recklinghausen"], "nw", Stadt),
    p("Bergisch Gladbach", &["bergisch gladbach"], "nw", Stadt),
    p("Jena", &["jena"], "th", Kf),
    p("Remscheid", &["remscheid"], "nw", Kf),
    p("Erlangen", &["erlangen"], "by", Kf),
    p("Moers", &["moers"], "nw", Stadt),
    p("Siegen", &["siegen"], "nw", Stadt),
    p("Hildesheim", &["hildesheim"], "ni", Stadt),
    p("Salzgitter", &["salzgitter"], "ni", Kf),
    p("Cottbus", &["cottbus"], "bb", Kf),
    p("Trier", &["trier"], "rp", Kf),
    p(
        "Gütersloh",
        &["gütersloh", "gutersloh", "guetersloh"],
        "nw",
        Stadt,
    ),
    p("Kaiserslautern", &["kaiserslautern"], "rp", Kf),
    p("Schwerin", &["schwerin"], "mv", Kf),
    p("Weimar", &["weimar"], "th", Kf),
    p("Flensburg", &["flensburg"], "sh", Kf),
    p("Memmingen", &["memmingen"], "by", Kf),
    p("Amberg", &["amberg"], "by", Kf),
    p("Aschaffenburg", &["aschaffenburg"], "by", Kf),
    p("Frankenthal (Pfalz)", &["frankenthal"], "rp", Kf),
    p("Heidenheim an der Brenz", &["heidenheim"], "bw", Stadt),
    p("Bad Hersfeld", &["bad hersfeld"], "he", Stadt),
    p("Ludwigsburg", &["ludwigsburg"], "bw", Stadt),
    p("Singen (Hohentwiel)", &["singen"], "bw", Stadt),
    p(
        "Rüsselsheim am Main",
        &[
            "rüsselsheim am main",
            "rüsselsheim",
            "russelsheim",
            "ruesselsheim",
        ],
        "he",
        Stadt,
    ),
    p("Lemgo", &["lemgo"], "nw", Stadt),
    p("Rheine", &["rheine"], "nw", Stadt),
    p("Soest", &["soest"], "nw", Stadt),
    p("Konstanz", &["konstanz"], "bw", Stadt),
    p("Esslingen am Neckar", &["esslingen"], "bw", Stadt),
    p("Hanau", &["hanau"], "he", Stadt),
    p("Hameln", &["hameln", "hamelin"], "ni", Stadt),
    p("Herford", &["herford"], "nw", Stadt),
    p("Offenburg", &["offenburg"], "bw", Stadt),
    p(
        "Villingen-Schwenningen",
        &["villingen-schwenningen"],
        "bw",
        Stadt,
    ),
    p(
        "Lüneburg",
        &["lüneburg", "luneburg", "lueneburg"],
        "ni",
        Stadt,
    ),
    p("Wildau", &["wildau"], "bb", Stadt),
    p("Oberaudorf", &["oberaudorf"], "by", Gemeinde),
    p("Kiefersfelden", &["kiefersfelden"], "by", Gemeinde),
    p("Niederkruchten", &["niederkruchten"], "nw", Gemeinde),
    p("Kelheim", &["kelheim"], "by", Landkreis),
];

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// All places mentioned in `text` (word boundaries; longer spellings win over shorter ones
/// inside them, so "Lower Saxony" is not also "Saxony"), in order of appearance.
fn find_places(text: &str) -> Vec<&'static Place> {
    let lower = text.to_lowercase();
    let mut hits: Vec<(usize, usize, &'static Place)> = Vec::new();
    let mut aliases: Vec<(&'static str, &'static Place)> = PLACES
        .iter()
        .flat_map(|pl| pl.aliases.iter().map(move |a| (*a, pl)))
        .collect();
    aliases.sort_by_key(|(a, _)| std::cmp::Reverse(a.len()));
    for (alias, place) in aliases {
        let mut from = 0;
        while let Some(rel) = lower[from..].find(alias) {
            let start = from + rel;
            let end = start + alias.len();
            from = end;
            let before_ok = lower[..start]
                .chars()
                .next_back()
                .is_none_or(|c| !is_word_char(c));
            let after_ok = lower[end..].chars().next().is_none_or(|c| !is_word_char(c));
            if !(before_ok && after_ok) {
                continue;
            }
            if hits.iter().any(|(s, e, _)| start < *e && end > *s) {
                continue;
            }
            hits.push((start, end, place));
        }
    }
    hits.sort_by_key(|(s, _, _)| *s);
    let mut out: Vec<&'static Place> = Vec::new();
    for (_, _, pl) in hits {
        if !out.iter().any(|o| std::ptr::eq(*o, pl)) {
            out.push(pl);
        }
    }
    out
}

/// The place a text names when the whole text is just that place.
fn exact_place(text: &str) -> Option<&'static Place> {
    let t = text.trim().to_lowercase();
    PLACES.iter().find(|pl| pl.aliases.contains(&t.as_str()))
}

// ---------------------------------------------------------------------------------------------
// Organisations

/// What kind of body an organisation is, as far as the name tells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrgKind {
    /// A municipality or Kreis (the kind is in the place, or `municipal_kind`).
    Municipal(PlaceKind),
    /// A Land or a Land authority.
    LandBody,
    /// A municipal company (port, transport operator, Stadtwerke).
    MunicipalCompany,
    Research,
    Company,
    Unknown,
}

#[derive(Debug, Clone)]
struct Org {
    /// Name for `kommunen[].name`.
    name: String,
    /// As written in PSTW.
    original: String,
    kind: OrgKind,
    place: Option<&'static Place>,
}

/// Prefixes that name a municipality: "City of Bonn", "Stadt Bonn" …
const CITY_PREFIXES: &[(&str, PlaceKind)] = &[
    ("free and hanseatic city of ", CityState),
    ("city council of ", Stadt),
    ("city of ", Stadt),
    ("town of ", Stadt),
    ("municipality of ", Gemeinde),
    ("municipalities of ", Gemeinde),
    ("cities of ", Stadt),
    ("towns of ", Stadt),
    ("landeshauptstadt ", Stadt),
    ("hansestadt ", Stadt),
    ("stadt ", Stadt),
    ("gemeinde ", Gemeinde),
    ("markt ", Gemeinde),
    ("district of ", Landkreis),
    ("districts of ", Landkreis),
    ("county of ", Landkreis),
    ("landkreis ", Landkreis),
    ("kreis ", Landkreis),
];

/// Suffixes that name a municipality: "Oberaudorf Municipality", "Munich City Council" …
const CITY_SUFFIXES: &[(&str, PlaceKind)] = &[
    (" city council", Stadt),
    (" municipality", Gemeinde),
    (" city", Stadt),
    (" district", Landkreis),
    (" county", Landkreis),
];

const LAND_PREFIXES: &[&str] = &[
    "state government of ",
    "state of ",
    "government of ",
    "federal state of ",
    "land ",
    "freistaat ",
];

fn keyword_kind(lower: &str) -> OrgKind {
    // Word starts ("Senatskanzlei" has "senat", "Ludwigshafen" has no "hafen").
    let has = |words: &[&str]| words.iter().any(|w| has_word_start(lower, w));
    if has(&[
        "port authority",
        "port of ",
        "public transport",
        "transport authority",
        "verkehrsbetrieb",
        "stadtwerke",
        "municipal company",
        "municipal utility",
        "hafen",
    ]) {
        OrgKind::MunicipalCompany
    } else if has(&[
        "university",
        "universität",
        "hochschule",
        "institute",
        "institut",
        "fraunhofer",
        "dfki",
        "research",
    ]) || has_whole_word(lower, "htw")
    {
        OrgKind::Research
    } else if has(&[
        "ministry",
        "ministerium",
        "state office",
        "landesamt",
        "state criminal",
        "landeskriminalamt",
        "police",
        "polizei",
        "prosecutor",
        "staatsanwaltschaft",
        "senate",
        "senat",
        "state chancellery",
        "staatskanzlei",
        "state government",
        "landesregierung",
        "court",
        "gericht",
    ]) {
        OrgKind::LandBody
    } else if has(&["gmbh", "company"])
        || ["ag", "ltd", "inc", "se", "kg"]
            .iter()
            .any(|w| has_whole_word(lower, w))
    {
        OrgKind::Company
    } else {
        OrgKind::Unknown
    }
}

/// Understand one organisation name.
fn classify_org(text: &str) -> Org {
    let original = text.trim().to_string();
    let stripped = original
        .strip_prefix("the ")
        .or_else(|| original.strip_prefix("The "))
        .unwrap_or(&original)
        .trim()
        .to_string();
    // ASCII lowercase keeps byte offsets, so prefixes found in `lower` cut `stripped`.
    let lower = stripped.to_ascii_lowercase();
    let place_of = |rest: &str, kind: PlaceKind| -> Org {
        let rest = rest.trim().trim_end_matches(['.', ',']);
        let place = exact_place(rest).or_else(|| find_places(rest).into_iter().next());
        let kind = match place {
            Some(pl) if matches!(kind, Stadt | Gemeinde) && pl.kind != Land => pl.kind,
            _ => kind,
        };
        let name = match (place, kind) {
            (Some(pl), Landkreis) if pl.kind == Landkreis => format!("Landkreis {}", pl.name),
            (_, Landkreis) => {
                let n = place.map(|pl| pl.name).unwrap_or(rest);
                if place.is_some_and(|pl| pl.land == "nw" || pl.land == "sh") {
                    format!("Kreis {n}")
                } else {
                    format!("Landkreis {n}")
                }
            }
            (Some(pl), _) if pl.kind != Land => pl.name.to_string(),
            _ => rest.to_string(),
        };
        Org {
            name,
            original: original.clone(),
            kind: OrgKind::Municipal(kind),
            place,
        }
    };
    for (prefix, kind) in CITY_PREFIXES {
        if lower.starts_with(prefix) {
            let rest = &stripped[prefix.len()..];
            // "City of Hamburg, Authority for …" is handled by the splitter; here only names.
            if !rest.trim().is_empty() && keyword_kind(&rest.to_lowercase()) == OrgKind::Unknown {
                return place_of(rest, *kind);
            }
        }
    }
    for (suffix, kind) in CITY_SUFFIXES {
        if lower.ends_with(suffix) && lower.len() > suffix.len() {
            let rest = &stripped[..stripped.len() - suffix.len()];
            if keyword_kind(&rest.to_lowercase()) == OrgKind::Unknown
                && (exact_place(rest).is_some() || rest.split_whitespace().count() <= 2)
            {
                return place_of(rest, *kind);
            }
        }
    }
    for prefix in LAND_PREFIXES {
        if lower.starts_with(prefix) {
            let rest = &stripped[prefix.len()..];
            if let Some(pl) = exact_place(rest) {
                if matches!(pl.kind, Land | CityState) {
                    return Org {
                        name: format!("Land {}", pl.name),
                        original,
                        kind: OrgKind::LandBody,
                        place: Some(pl),
                    };
                }
            }
        }
    }
    if let Some(pl) = exact_place(&stripped) {
        let (name, kind) = match pl.kind {
            Land => (format!("Land {}", pl.name), OrgKind::LandBody),
            k => (pl.name.to_string(), OrgKind::Municipal(k)),
        };
        return Org {
            name,
            original,
            kind,
            place: Some(pl),
        };
    }
    let kind = keyword_kind(&lower);
    Org {
        name: stripped.clone(),
        original,
        kind,
        place: find_places(&stripped).into_iter().next(),
    }
}

/// Whether a piece of an organisation list starts a new organisation (so a comma or "and"
/// before it separates two organisations, not parts of one name).
fn starts_organisation(piece: &str) -> bool {
    let t = piece.trim();
    let lower = t.strip_prefix("the ").unwrap_or(t).trim().to_lowercase();
    if lower.is_empty() {
        return false;
    }
    if exact_place(&lower).is_some() {
        return true;
    }
    let starters = [
        "city ",
        "town ",
        "municipality",
        "municipalities",
        "district",
        "county",
        "stadt ",
        "gemeinde ",
        "markt ",
        "landkreis ",
        "kreis ",
        "state ",
        "land ",
        "ministry",
        "ministerium",
        "university",
        "universität",
        "hochschule",
        "institute",
        "institut",
        "fraunhofer",
        "dfki",
        "police",
        "port ",
        "chamber",
        "federal",
        "bundes",
        "landes",
        "technical university",
        "technology foundation",
        "foundation",
        "stiftung",
    ];
    if starters.iter().any(|s| lower.starts_with(s)) {
        return true;
    }
    // "Oberaudorf Municipality", "Berlin University of …"
    CITY_SUFFIXES.iter().any(|(s, _)| lower.ends_with(s))
        || (find_places(&lower)
            .first()
            .is_some_and(|pl| pl.aliases.iter().any(|a| lower.starts_with(a)))
            && keyword_kind(&lower) != OrgKind::Unknown)
}

/// Split "Responsible organisation" into organisations. Semicolons always separate;
/// commas and "and"/"und"/"&" only where an organisation (or, after "Cities of …", a place)
/// follows; parentheses are never split. "and others" is dropped.
fn parse_organisations(raw: &str) -> Vec<Org> {
    let raw = collapse_ws(raw);
    if raw.is_empty() {
        return Vec::new();
    }
    let lower = raw.to_ascii_lowercase();
    // A plural list: "Cities of A, B and C", "Municipalities of …".
    let plural = [
        ("cities of ", Stadt),
        ("towns of ", Stadt),
        ("municipalities of ", Gemeinde),
        ("districts of ", Landkreis),
        ("städte ", Stadt),
        ("gemeinden ", Gemeinde),
    ]
    .into_iter()
    .find(|(pre, _)| lower.starts_with(pre));

    // Tokenise at top-level separators.
    // (text, kind of separator before it, the separator as written)
    let mut pieces: Vec<(String, &str, String)> = Vec::new();
    let mut depth = 0i32;
    let mut current = String::new();
    let mut sep_before: &str = "";
    let mut sep_text = String::new();
    let chars: Vec<char> = raw.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth -= 1,
            _ => {}
        }
        if depth <= 0 {
            let rest: String = chars[i..].iter().collect::<String>().to_lowercase();
            let sep = if c == ';' {
                Some((";", 1))
            } else if c == ',' {
                Some((",", 1))
            } else if rest.starts_with(" and ") || rest.starts_with(" und ") {
                Some(("and", 5))
            } else if rest.starts_with(" & ") {
                Some(("and", 3))
            } else {
                None
            };
            if let Some((s, len)) = sep {
                pieces.push((current.trim().to_string(), sep_before, sep_text.clone()));
                current.clear();
                sep_before = s;
                sep_text = chars[i..i + len].iter().collect();
                i += len;
                continue;
            }
        }
        current.push(c);
        i += 1;
    }
    pieces.push((current.trim().to_string(), sep_before, sep_text));

    // Join pieces back where the separator did not separate organisations.
    let mut groups: Vec<String> = Vec::new();
    for (text, sep, written) in pieces {
        let text = text.trim().trim_start_matches(',').trim().to_string();
        let split_here = match sep {
            "" => true,
            ";" => true,
            _ => plural.is_some() || starts_organisation(&text) || is_others(&text),
        };
        if split_here || groups.is_empty() {
            groups.push(text);
        } else if let Some(last) = groups.last_mut() {
            last.push_str(if sep == "," { ", " } else { &written });
            last.push_str(&text);
        }
    }
    let mut orgs = Vec::new();
    for (i, g) in groups.iter().enumerate() {
        if g.is_empty() || is_others(g) {
            continue;
        }
        let text = match plural {
            Some((pre, _)) if i == 0 => g.get(pre.len()..).unwrap_or(g).to_string(),
            _ => g.clone(),
        };
        let mut org = classify_org(&text);
        if let Some((_, kind)) = plural {
            if org.kind == OrgKind::Unknown {
                org.kind = OrgKind::Municipal(org.place.map(|pl| pl.kind).unwrap_or(kind));
            }
        }
        orgs.push(org);
    }
    orgs
}

fn is_others(text: &str) -> bool {
    let t = text.trim().to_lowercase();
    t == "others"
        || t == "other"
        || t.starts_with("others ")
        || t.starts_with("other municipalities")
}

fn map_kommunen(m: &mut Mapped, line: u64, org_raw: &str, orgs: &[Org]) {
    if orgs.is_empty() {
        m.unmapped(
            line,
            COL_ORG,
            org_raw,
            "Platzhalter „unbekannt“ in `kommunen`",
        );
        m.example.kommunen.push(Kommune {
            name: "unbekannt".into(),
            ags: None,
            rolle: Some("federfuehrend".into()),
            koordinaten: None,
        });
        m.comment(
            "kommunen",
            "TODO: verantwortliche Kommune eintragen (PSTW nennt keine Organisation)",
        );
        m.todos.push("`kommunen` ergänzen".into());
        return;
    }
    for (i, o) in orgs.iter().enumerate() {
        m.example.kommunen.push(Kommune {
            name: truncate_words(&o.name, 150),
            ags: None,
            rolle: Some(if i == 0 { "federfuehrend" } else { "beteiligt" }.into()),
            koordinaten: None,
        });
    }
    m.comment(
        "kommunen",
        format!("PSTW „Responsible organisation“: {}", shorten(org_raw, 200)),
    );
    let renamed = orgs.iter().any(|o| o.name != o.original);
    let foreign = orgs
        .iter()
        .any(|o| !matches!(o.kind, OrgKind::Municipal(_)) && o.name == o.original);
    let mut note = String::from("bitte prüfen:");
    if orgs.len() > 1 {
        note.push_str(" Aufteilung und Rollen geschätzt (erste Organisation federführend);");
    }
    if renamed {
        note.push_str(" Namen vereinfacht;");
    }
    if foreign {
        note.push_str(" Namen auf Deutsch übertragen;");
    }
    note.push_str(" `ags` und `koordinaten` ergänzen");
    m.comment("kommunen", note);
    if !orgs
        .iter()
        .any(|o| matches!(o.kind, OrgKind::Municipal(_)) || o.kind == OrgKind::MunicipalCompany)
    {
        m.todos.push(
            "keine Kommune unter den verantwortlichen Organisationen: kommunalen Bezug prüfen"
                .into(),
        );
    }
}

fn map_verwaltungsebene(m: &mut Mapped, line: u64, org_raw: &str, category: &str, orgs: &[Org]) {
    let municipal: Vec<&Org> = orgs
        .iter()
        .filter(|o| matches!(o.kind, OrgKind::Municipal(_)))
        .collect();
    let cat = category.to_lowercase().replace('-', " ");
    let from_place = |k: PlaceKind| match k {
        CityState | Kf => "kreisfreie_stadt",
        Stadt => "stadt",
        Gemeinde => "gemeinde",
        Landkreis => "landkreis",
        Land => "land",
    };
    let first = orgs.first();
    let guess: Option<(&str, String)> = if municipal.len() > 1 {
        Some((
            "interkommunal",
            format!("{} Kommunen verantwortlich", municipal.len()),
        ))
    } else {
        match first.map(|o| (o.kind, o.place)) {
            Some((OrgKind::Municipal(k), _)) => Some((
                from_place(k),
                format!("aus „{}“", first.map(|o| o.original.as_str()).unwrap_or("")),
            )),
            Some((OrgKind::MunicipalCompany, _)) => {
                Some(("kommunales_unternehmen", format!("aus „{org_raw}“")))
            }
            Some((OrgKind::LandBody, _)) => Some(("land", format!("aus „{org_raw}“"))),
            _ if cat.contains("regional government") || cat.contains("central government") => {
                Some(("land", format!("aus Kategorie „{category}“")))
            }
            Some((_, Some(pl))) if cat.contains("local government") && pl.kind != Land => Some((
                from_place(pl.kind),
                format!("aus Kategorie „{category}“ und Ort {}", pl.name),
            )),
            _ if cat.contains("local government") => {
                Some(("gemeinde", format!("aus Kategorie „{category}“")))
            }
            _ => None,
        }
    };
    match guess {
        Some((v, why)) => {
            m.example.verwaltungsebene = v.into();
            m.comment("verwaltungsebene", format!("bitte prüfen: geschätzt {why}"));
        }
        None => {
            m.example.verwaltungsebene = "gemeinde".into();
            m.comment(
                "verwaltungsebene",
                format!(
                    "TODO: Verwaltungsebene bestimmen (PSTW-Kategorie „{category}“ passt zu keiner kommunalen Ebene); Platzhalter"
                ),
            );
            m.unmapped(line, COL_ORG_CATEGORY, category, "Platzhalter `gemeinde`");
            m.todos
                .push("`verwaltungsebene` bestimmen (Platzhalter)".into());
        }
    }
}

fn map_bundesland(
    m: &mut Mapped,
    line: u64,
    nuts_raw: &str,
    org_raw: &str,
    name: &str,
    orgs: &[Org],
    site: &Site,
) {
    // NUTS: every code in the cell, first three characters.
    let mut from_nuts: Vec<String> = Vec::new();
    for code in nuts_raw
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|c| !c.is_empty())
    {
        let code = code.to_uppercase();
        let key: String = code.chars().take(3).collect();
        if let Some(bl) = site.nuts.get(&key).filter(|_| code.len() >= 3) {
            if !from_nuts.contains(bl) {
                from_nuts.push(bl.clone());
            }
        }
    }
    if let Some(first) = from_nuts.first() {
        m.example.bundesland = first.clone();
        if from_nuts.len() > 1 {
            m.comment(
                "bundesland",
                format!(
                    "bitte prüfen: NUTS „{nuts_raw}“ nennt mehrere Länder ({})",
                    from_nuts.join(", ")
                ),
            );
        }
        return;
    }
    // Fallback: a Land or city named in the organisation or the name.
    let mut lands: Vec<&'static str> = Vec::new();
    let places = orgs
        .iter()
        .filter_map(|o| o.place)
        .chain(find_places(org_raw))
        .chain(find_places(name));
    for pl in places {
        if site.bundeslaender.contains(pl.land) && !lands.contains(&pl.land) {
            lands.push(pl.land);
        }
    }
    let shown = if nuts_raw.is_empty() {
        "(leer)"
    } else {
        nuts_raw
    };
    if let Some(first) = lands.first() {
        m.example.bundesland = (*first).to_string();
        let also = if lands.len() > 1 {
            format!("; genannt auch {}", lands[1..].join(", "))
        } else {
            String::new()
        };
        m.comment(
            "bundesland",
            format!("bitte prüfen: NUTS „{shown}“ nennt kein Land; aus Organisation/Name geschätzt{also}"),
        );
        m.unmapped(
            line,
            COL_NUTS,
            nuts_raw,
            format!("`{first}` aus Organisation/Name geschätzt"),
        );
    } else {
        let placeholder = site
            .bundeslaender
            .iter()
            .next()
            .cloned()
            .unwrap_or_default();
        m.comment(
            "bundesland",
            format!("TODO: Bundesland eintragen (NUTS „{shown}“ nennt kein Land); `{placeholder}` ist nur ein Platzhalter"),
        );
        m.unmapped(
            line,
            COL_NUTS,
            nuts_raw,
            format!("Platzhalter `{placeholder}`"),
        );
        m.todos.push("`bundesland` eintragen (Platzhalter)".into());
        m.example.bundesland = placeholder;
    }
}

// ---------------------------------------------------------------------------------------------
// COFOG → action field

/// COFOG 1999 divisions and groups with their English names.
static COFOG: &[(&str, &str)] = &[
    ("01", "General public services"),
    (
        "01.1",
        "Executive and legislative organs, financial and fiscal affairs, external affairs",
    ),
    ("01.2", "Foreign economic aid"),
    ("01.3", "General services"),
    ("01.4", "Basic research"),
    ("01.5", "R&D general public services"),
    ("01.6", "General public services n.e.c."),
    ("01.7", "Public debt transactions"),
    (
        "01.8",
        "Transfers of a general character between different levels of government",
    ),
    ("02", "Defence"),
    ("02.1", "Military defence"),
    ("02.2", "Civil defence"),
    ("02.3", "Foreign military aid"),
    ("02.4", "R&D defence"),
    ("02.5", "Defence n.e.c."),
    ("03", "Public order and safety"),
    ("03.1", "Police services"),
    ("03.2", "Fire-protection services"),
    ("03.3", "Law courts"),
    ("03.4", "Prisons"),
    ("03.5", "R&D public order and safety"),
    ("03.6", "Public order and safety n.e.c."),
    ("04", "Economic affairs"),
    ("04.1", "General economic, commercial and labour affairs"),
    ("04.2", "Agriculture, forestry, fishing and hunting"),
    ("04.3", "Fuel and energy"),
    ("04.4", "Mining, manufacturing and construction"),
    ("04.5", "Transport"),
    ("04.6", "Communication"),
    ("04.7", "Other industries"),
    ("04.8", "R&D economic affairs"),
    ("04.9", "Economic affairs n.e.c."),
    ("05", "Environmental protection"),
    ("05.1", "Waste management"),
    ("05.2", "Waste water management"),
    ("05.3", "Pollution abatement"),
    ("05.4", "Protection of biodiversity and landscape"),
    ("05.5", "R&D environmental protection"),
    ("05.6", "Environmental protection n.e.c."),
    ("06", "Housing and community amenities"),
    ("06.1", "Housing development"),
    ("06.2", "Community development"),
    ("06.3", "Water supply"),
    ("06.4", "Street lighting"),
    ("06.5", "R&D housing and community amenities"),
    ("06.6", "Housing and community amenities n.e.c."),
    ("07", "Health"),
    ("07.1", "Medical products, appliances and equipment"),
    ("07.2", "Outpatient services"),
    ("07.3", "Hospital services"),
    ("07.4", "Public health services"),
    ("07.5", "R&D health"),
    ("07.6", "Health n.e.c."),
    ("08", "Recreation, culture and religion"),
    ("08.1", "Recreational and sporting services"),
    ("08.2", "Cultural services"),
    ("08.3", "Broadcasting and publishing services"),
    ("08.4", "Religious and other community services"),
    ("08.5", "R&D recreation, culture and religion"),
    ("08.6", "Recreation, culture and religion n.e.c."),
    ("09", "Education"),
    ("09.1", "Pre-primary and primary education"),
    ("09.2", "Secondary education"),
    ("09.3", "Post-secondary non-tertiary education"),
    ("09.4", "Tertiary education"),
    ("09.5", "Education not definable by level"),
    ("09.6", "Subsidiary services to education"),
    ("09.7", "R&D education"),
    ("09.8", "Education n.e.c."),
    ("10", "Social protection"),
    ("10.1", "Sickness and disability"),
    ("10.2", "Old age"),
    ("10.3", "Survivors"),
    ("10.4", "Family and children"),
    ("10.5", "Unemployment"),
    ("10.6", "Housing"),
    ("10.7", "Social exclusion n.e.c."),
    ("10.8", "R&D social protection"),
    ("10.9", "Social protection n.e.c."),
];

/// Comparable form of a COFOG name: lowercase words, "n.e.c"/"o.a.l" unified, "related to"
/// and trailing dots dropped.
fn cofog_key(s: &str) -> String {
    let l = s
        .to_lowercase()
        .replace("n.e.c", "nec")
        .replace("o.a.l", "nec")
        .replace("related to ", "")
        .replace('&', " and ");
    l.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && *w != "and")
        .collect::<Vec<_>>()
        .join(" ")
}

/// The COFOG code for a level I or II name (exact after normalisation, else the closest name
/// with a similarity ≥ 0.9), restricted to `level` (2 = `01`, 4 = `01.1`). A leading code
/// (`04.5 Transport`) is taken as is.
fn cofog_code(name: &str, level: usize) -> Option<&'static str> {
    let t = name.trim();
    if t.is_empty() {
        return None;
    }
    let lead: String = t
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    if let Some((code, _)) = COFOG.iter().find(|(c, _)| *c == lead && c.len() == level) {
        return Some(code);
    }
    let key = cofog_key(t);
    let candidates = COFOG.iter().filter(|(c, _)| c.len() == level);
    if let Some((code, _)) = candidates.clone().find(|(_, n)| cofog_key(n) == key) {
        return Some(code);
    }
    candidates
        .map(|(c, n)| (c, strsim::normalized_levenshtein(&cofog_key(n), &key)))
        .filter(|(_, s)| *s >= 0.9)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| *c)
}

/// English and German words that point to an action field, used to choose among the fields
/// a COFOG code allows (e.g. 01.3 belongs to both general administration and citizen service)
/// and as a fallback. Ids missing from the site are ignored.
static FIELD_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "buergerservice",
        &[
            "chatbot",
            "citizen",
            "virtual assistant",
            "voice assistant",
            "service portal",
            "enquir",
            "inquir",
            "bürger",
            "one-stop",
            "appointment",
            "hotline",
            "call centre",
            "call center",
            "public service",
        ],
    ),
    (
        "allgemeine-verwaltung",
        &[
            "internal",
            "staff",
            "employees",
            "document",
            "records",
            "archive",
            "knowledge management",
            "administrative",
            "civil servant",
            "council",
            "parliament",
            "llm",
            "gpt",
            "writing",
        ],
    ),
    (
        "finanzen-steuern",
        &[
            "tax",
            "budget",
            "financial",
            "invoice",
            "procurement",
            "fiscal",
            "steuer",
        ],
    ),
    (
        "sicherheit-ordnung",
        &[
            "police",
            "crime",
            "emergency",
            "fire",
            "disaster",
            "safety",
            "security",
            "control centre",
            "rescue",
            "prosecutor",
            "court",
        ],
    ),
    (
        "wirtschaft-arbeit",
        &[
            "business",
            "compan",
            "trade",
            "tourism",
            "economic",
            "labour",
            "job",
            "employment",
            "gewerbe",
        ],
    ),
    (
        "mobilitaet-verkehr",
        &[
            "traffic",
            "transport",
            "mobility",
            "parking",
            "road",
            "bus",
            "tram",
            "vehicle",
            "railway",
            "cycling",
            "shuttle",
        ],
    ),
    (
        "umwelt-klima",
        &[
            "climate",
            "environment",
            "energy",
            "forest",
            "biodiversity",
            "tree",
            "emission",
            "air quality",
            "heat",
            "flood",
            "nature",
        ],
    ),
    (
        "ver-entsorgung",
        &[
            "waste",
            "water",
            "sewage",
            "wastewater",
            "litter",
            "recycling",
            "street cleaning",
        ],
    ),
    (
        "bauen-stadtentwicklung",
        &[
            "building",
            "construction",
            "urban planning",
            "housing",
            "digital twin",
            "geodata",
            "land register",
            "cadastr",
            "surveying",
            "street lighting",
            "smart city",
        ],
    ),
    (
        "gesundheit-pflege",
        &[
            "health",
            "care",
            "hospital",
            "medical",
            "pandemic",
            "dementia",
            "food safety",
            "nursing",
        ],
    ),
    (
        "bildung-kultur",
        &[
            "school",
            "education",
            "library",
            "museum",
            "culture",
            "student",
            "learning",
            "reading",
            "archive",
        ],
    ),
    (
        "soziales-jugend",
        &[
            "social",
            "youth",
            "child",
            "family",
            "integration",
            "benefit",
            "welfare",
            "refugee",
            "disabilit",
            "unemploy",
            "jobcenter",
        ],
    ),
];

/// Whether `word` occurs in `text` at the start of a word ("bus" in "bus stop", not in
/// "abusive"; "compan" in "company").
fn has_word_start(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = text[from..].find(word) {
        let at = from + rel;
        if text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c))
        {
            return true;
        }
        from = at + word.len();
    }
    false
}

/// Whether `word` occurs in `text` as a whole word.
fn has_whole_word(text: &str, word: &str) -> bool {
    let mut from = 0;
    while let Some(rel) = text[from..].find(word) {
        let at = from + rel;
        let end = at + word.len();
        let before = text[..at]
            .chars()
            .next_back()
            .is_none_or(|c| !is_word_char(c));
        let after = text[end..].chars().next().is_none_or(|c| !is_word_char(c));
        if before && after {
            return true;
        }
        from = end;
    }
    false
}

fn keyword_score(field: &str, text: &str) -> usize {
    FIELD_KEYWORDS
        .iter()
        .find(|(f, _)| *f == field)
        .map(|(_, words)| words.iter().filter(|w| has_word_start(text, w)).count())
        .unwrap_or(0)
}

/// How well an action field fits a row.
#[derive(Debug, Clone, Copy)]
struct FieldScore<'a> {
    /// COFOG points plus keyword points.
    score: usize,
    /// 100: the COFOG group (or its whole division) is listed; 20: only the division matches.
    cofog: usize,
    id: &'a str,
}

fn map_handlungsfeld(m: &mut Mapped, row: &Row<'_>, site: &Site) {
    let line = row.line;
    let raw1 = collapse_ws(row.get(COL_COFOG1));
    let raw2_full = collapse_ws(row.get(COL_COFOG2));
    // "Economic affairs - Transport": level I and II in one cell.
    let (raw1, raw2) = match raw2_full.split_once(" - ") {
        Some((a, b)) if cofog_code(a, 2).is_some() => (
            if raw1.is_empty() { a.to_string() } else { raw1 },
            b.to_string(),
        ),
        _ => (raw1, raw2_full.clone()),
    };
    let code2 = cofog_code(&raw2, 4);
    let code1 = cofog_code(&raw1, 2).or_else(|| code2.map(|c| &c[..2]));
    if !raw2.is_empty() && code2.is_none() {
        m.unmapped(
            line,
            COL_COFOG2,
            &raw2,
            "kein COFOG-Name; nur COFOG I verwendet",
        );
    }
    if !raw1.is_empty() && code1.is_none() {
        m.unmapped(line, COL_COFOG1, &raw1, "kein COFOG-Name");
    }

    let text = format!("{} {} {}", m.name, m.description, row.get(COL_AI_KEYWORDS)).to_lowercase();
    let interaction = row.get(COL_INTERACTION).to_uppercase();
    // Score each field: exact COFOG group 100, its division listed as a whole 100, same
    // division only 20; keywords 3 each; citizen-facing rows lean to citizen service.
    let mut scored: Vec<FieldScore<'_>> = Vec::new();
    for (id, codes, _) in &site.fields {
        let mut cofog = 0;
        for c in codes {
            let c = c.trim();
            if code2 == Some(c) || (c.len() == 2 && code1 == Some(c)) {
                cofog = cofog.max(100);
            } else if code1.is_some_and(|d| c.starts_with(d)) {
                cofog = cofog.max(20);
            }
        }
        let mut score = cofog + 3 * keyword_score(id, &text);
        if id == "buergerservice" && interaction == "G2C" {
            score += 2;
        }
        if id == "allgemeine-verwaltung" && interaction == "G2G" {
            score += 2;
        }
        scored.push(FieldScore {
            score,
            cofog,
            id: id.as_str(),
        });
    }
    // Highest score first; the sort is stable, so ties keep the display order.
    scored.sort_by_key(|f| std::cmp::Reverse(f.score));
    let exact_count = scored.iter().filter(|f| f.cofog >= 100).count();
    let shown = if raw2.is_empty() {
        raw1.clone()
    } else {
        format!("{raw1} / {raw2}")
    };
    match scored.first().copied() {
        Some(FieldScore { score, cofog, id }) if score > 0 => {
            let exact = cofog >= 100;
            m.example.handlungsfeld = id.to_string();
            // Further fields: the other fields the COFOG group names exactly.
            m.example.handlungsfelder_weitere = scored
                .iter()
                .skip(1)
                .filter(|f| f.cofog >= 100)
                .map(|f| f.id.to_string())
                .collect();
            if !exact || exact_count > 1 {
                let why = if cofog == 0 {
                    "nur aus Stichwörtern geschätzt"
                } else if !exact {
                    "COFOG-Gruppe passt zu keinem Handlungsfeld; aus Bereich und Stichwörtern geschätzt"
                } else {
                    "COFOG-Gruppe passt zu mehreren Handlungsfeldern; nach Stichwörtern gewählt"
                };
                m.comment(
                    "handlungsfeld",
                    format!("bitte prüfen: {why} (PSTW COFOG „{shown}“)"),
                );
            }
            if cofog == 0 {
                let value = if shown.is_empty() {
                    String::new()
                } else {
                    shown.clone()
                };
                m.unmapped(
                    line,
                    COL_COFOG1,
                    &value,
                    format!("`{id}` nur aus Stichwörtern geschätzt"),
                );
            }
        }
        _ => {
            let placeholder = site.fields[0].0.clone();
            m.comment(
                "handlungsfeld",
                format!("TODO: Handlungsfeld wählen (PSTW COFOG „{shown}“ passt zu keinem); `{placeholder}` ist nur ein Platzhalter"),
            );
            m.unmapped(
                line,
                COL_COFOG1,
                &shown,
                format!("Platzhalter `{placeholder}`"),
            );
            m.todos.push("`handlungsfeld` wählen (Platzhalter)".into());
            m.example.handlungsfeld = placeholder;
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Status, years

fn map_status(m: &mut Mapped, line: u64, raw: &str, end_raw: &str) {
    let v = collapse_ws(raw).to_lowercase();
    let status = match v.as_str() {
        "implemented" | "operational" | "in use" | "in operation" | "live" | "production" => {
            Some("regelbetrieb")
        }
        "pilot" | "piloting" | "pilot project" | "testing" | "trial" => Some("pilot"),
        "planned" | "in development" | "development" | "under development" | "in preparation" => {
            Some("planung")
        }
        "not in use" | "discontinued" | "stopped" | "terminated" | "cancelled" | "canceled"
        | "ended" | "abandoned" => Some("eingestellt"),
        "idea" | "concept" => Some("idee"),
        _ => None,
    };
    match status {
        Some(s) => {
            m.example.status = s.into();
            if s == "eingestellt" {
                let end = parse_year(end_raw)
                    .map(|y| format!(" (Ende laut PSTW: {y})"))
                    .unwrap_or_default();
                m.example.status_grund = Some(format!(
                    "Laut Public Sector Tech Watch nicht mehr in Betrieb{end}; der Grund ist noch zu ergänzen."
                ));
                m.comment(
                    "status_grund",
                    "TODO: Grund der Einstellung aus den Quellen ergänzen (Platzhalter)",
                );
                m.todos
                    .push("`status_grund` ergänzen (Platzhalter, Status eingestellt)".into());
            }
        }
        None => {
            m.example.status = "planung".into();
            m.comment(
                "status",
                format!("TODO: Status prüfen (PSTW „{raw}“ nicht zuordenbar); `planung` ist nur ein Platzhalter"),
            );
            m.unmapped(line, COL_STATUS, raw, "Platzhalter `planung`");
            m.todos.push("`status` prüfen (Platzhalter)".into());
        }
    }
}

/// A plausible year from a cell: "2021", "2021.0", " 2021 ".
fn parse_year(raw: &str) -> Option<i32> {
    let t = collapse_ws(raw);
    let t = t.strip_suffix(".0").unwrap_or(&t);
    let y: i32 = t.parse().ok()?;
    (1950..=2100).contains(&y).then_some(y)
}

fn map_zeitraum(m: &mut Mapped, line: u64, start_raw: &str, end_raw: &str) {
    let start = parse_year(start_raw);
    let end = parse_year(end_raw);
    if start.is_none() && !collapse_ws(start_raw).is_empty() {
        m.unmapped(
            line,
            COL_START,
            start_raw,
            "kein Jahr; `zeitraum` weggelassen",
        );
    }
    if end.is_none() && !collapse_ws(end_raw).is_empty() {
        m.unmapped(line, COL_END, end_raw, "kein Jahr; Endjahr weggelassen");
    }
    match (start, end) {
        (Some(s), Some(e)) if e < s => {
            m.unmapped(
                line,
                COL_END,
                end_raw,
                format!("liegt vor dem Startjahr {s}; weggelassen"),
            );
            m.example.zeitraum = Some(Zeitraum {
                start: s,
                ende: None,
            });
        }
        (Some(s), e) => {
            m.example.zeitraum = Some(Zeitraum { start: s, ende: e });
        }
        (None, Some(_)) => {
            m.unmapped(
                line,
                COL_END,
                end_raw,
                "Endjahr ohne Startjahr; `zeitraum` weggelassen",
            );
        }
        (None, None) => {}
    }
}

// ---------------------------------------------------------------------------------------------
// AI classification → ki_technik

/// PSTW AI subdomain → our `ki_technik` ids. An empty list marks a generic value that says
/// nothing specific (machine learning, AI services …).
static AI_SUBDOMAINS: &[(&str, &[&str])] = &[
    ("natural language processing", &["sprachverarbeitung"]),
    ("computer vision", &["bilderkennung"]),
    ("planning and scheduling", &["optimierung"]),
    ("optimisation", &["optimierung"]),
    ("optimization", &["optimierung"]),
    ("generative ai", &["generative_ki"]),
    ("audio processing", &["spracherkennung"]),
    ("multi-agent systems", &["agentensystem"]),
    ("robotics and automation", &["robotik"]),
    (
        "robotics and automation and robotic process automation (rpa)",
        &["regelbasiert"],
    ),
    ("robotic process automation (rpa)", &["regelbasiert"]),
    ("connected and automated vehicles", &["robotik"]),
    ("automated reasoning", &["regelbasiert"]),
    (
        "automated reasoning and automated decision making (adm)",
        &["regelbasiert"],
    ),
    ("knowledge representation", &["regelbasiert"]),
    ("machine learning", &[]),
    ("deep learning", &[]),
    ("ai services", &[]),
    ("multiple ai techniques", &[]),
    ("searching", &[]),
];

/// The guess when only generic subdomains are given.
const GENERIC_GUESS: (&str, &str) = ("machine learning", "prognose");

fn map_ki_technik(m: &mut Mapped, row: &Row<'_>, site: &Site) {
    let line = row.line;
    let mut ids: Vec<String> = Vec::new();
    let mut generic: Vec<(String, &str)> = Vec::new();
    for col in std::iter::once(COL_AI_MAIN).chain(COL_AI_OTHER) {
        let raw = collapse_ws(row.get(col));
        if raw.is_empty() {
            continue;
        }
        let key = raw.to_lowercase();
        match AI_SUBDOMAINS.iter().find(|(k, _)| *k == key) {
            Some((_, [])) => generic.push((raw, col)),
            Some((_, targets)) => {
                for t in *targets {
                    if site.has("ki_technik", t) && !ids.iter().any(|i| i == t) {
                        ids.push((*t).to_string());
                    }
                }
            }
            None => m.unmapped(
                line,
                col,
                &raw,
                "unbekannte KI-Teildisziplin; nicht übernommen",
            ),
        }
    }
    // Large language models are generative AI even where PSTW does not say so.
    let text = format!("{} {}", m.name, row.get(COL_AI_KEYWORDS)).to_lowercase();
    let llm = [" llm", "gpt", "large language model", "generative"]
        .iter()
        .any(|w| format!(" {text}").contains(w));
    if llm && !ids.iter().any(|i| i == "generative_ki") && site.has("ki_technik", "generative_ki") {
        ids.insert(0, "generative_ki".into());
        m.comment(
            "ki_technik",
            "bitte prüfen: generative_ki aus Name/Stichwörtern (Sprachmodell) geschätzt",
        );
    }
    if ids.is_empty() {
        let ml = generic
            .iter()
            .any(|(g, _)| g.to_lowercase() == GENERIC_GUESS.0);
        if ml && site.has("ki_technik", GENERIC_GUESS.1) {
            ids.push(GENERIC_GUESS.1.into());
            m.comment(
                "ki_technik",
                "bitte prüfen: PSTW nennt nur „Machine learning“; `prognose` ist geschätzt",
            );
            m.unmapped(
                line,
                COL_AI_MAIN,
                "Machine learning",
                "zu allgemein; `prognose` geschätzt",
            );
        } else {
            let placeholder = ["klassifikation", "regelbasiert"]
                .into_iter()
                .find(|t| site.has("ki_technik", t))
                .or_else(|| {
                    site.vocab
                        .get("ki_technik")
                        .and_then(|s| s.iter().next().map(String::as_str))
                })
                .unwrap_or("klassifikation")
                .to_string();
            let shown = generic
                .iter()
                .map(|(g, _)| g.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            m.comment(
                "ki_technik",
                format!(
                    "TODO: KI-Verfahren bestimmen (PSTW: „{}“); `{placeholder}` ist nur ein Platzhalter",
                    if shown.is_empty() { "keine Angabe" } else { &shown }
                ),
            );
            if generic.is_empty() {
                m.unmapped(
                    line,
                    COL_AI_MAIN,
                    "",
                    format!("Platzhalter `{placeholder}`"),
                );
            }
            for (g, col) in &generic {
                m.unmapped(
                    line,
                    col,
                    g,
                    format!("zu allgemein; Platzhalter `{placeholder}`"),
                );
            }
            m.todos.push("`ki_technik` bestimmen (Platzhalter)".into());
            ids.push(placeholder);
        }
    }
    m.example.ki_technik = ids;
}

fn map_interaktion(m: &mut Mapped, line: u64, raw: &str, site: &Site) {
    let mut out = Vec::new();
    for part in raw
        .split([',', ';', '/'])
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
    {
        let id = match part.as_str() {
            "G2C" => "buerger",
            "G2B" => "wirtschaft",
            "G2G" => "intern",
            _ => {
                m.unmapped(line, COL_INTERACTION, &part, "nicht übernommen");
                continue;
            }
        };
        if site.has("interaktion", id) && !out.iter().any(|o| o == id) {
            out.push(id.to_string());
        }
    }
    m.example.interaktion = out;
}

// ---------------------------------------------------------------------------------------------
// Sources

/// All http(s) URLs in a cell, cleaned of surrounding punctuation, and the text left over.
fn extract_urls(raw: &str) -> (Vec<String>, String) {
    let mut urls = Vec::new();
    let mut rest = String::new();
    for token in raw.split_whitespace() {
        let lower = token.to_ascii_lowercase();
        let Some(at) = lower.find("http://").or_else(|| lower.find("https://")) else {
            rest.push_str(token);
            rest.push(' ');
            continue;
        };
        rest.push_str(&token[..at]);
        rest.push(' ');
        let mut url = &token[at..];
        // Two URLs glued together, or a URL followed by a word ("…/and").
        if let Some(next) = url.get(8..).and_then(|r| r.find("http")).map(|i| i + 8) {
            urls.push(url[..next].to_string());
            url = &url[next..];
        }
        urls.push(url.to_string());
    }
    let urls = urls
        .into_iter()
        .map(|u| {
            u.trim_end_matches(['.', ',', ';', ')', ']', '>', '"', '\'', '“', '”'])
                .to_string()
        })
        .filter(|u| crate::validate::is_http_url(u))
        .collect();
    let mut rest = collapse_ws(&rest);
    // Drop joining words and punctuation left at the ends ("…, and").
    loop {
        let before = rest.clone();
        rest = rest
            .trim_matches([',', ';', ' ', '-', '.'])
            .trim_start_matches(')')
            .trim_end_matches('(')
            .to_string();
        if rest.starts_with('(') && !rest.contains(')') {
            rest.remove(0);
        }
        if rest.ends_with(')') && !rest.contains('(') {
            rest.pop();
        }
        for w in ["and", "und"] {
            if let Some(r) = rest.strip_suffix(w) {
                if r.is_empty() || r.ends_with(' ') || r.ends_with(',') {
                    rest = r.to_string();
                }
            }
            if let Some(r) = rest.strip_prefix(w) {
                if r.is_empty() || r.starts_with(' ') {
                    rest = r.to_string();
                }
            }
        }
        if rest == before {
            break;
        }
    }
    (urls, rest)
}

fn map_quellen(
    m: &mut Mapped,
    line: u64,
    website: &str,
    source: &str,
    title: &str,
    opts: &PstwOptions,
) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let title = truncate_words(title, 250);
    for (col, raw, label) in [(COL_WEBSITE, website, ""), (COL_SOURCE, source, "Quelle")] {
        let (urls, rest) = extract_urls(raw);
        if !rest.is_empty() {
            m.unmapped(line, col, &rest, "keine Webadresse; nicht übernommen");
        }
        let n = urls.len();
        for (i, url) in urls.into_iter().enumerate() {
            if !seen.insert(url.trim_end_matches('/').to_string()) {
                continue;
            }
            let t = match (label, n) {
                ("", _) => title.clone(),
                (l, 1) => format!("{title} ({l})"),
                (l, _) => format!("{title} ({l} {})", i + 1),
            };
            m.example.quellen.push(Quelle {
                titel: t,
                url,
                abgerufen: Some(opts.retrieved.clone()),
            });
        }
    }
    m.comment(
        "quellen",
        "bitte prüfen: Titel aus dem PSTW-Namen; Erreichbarkeit der Adressen prüfen",
    );
    if m.example.quellen.is_empty() {
        m.example.quellen.push(Quelle {
            titel: "Public Sector Tech Watch (Europäische Kommission, JRC)".into(),
            url: "https://joinup.ec.europa.eu/collection/public-sector-tech-watch".into(),
            abgerufen: Some(opts.retrieved.clone()),
        });
        m.comment(
            "quellen",
            "TODO: eigene Quelle des Vorhabens ergänzen (PSTW nennt keine Webadresse)",
        );
        m.unmapped(
            line,
            COL_WEBSITE,
            website,
            "keine Webadresse; PSTW-Übersichtsseite als Quelle",
        );
        m.todos
            .push("`quellen` ergänzen (nur PSTW-Übersicht)".into());
    }
}

// ---------------------------------------------------------------------------------------------
// Rendering

/// Escape Markdown so that the English original shows as plain text.
fn escape_markdown(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, c) in line.chars().enumerate() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' => {
                out.push('\\');
                out.push(c);
            }
            '#' | '-' | '+' | '=' | '|' if i == 0 => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// Text safe inside an HTML comment.
fn comment_safe(s: &str) -> String {
    collapse_ws(s).replace("--", "–").replace('>', "›")
}

fn render_body(m: &Mapped) -> String {
    let mut b = String::new();
    let _ = writeln!(
        b,
        "<!-- Entwurf aus `koki import pstw` ({}). Für die Redaktion:",
        m.pstw
    );
    b.push_str(
        "     Titel und Kurzbeschreibung auf Deutsch schreiben; die empfohlenen Abschnitte\n",
    );
    b.push_str("     (## Ausgangslage, ## Lösung und Funktionsweise, ## Daten, ## Wirkung, …) in eigenen\n");
    b.push_str("     Worten aus der Originalbeschreibung verfassen, nur mit belegten Fakten; alle Felder\n");
    b.push_str("     mit „bitte prüfen“ oder „TODO“ im Front Matter klären. Der Abschnitt\n");
    b.push_str("     „Originalbeschreibung“ kann danach entfallen, die Grundlage-Zeile bleibt.\n");
    if !m.facts.is_empty() {
        b.push_str("     Weitere Angaben in PSTW:\n");
        for (label, value) in &m.facts {
            let _ = writeln!(b, "       {label}: {}", comment_safe(&shorten(value, 160)));
        }
    }
    b.push_str("-->\n\n");
    b.push_str("## Originalbeschreibung (PSTW, englisch)\n\n");
    if m.description.is_empty() {
        b.push_str("> (keine Beschreibung in PSTW)\n");
    } else {
        let mut blank = false;
        for line in m.description.lines() {
            let line = line.trim();
            if line.is_empty() {
                if !blank {
                    b.push_str(">\n");
                }
                blank = true;
                continue;
            }
            blank = false;
            let _ = writeln!(b, "> {}", escape_markdown(line));
        }
    }
    let _ = writeln!(
        b,
        "\n*Grundlage: Public Sector Tech Watch ({}), Europäische Kommission, Gemeinsame Forschungsstelle (JRC), CC BY 4.0*",
        m.pstw
    );
    b
}

/// The draft file: front matter with comments, then the body.
fn render_draft(m: &Mapped) -> Result<String, ImportError> {
    let yaml = crate::yaml::to_string(&m.example)?;
    let mut out = String::from("---\n");
    let _ = writeln!(
        out,
        "# Entwurf aus Public Sector Tech Watch ({}), erzeugt mit `koki import pstw`.",
        m.pstw
    );
    out.push_str(
        "# Mit „bitte prüfen“ markierte Werte sind geschätzt, mit „TODO“ markierte Platzhalter.\n",
    );
    for line in yaml.lines() {
        let key = line
            .split_once(':')
            .map(|(k, _)| k)
            .filter(|k| !k.starts_with([' ', '-', '#']) && !k.is_empty());
        if let Some(comments) = key.and_then(|k| m.comments.get(k)) {
            for c in comments {
                for (i, part) in c.lines().enumerate() {
                    let _ = writeln!(out, "# {}{}", if i > 0 { "  " } else { "" }, part);
                }
            }
        }
        out.push_str(line);
        out.push('\n');
    }
    out.push_str("---\n\n");
    out.push_str(&render_body(m));
    Ok(out)
}

// ---------------------------------------------------------------------------------------------
// Command line

/// `koki import …`
#[derive(clap::Subcommand, Debug, Clone)]
pub enum ImportCommand {
    /// Zeilen des Public-Sector-Tech-Watch-Datensatzes (CSV) als Entwürfe von Beispielen anlegen.
    ///
    /// Überschreibt nie eine Datei und überspringt Zeilen, deren PSTW-Kennung im Zielverzeichnis
    /// schon vorkommt. Nicht zuordenbare Werte werden mit Zeile, Spalte und Wert aufgelistet;
    /// sie ändern den Exit-Code nicht (0). Exit-Code 2 bei unlesbarer CSV-Datei oder Site.
    Pstw(PstwArgs),
}

#[derive(clap::Args, Debug, Clone)]
pub struct PstwArgs {
    /// Die CSV-Datei des Datensatzes (UTF-8, mit oder ohne BOM).
    pub csv: PathBuf,
    /// Wurzelverzeichnis der Site (Vokabulare und Handlungsfelder werden von dort gelesen).
    #[arg(long, default_value = ".")]
    pub root: PathBuf,
    /// Nur Zeilen dieser Länder („Geographical coverage (country)“), durch Kommas getrennt.
    #[arg(long, value_delimiter = ',', default_value = "Germany")]
    pub country: Vec<String>,
    /// Nur Zeilen dieser Ausdehnung („Geographical extent“), durch Kommas getrennt.
    #[arg(long, value_delimiter = ',', default_value = "Local,Regional")]
    pub extent: Vec<String>,
    /// Auch Zeilen ohne KI als Technologie übernehmen (Standard: nur „Artificial Intelligence“).
    #[arg(long)]
    pub all_technologies: bool,
    /// Zielverzeichnis (Standard: `<root>/content/beispiele`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Abrufdatum der Quellen: Stand des Datensatzes (JJJJ-MM-TT).
    #[arg(long, default_value = DEFAULT_RETRIEVED)]
    pub retrieved: String,
    /// Erfassungsdatum der Entwürfe (Standard: `SOURCE_DATE_EPOCH` oder heute).
    #[arg(long)]
    pub date: Option<String>,
    /// Nur anzeigen, was geschrieben würde.
    #[arg(long)]
    pub dry_run: bool,
}

impl PstwArgs {
    pub fn options(&self) -> PstwOptions {
        let mut o = PstwOptions::new(&self.csv, &self.root);
        if let Some(out) = &self.out {
            o.out = out.clone();
        }
        o.countries = self.country.clone();
        o.extents = self.extent.clone();
        o.all_technologies = self.all_technologies;
        o.retrieved = self.retrieved.clone();
        if let Some(d) = &self.date {
            o.date = d.clone();
        }
        o.dry_run = self.dry_run;
        o
    }
}

/// Run an import command and print its report (summary to stdout). Returns the report.
pub fn run(cmd: &ImportCommand) -> Result<ImportReport, ImportError> {
    match cmd {
        ImportCommand::Pstw(args) => {
            let report = import_pstw(&args.options())?;
            print!("{}", report.render());
            Ok(report)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(raw: &str) -> Vec<String> {
        parse_organisations(raw)
            .into_iter()
            .map(|o| o.name)
            .collect()
    }

    #[test]
    fn organisations_are_split_only_between_organisations() {
        assert_eq!(
            names("Municipalities of Bielefeld, Gütersloh, Lemgo, Neuss, Rheine and Soest"),
            [
                "Bielefeld",
                "Gütersloh",
                "Lemgo",
                "Neuss",
                "Rheine",
                "Soest"
            ]
        );
        assert_eq!(
            names("Cities of Singen and Weima"),
            ["Singen (Hohentwiel)", "Weima"]
        );
        assert_eq!(
            names("Stadt Bergisch Gladbach, Gemeinde Niederkruchten and others"),
            ["Bergisch Gladbach", "Niederkruchten"]
        );
        assert_eq!(
            names("Oberaudorf Municipality, Municipality of Kiefersfelden"),
            ["Oberaudorf", "Kiefersfelden"]
        );
        assert_eq!(
            names("Baden Wurttemberg, Hesse,  Berlin and  North Rhine-Westphalia"),
            [
                "Land Baden-Württemberg",
                "Land Hessen",
                "Berlin",
                "Land Nordrhein-Westfalen"
            ]
        );
        assert_eq!(
            names("Ministry of Social Affairs, Youth, Family, Senior Citizens, Integration and Equality of Schleswig-Holstein").len(),
            1
        );
        assert_eq!(
            names("Free and Hanseatic City of Hamburg, Authority for Transport and Mobility Transition (FHH)").len(),
            1
        );
        assert_eq!(
            names("State of Berlin, represented by the Senate Department for the Environment, Transport and Climate Protection").len(),
            1
        );
        assert_eq!(
            names("Deutsches Museum von Meistwerken der Naturwissenschaft und Technik (AdöR)"),
            ["Deutsches Museum von Meistwerken der Naturwissenschaft und Technik (AdöR)"]
        );
        assert_eq!(names("City of Bonn"), ["Bonn"]);
        assert_eq!(names("Municipality of Cologne"), ["Köln"]);
        assert_eq!(
            names("District of Recklinghausen"),
            ["Kreis Recklinghausen"]
        );
        assert_eq!(
            names("State Government of Schleswig-Holstein"),
            ["Land Schleswig-Holstein"]
        );
    }

    #[test]
    fn places_prefer_longer_names() {
        let found: Vec<&str> = find_places("Lower Saxony State Health Office")
            .iter()
            .map(|p| p.land)
            .collect();
        assert_eq!(found, ["ni"]);
        assert_eq!(find_places("Saxony-Anhalt")[0].land, "st");
        assert!(find_places("Hammer").is_empty());
    }

    #[test]
    fn cofog_names_are_matched_loosely() {
        assert_eq!(cofog_code("Transport", 4), Some("04.5"));
        assert_eq!(
            cofog_code("General public services n.e.c.", 4),
            Some("01.6")
        );
        assert_eq!(cofog_code("Economic affairs n.e.c", 4), Some("04.9"));
        assert_eq!(
            cofog_code("General economic, commercial and labour affair", 4),
            Some("04.1")
        );
        assert_eq!(cofog_code("Fire-protection services ", 4), Some("03.2"));
        assert_eq!(
            cofog_code("R&D related to environmental protection", 4),
            Some("05.5")
        );
        assert_eq!(cofog_code("Economic Affairs", 2), Some("04"));
        assert_eq!(
            cofog_code("recreation, culture and religion", 2),
            Some("08")
        );
        assert_eq!(cofog_code("Something else", 4), None);
    }

    #[test]
    fn text_is_truncated_at_boundaries() {
        let t = truncate_words(&"word ".repeat(40), 100);
        assert!(t.chars().count() <= 100 && t.ends_with('…'), "{t}");
        let s = truncate_summary(&format!("{}. {}", "a".repeat(300), "b ".repeat(100)), 400);
        assert!(s.ends_with('.') && s.chars().count() <= 400);
    }

    #[test]
    fn urls_are_extracted() {
        let (u, rest) = extract_urls(
            "Mail to AI Watch (15-5-2020), https://a.example/x, and https://b.example/y.",
        );
        assert_eq!(u, ["https://a.example/x", "https://b.example/y"]);
        assert_eq!(rest, "Mail to AI Watch (15-5-2020)");
        let (u, _) = extract_urls("https://a.example/and https://b.example/");
        assert_eq!(u.len(), 2);
    }

    #[test]
    fn years() {
        assert_eq!(parse_year("2021"), Some(2021));
        assert_eq!(parse_year("\u{a0}"), None);
        assert_eq!(parse_year("2021.0"), Some(2021));
        assert_eq!(parse_year("n/a"), None);
    }
}
