//! koki — the static site generator of the catalog "Kommunen & KI".
//!
//! Data flows one way: `load` (files → typed entries) → `validate` (all problems at once) →
//! `catalog` (one validated value) → outputs: `render` (HTML via Tera), `export` (feeds, open
//! data, sitemap) and the search bundle — all written by `output` into a staging directory
//! that is swapped into place atomically.

// Diagnostics are rich values by design and are returned by value on the error path.
#![allow(clippy::result_large_err)]

pub mod bench;
pub mod browse;
pub mod build;
pub mod catalog;
pub mod check;
pub mod dates;
pub mod diagnostics;
pub mod export;
pub mod fit;
pub mod frontmatter;
pub mod import;
pub mod linkcheck;
pub mod load;
pub mod map;
pub mod markdown;
pub mod model;
pub mod output;
pub mod places;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod synth;
pub mod validate;
pub mod yaml;
