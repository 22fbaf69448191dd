//! koki — the static site generator of the catalog "Kommunen & KI".
//!
//! Data flows one way: `load` (files → typed entries) → `validate` (all problems at once) →
//! `catalog` (one validated value) → outputs: `render` (HTML via Tera), `export` (feeds, open
//! data, sitemap) and the search bundle — all written by `output` into a staging directory
//! that is swapped into place atomically.

// Diagnostics are rich values by design and are returned by value on the error path.
#![allow(clippy::result_large_err)]

pub mod bench;
pub mod check;
pub mod error;
pub mod import;
pub mod serve;
pub mod synth;

// The site pipeline lives in `koki-site`; its modules are re-exported so that `koki::render`,
// `crate::load` and the other paths stay as they were.
/// The one error type of the site pipeline (build, export, search files, `koki new`, schema).
pub use error::Error;
pub use koki_site::Error as SiteError;
pub use koki_site::{
    browse, build, catalog, dates, export, factbox, fit, linkcheck, load, map, markdown, output,
    paths, render, scaffold, schema, search, stats, submit,
};

// The content model lives in its own crate (no file-system access; builds for wasm32); its
// modules are re-exported so that `koki::model` and `crate::model` keep their paths.
pub use koki_model::{diagnostics, entry, fields, frontmatter, model, places, validate, yaml};
