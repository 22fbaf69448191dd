//! Prints the source stamp of the browser module (used by scripts/build-search-wasm.sh).
fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    match koki_search::stamp::source_stamp(&root) {
        Ok(s) => println!("{s}"),
        Err(e) => {
            eprintln!("cannot compute the search module stamp: {e}");
            std::process::exit(1);
        }
    }
}
