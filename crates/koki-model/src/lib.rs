//! The content model of koki and everything that judges content without touching the disk:
//! the typed entries ([`model`]), splitting front matter ([`frontmatter`]), YAML parsing with
//! positioned errors ([`yaml`]), one content file parsed from its text ([`entry`]), validation
//! of the whole ([`validate`]), the Destatis Kreis table ([`places`]) and the diagnostics all of
//! them report ([`diagnostics`]).
//!
//! May not import: the file system, threads, the network, templates or the search index. It
//! builds for `wasm32-unknown-unknown`, so the browser can run the same checks as `koki check`.
//! Reading files is `koki_site::load`'s job; everything downstream (catalog, render, export,
//! search) lives in `koki-site` and `koki-search` and reads this crate's types. Its one error
//! type is [`Error`]; content problems are [`diagnostics::Diagnostics`].

// Diagnostics are rich values by design and are returned by value on the error path.
#![allow(clippy::result_large_err)]

pub mod diagnostics;
pub mod entry;
pub mod error;
pub mod fields;
pub mod frontmatter;
pub mod model;
pub mod places;
pub mod submission;
pub mod validate;
pub mod yaml;

pub use error::Error;
