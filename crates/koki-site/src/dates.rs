//! Dates for reproducible builds: the build's reference date never comes from the wall clock.
//! It is `SOURCE_DATE_EPOCH` when set, otherwise the newest date recorded in the catalog.
//! `koki check` measures staleness against today instead (`check::reference_date`): it tells
//! contributors what is overdue now, while a build must give the same pages for the same input.
//! Both use [`STALE_AFTER_MONTHS`] through [`is_stale`].

use crate::catalog::Catalog;
use chrono::{Months, NaiveDate};

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
    date_from_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
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

/// Parse a `SOURCE_DATE_EPOCH` value (seconds since 1970, UTC) into a date.
pub fn date_from_epoch(value: Option<&str>) -> Option<NaiveDate> {
    let secs: i64 = value?.trim().parse().ok()?;
    chrono::DateTime::from_timestamp(secs, 0).map(|t| t.date_naive())
}

/// An entry counts as stale when it was last checked more than this many months before the
/// reference date (a notice on its page; a warning from `koki check`).
pub const STALE_AFTER_MONTHS: u32 = 18;

/// The earliest check date that is not yet stale at `reference`.
pub fn stale_cutoff(reference: NaiveDate) -> Option<NaiveDate> {
    reference.checked_sub_months(Months::new(STALE_AFTER_MONTHS))
}

/// Whether an entry last checked on `checked` is stale at `reference`.
pub fn is_stale(checked: NaiveDate, reference: NaiveDate) -> bool {
    stale_cutoff(reference).is_some_and(|cutoff| checked < cutoff)
}

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

    #[test]
    fn stale_after_eighteen_months_to_the_day() {
        let d = |s| parse(s).unwrap();
        assert!(!is_stale(d("2024-05-10"), d("2025-11-10")));
        assert!(is_stale(d("2024-05-09"), d("2025-11-10")));
        assert_eq!(stale_cutoff(d("2025-11-10")), Some(d("2024-05-10")));
    }

    #[test]
    fn epoch_dates() {
        assert_eq!(
            date_from_epoch(Some("1764316800")),
            NaiveDate::from_ymd_opt(2025, 11, 28)
        );
        assert_eq!(date_from_epoch(Some("kaputt")), None);
        assert_eq!(date_from_epoch(None), None);
    }
}
