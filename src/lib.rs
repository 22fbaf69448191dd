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
pub mod export;
pub mod factbox;
pub mod fit;
pub mod import;
pub mod linkcheck;
pub mod load;
pub mod map;
pub mod markdown;
pub mod output;
pub mod paths;
pub mod render;
pub mod scaffold;
pub mod schema;
pub mod search;
pub mod serve;
pub mod stats;
pub mod submit;
pub mod synth;

// The content model lives in its own crate (no file-system access; builds for wasm32); its
// modules are re-exported so that `koki::model` and `crate::model` keep their paths.
pub use koki_model::{diagnostics, entry, fields, frontmatter, model, places, validate, yaml};
