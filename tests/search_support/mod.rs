//! Shared helpers for the search tests and the search benchmark: the fixture catalog and a
//! runner for the committed browser module inside wasmi.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use koki_search::{FacetLabels, SearchDoc};

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

/// The committed browser module, instantiated in wasmi.
pub struct WasmSearch {
    store: wasmi::Store<()>,
    memory: wasmi::Memory,
    alloc: wasmi::TypedFunc<u32, u32>,
    dealloc: wasmi::TypedFunc<(u32, u32), ()>,
    open: wasmi::TypedFunc<(u32, u32), i32>,
    search: wasmi::TypedFunc<(u32, u32), i32>,
    result_ptr: wasmi::TypedFunc<(), u32>,
    result_len: wasmi::TypedFunc<(), u32>,
}

pub fn module_path() -> PathBuf {
    root().join("themes/default/static/search/koki_search.wasm")
}

impl WasmSearch {
    pub fn load(module: &Path) -> Self {
        let bytes = std::fs::read(module).expect("read the committed search module");
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
        macro_rules! f {
            ($name:literal) => {
                instance
                    .get_typed_func(&store, $name)
                    .expect(concat!("export ", $name))
            };
        }
        WasmSearch {
            alloc: f!("koki_alloc"),
            dealloc: f!("koki_dealloc"),
            open: f!("koki_open"),
            search: f!("koki_search"),
            result_ptr: f!("koki_result_ptr"),
            result_len: f!("koki_result_len"),
            memory,
            store,
        }
    }

    fn call_with(
        &mut self,
        which: fn(&Self) -> wasmi::TypedFunc<(u32, u32), i32>,
        data: &[u8],
    ) -> (i32, Vec<u8>) {
        let len = data.len() as u32;
        let ptr = self.alloc.call(&mut self.store, len).unwrap();
        self.memory
            .write(&mut self.store, ptr as usize, data)
            .unwrap();
        let f = which(self);
        let status = f
            .call(&mut self.store, (ptr, len))
            .expect("call into module");
        self.dealloc.call(&mut self.store, (ptr, len)).unwrap();
        let rp = self.result_ptr.call(&mut self.store, ()).unwrap();
        let rl = self.result_len.call(&mut self.store, ()).unwrap();
        let mut out = vec![0u8; rl as usize];
        self.memory
            .read(&self.store, rp as usize, &mut out)
            .unwrap();
        (status, out)
    }

    /// Opens a bundle; panics with the module's error message on failure.
    pub fn open(&mut self, bundle: &[u8]) {
        let (status, out) = self.call_with(|s| s.open, bundle);
        assert_eq!(
            status,
            0,
            "module failed to open bundle: {}",
            String::from_utf8_lossy(&out)
        );
    }

    /// Runs a JSON request; returns the answer bytes.
    pub fn search(&mut self, request_json: &[u8]) -> Vec<u8> {
        self.call_with(|s| s.search, request_json).1
    }
}
