//! `koki check`: everything `build` validates, without writing anything, plus checks that matter
//! for contributors before a pull request is merged:
//!
//! - placeholders left over from `koki new` (`TODO …`) — errors;
//! - internal links in Markdown bodies (`/beispiele/<id>/`, `/szenarien/<id>/`,
//!   `/handlungsfelder/<id>/`, `/seiten/<id>/`, `/filter/<facet>/<value>/`, `#anchor`,
//!   `/beispiele/<id>/#anchor`) and links to source files (`x.md`) — errors;
//! - duplicates: the same PSTW id in two examples (error), the same municipality with a
//!   similar title (warning);
//! - stale entries (`zuletzt_geprueft`, else `erfasst_am`, older than 18 months) — warnings;
//! - body structure of examples: a body that follows none of the recommended sections, or a
//!   heading that misses a recommended one by a typo — warnings.
//!
//! Warnings are not shown for a file that has errors: they would bury the errors and appear
//! once those are fixed. The reference date for staleness is injected ([`check_with_date`]);
//! the CLI uses [`reference_date`] (`SOURCE_DATE_EPOCH` if set, else today).

use crate::dates::{date_from_epoch, stale_cutoff, STALE_AFTER_MONTHS};
use crate::diagnostics::{did_you_mean, Diagnostic, Diagnostics, Severity};
use crate::load::{self, Entry, Loaded, Source};
use crate::markdown;
use crate::model::Example;
use crate::yaml::{Seg, YamlSource};
use chrono::NaiveDate;
use pulldown_cmark::{Event, Options, Parser, Tag};
use serde_yaml::Value;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

mod duplicates;
mod freshness;
mod links;
mod placeholders;
pub use self::duplicates::*;
use self::{freshness::*, links::*, placeholders::*};

pub use crate::scaffold::PLACEHOLDER;

/// Recommended body sections of an example, in their recommended order.
pub const RECOMMENDED_SECTIONS: &[&str] = &[
    "Ausgangslage",
    "Lösung und Funktionsweise",
    "Daten",
    "Wirkung",
    "Beschäftigte und Beteiligung",
    "Gemeinwohl und Risiken",
    "Herausforderungen und Erkenntnisse",
    "Übertragbarkeit",
];

/// Two titles of the same municipality at least this similar (0..1) are reported as possible
/// duplicates.
pub const SIMILAR_TITLE_THRESHOLD: f64 = 0.85;

/// The date staleness is measured against: `SOURCE_DATE_EPOCH` (seconds since 1970) if set and
/// valid, else today (UTC). Unlike the build (`dates::reference_date`, never the wall clock),
/// `check` reports what is overdue today.
pub fn reference_date() -> NaiveDate {
    date_from_epoch(std::env::var("SOURCE_DATE_EPOCH").ok().as_deref())
        .unwrap_or_else(|| chrono::Utc::now().date_naive())
}

/// Run all checks for the site at `root` with today's reference date.
pub fn check(root: &Path) -> Diagnostics {
    check_with_date(root, reference_date())
}

/// Run all checks for the site at `root`; `today` is the reference date for staleness.
/// The result is sorted; warnings stay warnings (the caller applies `--strict`).
pub fn check_with_date(root: &Path, today: NaiveDate) -> Diagnostics {
    let (loaded, mut diags) = load::load(root);
    crate::validate::validate(&loaded, &mut diags);

    let mut placeholders = check_placeholders(root);
    // A placeholder usually also fails a type or vocabulary check at the same spot; one
    // message ("replace the placeholder") is clearer than two. The placeholder message keeps
    // what that check expected (e.g. the vocabulary's values).
    let spot = |d: &Diagnostic| (d.file.clone(), d.line, d.column);
    let spots: HashSet<(PathBuf, usize, usize)> = placeholders.iter().map(spot).collect();
    let mut expected: BTreeMap<(PathBuf, usize, usize), String> = BTreeMap::new();
    diags.items.retain(|d| {
        if !spots.contains(&spot(d)) {
            return true;
        }
        if let Some(e) = &d.expected {
            expected.entry(spot(d)).or_insert_with(|| e.clone());
        }
        false
    });
    for d in &mut placeholders {
        if let Some(e) = expected.remove(&spot(d)) {
            d.expected = Some(e);
        }
    }
    diags.extend(placeholders);

    let index = SiteIndex::new(root, &loaded);
    check_links(&loaded, &index, &mut diags);
    // Advice (warnings) on files that already have errors would only bury the errors; it is
    // shown once the errors are fixed.
    let mut advice = Diagnostics::default();
    check_duplicates(&loaded, &mut diags, &mut advice);
    check_stale(&loaded, today, &mut advice);
    check_sections(&loaded, &mut advice);
    check_missing_ags(&loaded, &mut advice);
    let with_errors: HashSet<PathBuf> = diags
        .items
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.file.clone())
        .collect();
    diags.extend(
        advice
            .items
            .into_iter()
            .filter(|d| !with_errors.contains(&d.file)),
    );
    diags.sort();
    diags
}

#[cfg(test)]
mod tests;
