//! `daten/catalog.csv`: one row per example, the columns from the field registry.

use super::*;
use crate::Error;

/// Columns of `daten/catalog.csv`, in order: `id`, `url`, then the columns of each registry
/// field that has them, in registry order.
pub fn csv_columns(registry: &Registry) -> Vec<&'static str> {
    let mut out = vec!["id", "url"];
    for f in registry.fields().iter().filter(|f| f.csv) {
        out.extend(field_columns(f));
    }
    out
}

/// Columns of one field: structured fields are spread over several; any other field has one
/// column named by its key.
pub(super) fn field_columns(f: &FieldSpec) -> Vec<&'static str> {
    match f.key {
        "kommunen" => vec!["kommunen", "ags", "lat", "lon"],
        "bundesland" => vec!["bundesland", "bundesland_name"],
        "handlungsfeld" => vec!["handlungsfeld", "handlungsfeld_titel", "cofog"],
        "zeitraum" => vec!["zeitraum_start", "zeitraum_ende"],
        "open_source" => vec!["open_source_lizenz", "open_source_code_url"],
        "kontakt" => vec!["kontakt_funktionspostfach", "kontakt_url"],
        "quellen" => vec!["quellen_urls"],
        _ => vec![f.key],
    }
}

/// Separator inside a CSV cell holding several values.
pub const CSV_LIST_SEPARATOR: &str = "; ";

pub(super) fn join<S: AsRef<str>>(items: impl IntoIterator<Item = S>) -> String {
    items
        .into_iter()
        .map(|s| s.as_ref().to_string())
        .collect::<Vec<_>>()
        .join(CSV_LIST_SEPARATOR)
}

pub(super) fn opt(v: &Option<String>) -> String {
    v.clone().unwrap_or_default()
}

/// One text of an optional group field (`kontakt.url`), empty where the group or the text
/// is not given.
fn part<T>(group: &Option<T>, text: impl Fn(&T) -> Option<&String>) -> String {
    group.as_ref().and_then(text).cloned().unwrap_or_default()
}

/// One CSV row (same order as [`csv_columns`]).
pub fn csv_row(catalog: &Catalog, e: &Entry<Example>) -> Vec<String> {
    let mut row = vec![
        e.id.clone(),
        format!("{}{}", catalog.base_url, paths::example(&e.id)),
    ];
    for f in catalog.registry.fields().iter().filter(|f| f.csv) {
        row.extend(field_cells(catalog, f.key, &e.meta));
    }
    row
}

/// The cells of one field's columns ([`field_columns`]).
pub(super) fn field_cells(catalog: &Catalog, key: &str, m: &Example) -> Vec<String> {
    let field = || catalog.field(&m.handlungsfeld);
    let point = || m.kommunen.iter().find_map(|k| k.koordinaten);
    match key {
        "titel" => vec![m.titel.clone()],
        "kurzbeschreibung" => vec![m.kurzbeschreibung.clone()],
        "kommunen" => vec![
            join(m.kommunen.iter().map(|k| k.name.as_str())),
            join(m.kommunen.iter().filter_map(|k| k.ags.as_deref())),
            point().map(|p| p.lat.to_string()).unwrap_or_default(),
            point().map(|p| p.lon.to_string()).unwrap_or_default(),
        ],
        "bundesland" => vec![
            m.bundesland.clone(),
            catalog.label("bundesland", &m.bundesland).to_string(),
        ],
        "handlungsfeld" => vec![
            m.handlungsfeld.clone(),
            field().map(|f| f.meta.titel.clone()).unwrap_or_default(),
            field().map(|f| join(&f.meta.cofog)).unwrap_or_default(),
        ],
        "handlungsfelder_weitere" => vec![join(&m.handlungsfelder_weitere)],
        "status_grund" => vec![opt(&m.status_grund)],
        "einwohner" => vec![m.einwohner.map(|n| n.to_string()).unwrap_or_default()],
        "zeitraum" => vec![
            m.zeitraum.map(|z| z.start.to_string()).unwrap_or_default(),
            m.zeitraum
                .and_then(|z| z.ende)
                .map(|y| y.to_string())
                .unwrap_or_default(),
        ],
        "motivation_erlaeuterung" => vec![opt(&m.motivation_erlaeuterung)],
        "foerderprogramm" => vec![opt(&m.foerderprogramm)],
        "anbieter" => vec![opt(&m.anbieter)],
        "open_source" => vec![
            part(&m.open_source, |o| Some(&o.lizenz)),
            part(&m.open_source, |o| o.code_url.as_ref()),
        ],
        "uebertragbarkeit" => vec![part(&m.uebertragbarkeit, |u| u.einschaetzung.as_ref())],
        "sdgs" => vec![join(m.sdgs.iter().map(|s| s.to_string()))],
        "kontakt" => vec![
            part(&m.kontakt, |k| k.funktionspostfach.as_ref()),
            part(&m.kontakt, |k| k.url.as_ref()),
        ],
        "szenarien" => vec![join(&m.szenarien)],
        "verwandte_beispiele" => vec![join(&m.verwandte_beispiele)],
        "fruehere_ids" => vec![join(&m.fruehere_ids)],
        "externe_ids" => vec![join(m.externe_ids.iter().map(|(k, v)| format!("{k}={v}")))],
        "erfasst_am" => vec![m.erfasst_am.clone()],
        "zuletzt_geprueft" => vec![opt(&m.zuletzt_geprueft)],
        "lizenz" => vec![m.lizenz.clone().unwrap_or_else(|| "CC-BY-4.0".into())],
        "tags" => vec![join(&m.tags)],
        "quellen" => vec![join(m.quellen.iter().map(|q| q.url.as_str()))],
        // Vocabulary fields, built-in or generic.
        _ => vec![join(vocab_values(m, key))],
    }
}

/// A cell as a spreadsheet cannot run it: text starting with `=`, `+`, `-`, `@`, a tab or a
/// carriage return gets a leading apostrophe ("CSV injection", OWASP); numbers such as `-7.5`
/// stay as they are.
pub fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}").into()
    } else {
        cell.into()
    }
}

/// `daten/catalog.csv`: UTF-8, comma-separated, header row, one row per example.
pub fn catalog_csv(catalog: &Catalog) -> Result<Vec<u8>, Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(csv_columns(&catalog.registry))?;
    for e in &catalog.examples {
        w.write_record(
            csv_row(catalog, e)
                .iter()
                .map(|c| spreadsheet_safe(c).into_owned()),
        )?;
    }
    w.into_inner()
        .map_err(|e| Error::Csv(csv::Error::from(e.into_error())))
}
