//! Submission form benchmark (not a test): what the form page downloads (module and context,
//! raw, gzip -9 and brotli -q 11) and how long checking the largest shipped example takes,
//! natively and in the committed module run by wasmi (an interpreter, so an upper bound; the
//! Chromium figure is printed by the e2e run: `KOKI_E2E=1 cargo test --test e2e`).
//!
//! Run: `cargo run --release --example bench_form [-- --root .]`

#[path = "../tests/search_support/mod.rs"]
mod search_support;

use search_support::{brotli, gzip};

use std::path::PathBuf;
use std::time::{Duration, Instant};

use koki_model::submission::{self, Context, Request};

fn sizes(name: &str, b: &[u8]) {
    println!(
        "{name}: {:.1} KB raw, {:.1} KB gzip, {:.1} KB brotli",
        b.len() as f64 / 1000.0,
        gzip(b) as f64 / 1000.0,
        brotli(b) as f64 / 1000.0
    );
}

fn median(mut runs: Vec<Duration>) -> f64 {
    runs.sort();
    runs[runs.len() / 2].as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let root = args
        .iter()
        .position(|a| a == "--root")
        .and_then(|i| args.get(i + 1))
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    let module_path = root.join(koki_search::stamp::FORM.module_file);
    let module = std::fs::read(&module_path).expect("committed form module");
    sizes("form module", &module);

    let (loaded, _) = koki::load::load(&root);
    let vocab = std::fs::read_to_string(root.join("content/vokabular.yaml")).unwrap_or_default();
    let ctx = Context::of(&loaded, vocab);
    let ctx_json = serde_json::to_vec(&ctx).unwrap();
    sizes("context (kontext.json)", &ctx_json);

    let largest = loaded
        .examples
        .iter()
        .max_by_key(|e| std::fs::metadata(root.join(&e.source.file)).map_or(0, |m| m.len()))
        .expect("an example");
    let file = largest.source.file.to_string_lossy().replace('\\', "/");
    let text = std::fs::read_to_string(root.join(&largest.source.file)).unwrap();
    println!(
        "largest example: {file} ({:.1} KB)",
        text.len() as f64 / 1000.0
    );

    let native: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            let d = submission::check(&ctx, &file, &text, false);
            std::hint::black_box(d);
            t.elapsed()
        })
        .collect();
    println!("check, native: {:.2} ms (median of 50)", median(native));

    let mut wasm = search_support::WasmModule::load(&module_path);
    let t = Instant::now();
    wasm.open(&ctx_json);
    println!(
        "open context, wasmi: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0
    );
    let request = serde_json::to_vec(&Request::Pruefen {
        datei: file,
        text,
        neu: false,
    })
    .unwrap();
    let interpreted: Vec<Duration> = (0..10)
        .map(|_| {
            let t = Instant::now();
            let (status, _) = wasm.call("koki_form", &request);
            assert_eq!(status, 0);
            t.elapsed()
        })
        .collect();
    println!(
        "check, wasmi interpreter: {:.1} ms (median of 10; browsers compile, see the e2e figure)",
        median(interpreted)
    );
}
