//! The source stamps of the committed browser modules (search and submission form).
//!
//! `scripts/build-search-wasm.sh` writes `themes/default/static/search/koki_search.stamp`
//! with [`source_stamp`] of the sources the module was built from (and
//! `scripts/build-form-wasm.sh` the form module's with [`stamp_of`]`(root, &FORM)`); a test
//! recomputes each and fails when the sources changed without a rebuild.

use std::collections::{BTreeMap, BTreeSet};
use std::io;
use std::path::{Path, PathBuf};

use crate::bundle::Fnv;

/// Directories and files (relative to the workspace root) whose content defines the module.
pub const STAMPED: &[&str] = &[
    "crates/koki-text/Cargo.toml",
    "crates/koki-text/src",
    "crates/koki-search/Cargo.toml",
    "crates/koki-search/src",
    "crates/koki-search-wasm/Cargo.toml",
    "crates/koki-search-wasm/src",
    "crates/koki-wasm-abi/Cargo.toml",
    "crates/koki-wasm-abi/src",
];

/// Files and directories inside [`STAMPED`] that are compiled only for native targets
/// (`#[cfg(not(target_arch = "wasm32"))]` in lib.rs): the module does not depend on them, so
/// changing the indexer does not require rebuilding the module.
pub const NATIVE_ONLY: &[&str] = &[
    "crates/koki-search/src/build",
    "crates/koki-search/src/stamp.rs",
];

/// Path of the stamp file relative to the workspace root.
pub const STAMP_FILE: &str = "themes/default/static/search/koki_search.stamp";
/// Path of the module relative to the workspace root.
pub const MODULE_FILE: &str = "themes/default/static/search/koki_search.wasm";

fn collect(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) -> io::Result<()> {
    let p = root.join(rel);
    if p.is_dir() {
        for e in std::fs::read_dir(&p)? {
            let e = e?;
            collect(root, &rel.join(e.file_name()), out)?;
        }
    } else if p.is_file() {
        out.push(rel.to_path_buf());
    }
    Ok(())
}

/// A committed wasm module: what it is built from and where it and its stamp live.
#[derive(Debug, Clone, Copy)]
pub struct Module {
    /// Crate the module is built from; its part of `Cargo.lock` is stamped.
    pub package: &'static str,
    /// Directories and files (relative to the workspace root) whose content defines it.
    pub stamped: &'static [&'static str],
    /// Files (or directories: everything below them) inside `stamped` that the module does
    /// not compile.
    pub native_only: &'static [&'static str],
    pub stamp_file: &'static str,
    pub module_file: &'static str,
}

/// The search module.
pub const SEARCH: Module = Module {
    package: "koki-search-wasm",
    stamped: STAMPED,
    native_only: NATIVE_ONLY,
    stamp_file: STAMP_FILE,
    module_file: MODULE_FILE,
};

/// The submission form's module (content model and validation).
pub const FORM: Module = Module {
    package: "koki-form-wasm",
    stamped: &[
        "crates/koki-text/Cargo.toml",
        "crates/koki-text/src",
        "crates/koki-model/Cargo.toml",
        "crates/koki-model/src",
        "crates/koki-form-wasm/Cargo.toml",
        "crates/koki-form-wasm/src",
        "crates/koki-wasm-abi/Cargo.toml",
        "crates/koki-wasm-abi/src",
        "data/kreise/kreise.csv",
    ],
    native_only: &[],
    stamp_file: "themes/default/static/einreichen/koki_form.stamp",
    module_file: "themes/default/static/einreichen/koki_form.wasm",
};

/// `file` is one of `module.native_only` or lies below one of them.
fn is_native_only(module: &Module, file: &str) -> bool {
    module.native_only.iter().any(|n| {
        file.strip_prefix(n)
            .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// Hash of the search module's sources (see [`stamp_of`]).
pub fn source_stamp(root: &Path) -> io::Result<String> {
    stamp_of(root, &SEARCH)
}

/// Hash of a module's sources and of the part of `Cargo.lock` it depends on (its package and
/// everything that reaches), so unrelated dependency changes elsewhere in the workspace do
/// not invalidate the module.
pub fn stamp_of(root: &Path, module: &Module) -> io::Result<String> {
    let mut files = Vec::new();
    for s in module.stamped {
        collect(root, Path::new(s), &mut files)?;
    }
    let mut files: Vec<String> = files
        .iter()
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .filter(|f| !is_native_only(module, f))
        .collect();
    files.sort();
    let mut h = Fnv::new();
    for f in &files {
        let text = std::fs::read(root.join(f))?;
        // Normalise line endings so a checkout with CRLF gives the same stamp.
        let text: Vec<u8> = text.into_iter().filter(|&b| b != b'\r').collect();
        h.write(f.as_bytes());
        h.write(&[0]);
        h.write(&text);
        h.write(&[0]);
    }
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))?;
    h.write(b"Cargo.lock\0");
    h.write(lock_subset(&lock, module.package).as_bytes());
    Ok(h.hex())
}

/// The `[[package]]` blocks of `Cargo.lock` reachable from package `root_pkg`, sorted.
pub fn lock_subset(lock: &str, root_pkg: &str) -> String {
    struct Pkg {
        name: String,
        version: String,
        deps: Vec<String>,
        text: String,
    }
    let mut pkgs: Vec<Pkg> = Vec::new();
    for block in lock.replace('\r', "").split("[[package]]").skip(1) {
        let text = block.trim().to_string();
        let mut name = String::new();
        let mut version = String::new();
        let mut deps = Vec::new();
        let mut in_deps = false;
        for line in text.lines() {
            let l = line.trim();
            if let Some(v) = l.strip_prefix("name = ") {
                name = v.trim_matches('"').to_string();
            } else if let Some(v) = l.strip_prefix("version = ") {
                version = v.trim_matches('"').to_string();
            } else if l.starts_with("dependencies = [") {
                in_deps = !l.ends_with(']');
            } else if in_deps {
                if l == "]" {
                    in_deps = false;
                } else {
                    deps.push(l.trim_end_matches(',').trim_matches('"').to_string());
                }
            }
        }
        pkgs.push(Pkg {
            name,
            version,
            deps,
            text,
        });
    }
    let mut by_name: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, p) in pkgs.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let mut seen: BTreeSet<usize> = BTreeSet::new();
    let mut stack: Vec<usize> = by_name.get(root_pkg).cloned().unwrap_or_default();
    while let Some(i) = stack.pop() {
        if !seen.insert(i) {
            continue;
        }
        for d in &pkgs[i].deps {
            let mut it = d.split(' ');
            let name = it.next().unwrap_or_default();
            let version = it.next();
            for &j in by_name.get(name).map(Vec::as_slice).unwrap_or(&[]) {
                if version.is_none_or(|v| pkgs[j].version == v) {
                    stack.push(j);
                }
            }
        }
    }
    let mut texts: Vec<&str> = seen.iter().map(|&i| pkgs[i].text.as_str()).collect();
    texts.sort();
    texts.join("\n\n")
}

#[cfg(test)]
mod tests {
    use super::{is_native_only, NATIVE_ONLY, SEARCH};

    #[test]
    fn a_native_only_directory_covers_the_files_below_it() {
        assert!(is_native_only(
            &SEARCH,
            "crates/koki-search/src/build/mod.rs"
        ));
        assert!(is_native_only(&SEARCH, "crates/koki-search/src/stamp.rs"));
        assert!(!is_native_only(
            &SEARCH,
            "crates/koki-search/src/builder.rs"
        ));
        assert!(!is_native_only(
            &SEARCH,
            "crates/koki-search/src/engine/mod.rs"
        ));
    }

    /// A file may only be left out of the stamp while lib.rs keeps it out of the module.
    #[test]
    fn native_only_files_are_not_compiled_into_the_module() {
        let lib = include_str!("lib.rs");
        for path in NATIVE_ONLY {
            // A file `x.rs` or a directory `x/` (with `x/mod.rs`) is the module `x`.
            let last = path.rsplit('/').next().expect("a path");
            let name = last.strip_suffix(".rs").unwrap_or(last);
            let lines: Vec<&str> = lib.lines().map(str::trim).collect();
            let decl = lines
                .iter()
                .position(|l| *l == format!("mod {name};") || *l == format!("pub mod {name};"))
                .unwrap_or_else(|| panic!("lib.rs declares no module {name}"));
            assert!(
                decl > 0 && lines[decl - 1] == "#[cfg(not(target_arch = \"wasm32\"))]",
                "{path} is excluded from the module stamp but lib.rs compiles it for wasm32"
            );
        }
    }
}
