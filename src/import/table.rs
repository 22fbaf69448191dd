//! Reading the PSTW CSV: its columns and rows.

use super::*;

pub(super) const COL_ID: &str = "PSTW ID";
pub(super) const COL_NAME: &str = "Name";
pub(super) const COL_WEBSITE: &str = "Website";
pub(super) const COL_DESCRIPTION: &str = "Description";
pub(super) const COL_EXTENT: &str = "Geographical extent";
pub(super) const COL_COUNTRY: &str = "Geographical coverage (country)";
pub(super) const COL_NUTS: &str = "NUTS 2021";
pub(super) const COL_ORG: &str = "Responsible organisation";
pub(super) const COL_ORG_CATEGORY: &str = "Responsible organisation category";
pub(super) const COL_COFOG1: &str = "Functions of Government (COFOG level I)";
pub(super) const COL_COFOG2: &str = "Functions of Government (COFOG level II)";
pub(super) const COL_STATUS: &str = "Status";
pub(super) const COL_START: &str = "Start Year";
pub(super) const COL_END: &str = "End Year";
pub(super) const COL_PRIMARY_TECH: &str = "Primary Technology";
pub(super) const COL_SECONDARY_TECH: &str = "Secondary Technology";
pub(super) const COL_INTERACTION: &str = "Interaction";
pub(super) const COL_SOURCE: &str = "Source";
pub(super) const COL_AI_MAIN: &str = "AI Classification Subdomain (II) (main)";
pub(super) const COL_AI_OTHER: [&str; 3] = [
    "AI Classification Subdomain (II) (Other I)",
    "AI Classification Subdomain (II) (Other II)",
    "AI Classification Subdomain (II) (Other III)",
];
pub(super) const COL_AI_KEYWORDS: &str = "AI Keywords";
pub(super) const COL_DATE_UPDATED: &str = "Date updated";

pub(super) const REQUIRED_COLUMNS: [&str; 4] = [COL_ID, COL_NAME, COL_EXTENT, COL_COUNTRY];

/// Header name → index, matched trimmed and case-insensitively (the dataset has " Status").
pub(super) struct Columns(BTreeMap<String, usize>);

impl Columns {
    pub(super) fn new(headers: &csv::ByteRecord) -> Self {
        let mut m = BTreeMap::new();
        for (i, h) in headers.iter().enumerate() {
            let h = clean(&String::from_utf8_lossy(h)).to_lowercase();
            m.entry(h).or_insert(i);
        }
        Columns(m)
    }

    pub(super) fn index(&self, name: &str) -> Option<usize> {
        self.0.get(&name.to_lowercase()).copied()
    }
}

/// One CSV row with cleaned cell values.
pub(super) struct Row<'c> {
    pub(super) cols: &'c Columns,
    pub(super) cells: Vec<String>,
    pub(super) line: u64,
}

impl Row<'_> {
    /// Cell value: non-breaking spaces replaced, trimmed; "" when the column or cell is missing.
    pub(super) fn get(&self, column: &str) -> &str {
        self.cols
            .index(column)
            .and_then(|i| self.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// Replace non-breaking spaces and trim.
pub(super) fn clean(s: &str) -> String {
    s.replace(['\u{a0}', '\u{feff}'], " ").trim().to_string()
}

pub(super) fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub(super) fn matches_any(value: &str, accepted: &[String]) -> bool {
    let v = collapse_ws(value).to_lowercase();
    accepted.iter().any(|a| collapse_ws(a).to_lowercase() == v)
}
