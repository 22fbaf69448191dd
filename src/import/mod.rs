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
//! One module per concern: reading the CSV ([`table`]), what is read from the site ([`site`]),
//! mapping a row ([`mapping`], with the tables of [`places`], [`orgs`], [`action_field`],
//! [`status`], [`technique`] and [`sources`]), shortening text and making ids ([`text`]) and
//! writing the draft ([`draft`]). The action fields' `cofog` codes and the vocabulary's
//! `mappings.nuts` are read from the site.

use crate::error::Error;
use crate::load;
use crate::model::{Example, Kommune, Quelle, Zeitraum};
use koki_text::{cut_at_hyphen as cut_slug, slugify as slug};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

mod action_field;
mod draft;
mod mapping;
mod orgs;
mod places;
mod site;
mod sources;
mod status;
mod table;
mod technique;
mod text;
use self::{
    action_field::*, draft::*, mapping::*, orgs::*, places::*, site::*, sources::*, status::*,
    table::*, technique::*, text::*,
};

/// Snapshot date of the PSTW dataset shipped in `../shared/data/pstw/`.
pub const DEFAULT_RETRIEVED: &str = "2026-03-04";

/// Longest file stem the importer generates.
const MAX_ID_CHARS: usize = 70;

// ---------------------------------------------------------------------------------------------
// Options, report, errors

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
// Entry point

/// Import the rows of `opts.csv` that pass the filters as drafts into `opts.out`.
pub fn import_pstw(opts: &PstwOptions) -> Result<ImportReport, Error> {
    for (option, value) in [("retrieved", &opts.retrieved), ("date", &opts.date)] {
        if !crate::validate::is_date(value) {
            return Err(Error::InvalidDate {
                option,
                value: value.clone(),
            });
        }
    }
    let site = Site::load(&opts.root)?;
    let bytes = std::fs::read(&opts.csv).map_err(|source| Error::ReadCsv {
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
        .map_err(|source| Error::Csv {
            path: opts.csv.clone(),
            source,
        })?
        .clone();
    let cols = Columns::new(&headers);
    for c in REQUIRED_COLUMNS {
        if cols.index(c).is_none() {
            return Err(Error::MissingColumn(c));
        }
    }

    let mut existing = existing_pstw_ids(&opts.out);
    if !opts.dry_run {
        std::fs::create_dir_all(&opts.out).map_err(|source| Error::OutDir {
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
        let record = record.map_err(|source| Error::Csv {
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
fn write_new(path: &Path, text: &str) -> Result<(), Error> {
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|source| Error::Write {
            path: path.to_path_buf(),
            source,
        })?;
    f.write_all(text.as_bytes()).map_err(|source| Error::Write {
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
pub fn run(cmd: &ImportCommand) -> Result<ImportReport, Error> {
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
