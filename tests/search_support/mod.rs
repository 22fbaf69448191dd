//! Shared helpers for the search tests and the search benchmark: the fixture catalog and a
//! runner for the committed browser module inside wasmi.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use koki_search::{FacetLabels, SearchDoc};

/// Size of `b` compressed with gzip -9, as the benchmarks report download sizes.
pub fn gzip(b: &[u8]) -> usize {
    use std::io::Write;
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(b).unwrap();
    e.finish().unwrap().len()
}

/// Size of `b` compressed with brotli -q 11 (window 22), what a static host serves.
pub fn brotli(b: &[u8]) -> usize {
    let mut out = Vec::new();
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    brotli::BrotliCompress(&mut &b[..], &mut out, &params).unwrap();
    out.len()
}

/// Workspace root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The fixture catalog of `tests/fixtures/search/catalog.json`.
pub struct Fixture {
    pub docs: Vec<SearchDoc>,
    pub labels: FacetLabels,
    pub extra_vocab: Vec<String>,
}

#[derive(serde::Deserialize)]
struct FixtureFile {
    docs: Vec<SearchDoc>,
    labels: FacetLabels,
    extra_vocab: Vec<String>,
}

pub fn fixture() -> Fixture {
    let text = std::fs::read_to_string(root().join("tests/fixtures/search/catalog.json"))
        .expect("read fixture catalog");
    let f: FixtureFile = serde_json::from_str(&text).expect("parse fixture catalog");
    Fixture {
        docs: f.docs,
        labels: f.labels,
        extra_vocab: f.extra_vocab,
    }
}

pub fn fixture_bundle() -> Vec<u8> {
    let f = fixture();
    koki_search::build_bundle(&f.docs, &f.labels, &f.extra_vocab).expect("build bundle")
}

/// A committed browser module (search or form), instantiated in wasmi. Both speak the same
/// protocol: `koki_alloc`/`koki_dealloc`, `koki_open`, one request export, and the answer at
/// `koki_result_ptr`/`koki_result_len`.
pub struct WasmModule {
    store: wasmi::Store<()>,
    instance: wasmi::Instance,
    memory: wasmi::Memory,
}

/// The search module.
pub type WasmSearch = WasmModule;

pub fn module_path() -> PathBuf {
    root().join("themes/default/static/search/koki_search.wasm")
}

impl WasmModule {
    pub fn load(module: &Path) -> Self {
        let bytes = std::fs::read(module).expect("read the committed module");
        let engine = wasmi::Engine::default();
        let module = wasmi::Module::new(&engine, &bytes[..]).expect("valid wasm module");
        let mut store = wasmi::Store::new(&engine, ());
        let linker = wasmi::Linker::<()>::new(&engine);
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .expect("module needs no imports");
        let memory = instance
            .get_memory(&store, "memory")
            .expect("memory export");
        WasmModule {
            store,
            instance,
            memory,
        }
    }

    fn func<P: wasmi::WasmParams, R: wasmi::WasmResults>(
        &self,
        name: &str,
    ) -> wasmi::TypedFunc<P, R> {
        self.instance
            .get_typed_func(&self.store, name)
            .unwrap_or_else(|e| panic!("export {name}: {e}"))
    }

    /// Calls the export `name` with `data` copied into the module; returns (status, answer).
    pub fn call(&mut self, name: &str, data: &[u8]) -> (i32, Vec<u8>) {
        let alloc = self.func::<u32, u32>("koki_alloc");
        let dealloc = self.func::<(u32, u32), ()>("koki_dealloc");
        let f = self.func::<(u32, u32), i32>(name);
        let len = data.len() as u32;
        let ptr = alloc.call(&mut self.store, len).unwrap();
        self.memory
            .write(&mut self.store, ptr as usize, data)
            .unwrap();
        let status = f
            .call(&mut self.store, (ptr, len))
            .expect("call into module");
        dealloc.call(&mut self.store, (ptr, len)).unwrap();
        let rp = self
            .func::<(), u32>("koki_result_ptr")
            .call(&mut self.store, ())
            .unwrap();
        let rl = self
            .func::<(), u32>("koki_result_len")
            .call(&mut self.store, ())
            .unwrap();
        let mut out = vec![0u8; rl as usize];
        self.memory
            .read(&self.store, rp as usize, &mut out)
            .unwrap();
        (status, out)
    }

    /// Opens a bundle (search) or context (form); panics with the module's error on failure.
    pub fn open(&mut self, data: &[u8]) {
        let (status, out) = self.call("koki_open", data);
        assert_eq!(
            status,
            0,
            "module failed to open its input: {}",
            String::from_utf8_lossy(&out)
        );
    }

    /// Runs a JSON search request; returns the answer bytes.
    pub fn search(&mut self, request_json: &[u8]) -> Vec<u8> {
        self.call("koki_search", request_json).1
    }
}
