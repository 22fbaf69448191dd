//! Prints the source stamp of a browser module: the search module, or with the argument
//! `form` the submission form's (used by scripts/build-search-wasm.sh and build-form-wasm.sh).
fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let module = match std::env::args().nth(1).as_deref() {
        Some("form") => koki_search::stamp::FORM,
        _ => koki_search::stamp::SEARCH,
    };
    match koki_search::stamp::stamp_of(&root, &module) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("cannot compute the stamp of {}: {e}", module.package);
            std::process::exit(1);
        }
    }
}
