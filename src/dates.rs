//! Dates for reproducible builds: the build's reference date never comes from the wall clock.
//! It is `SOURCE_DATE_EPOCH` when set, otherwise the newest date recorded in the catalog.

use crate::catalog::Catalog;
use chrono::NaiveDate;

/// Parse a `YYYY-MM-DD` date.
pub fn parse(iso: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(iso.trim(), "%Y-%m-%d").ok()
}

/// The newest `erfasst_am` / `zuletzt_geprueft` of all examples (and `erstellt_am` of
/// scenarios), as `YYYY-MM-DD`.
pub fn newest_content_date(catalog: &Catalog) -> Option<NaiveDate> {
    let examples = catalog.examples.iter().flat_map(|e| {
        std::iter::once(e.meta.erfasst_am.as_str()).chain(e.meta.zuletzt_geprueft.as_deref())
    });
    let scenarios = catalog
        .scenarios
        .iter()
        .map(|s| s.meta.erstellt_am.as_str());
    examples.chain(scenarios).filter_map(parse).max()
}

/// Reference date of the build: `SOURCE_DATE_EPOCH` (seconds since 1970, UTC) if set and valid,
/// else the newest date in the catalog, else 1970-01-01.
pub fn reference_date(catalog: &Catalog) -> NaiveDate {
    let from_env = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .map(|dt| dt.date_naive());
    from_env
        .or_else(|| newest_content_date(catalog))
        .unwrap_or_default()
}

/// Whole months from `from` to `to` (negative when `to` is earlier).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> i32 {
    use chrono::Datelike;
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() {
        months -= 1;
    }
    months
}

/// An entry counts as stale when it was last checked more than this many months ago.
pub const STALE_AFTER_MONTHS: i32 = 18;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_between_counts_whole_months() {
        let d = |s| parse(s).unwrap();
        assert_eq!(months_between(d("2024-05-10"), d("2025-11-10")), 18);
        assert_eq!(months_between(d("2024-05-10"), d("2025-11-09")), 17);
        assert_eq!(months_between(d("2025-01-01"), d("2024-01-01")), -12);
    }
}
