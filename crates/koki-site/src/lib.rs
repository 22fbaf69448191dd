//! koki-site — the site of the catalog "Kommunen & KI", from content files to `public/`.
//!
//! Owns: reading the content directory (`load`), the validated catalog (`catalog`), HTML
//! rendering with Tera (`render`, with `factbox`, `browse`, `fit`, `map`, `stats`,
//! `markdown`), feeds and open data (`export`), JSON Schema (`schema`), the search bundle and
//! its lazy parts (`search`), the contribution form page (`submit`), the entry templates of
//! `koki new` (`scaffold`), the internal link check of a built site (`linkcheck`), and the
//! staging directory that is swapped into place atomically (`output`). `build` runs the
//! pipeline: files → `load` → `koki_model::validate` → `catalog` → outputs.
//!
//! May import: `koki-model` (content model, validation, diagnostics), `koki-text` (folding,
//! slugs), `koki-search` (index building). May not import the `koki` binary crate: the
//! commands (`check`, `serve`, `import`, `bench`, the synthetic generator) sit on top of this
//! crate, never below it.

// Diagnostics are rich values by design and are returned by value on the error path.
#![allow(clippy::result_large_err)]

pub mod browse;
pub mod build;
pub mod catalog;
pub mod dates;
pub mod error;
pub mod export;
pub mod factbox;
pub mod fit;
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
pub mod stats;
pub mod submit;

pub use error::{Error, Result};

// The content model's modules under their old paths (`crate::model`, `crate::validate`, …).
pub use koki_model::{diagnostics, entry, fields, frontmatter, model, places, validate, yaml};
