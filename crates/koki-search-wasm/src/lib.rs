//! koki's search core as a WebAssembly module with plain C ABI exports (no wasm-bindgen).
//!
//! Protocol (all lengths in bytes; memory is the module's exported `memory`):
//! 1. `koki_alloc(len) -> ptr`, copy the bundle there, `koki_open(ptr, len) -> status`
//!    (0 = ok), then `koki_dealloc(ptr, len)`.
//! 2. For each query: `koki_alloc` + copy the request JSON, `koki_search(ptr, len) -> status`,
//!    `koki_dealloc` the request, read the answer JSON from `koki_result_ptr()` /
//!    `koki_result_len()` (valid until the next call).
//!
//! 3. A lazy index (the hot file opened in step 1): status 3 from `koki_search` means the
//!    result is `{"need": ["<id>", …]}`; fetch each part, hand it over with
//!    `koki_part(ptr, len)` (buffer = the 16-character id, then the part's bytes; status 0 =
//!    accepted, 1 = its bytes do not match the id) and send the request again.
//!
//! Status 0 means success; status 3 asks for parts; otherwise the result buffer holds
//! `{"error": "…"}`.

use koki_search::{error_json, Engine};

koki_wasm_abi::buffers!(Engine);

/// Opens a bundle. Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_open(ptr: *const u8, len: usize) -> i32 {
    let bytes = std::slice::from_raw_parts(ptr, len);
    keep_opened(Engine::open(bytes).map_err(|e| error_json(&e.to_string())))
}

/// Answers a request (JSON bytes). Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_search(ptr: *const u8, len: usize) -> i32 {
    let req = std::slice::from_raw_parts(ptr, len);
    answer_with(|e| e.search_json(req), not_open)
}

/// Adds a part of a lazy index: the 16-byte id, then the part's bytes. Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_part(ptr: *const u8, len: usize) -> i32 {
    let buf = std::slice::from_raw_parts(ptr, len);
    answer_with(
        |e| match buf.get(..16).map(std::str::from_utf8) {
            Some(Ok(id)) => match e.add_part(id, buf[16..].to_vec()) {
                Ok(()) => (0, Vec::new()),
                Err(err) => (1, error_json(&err.to_string())),
            },
            Some(Err(_)) => (1, error_json("part id is not UTF-8")),
            None => (1, error_json("part shorter than its id")),
        },
        not_open,
    )
}

fn not_open() -> Vec<u8> {
    error_json("no bundle opened")
}

/// tantivy reaches getrandom through uuid (segment ids for writing); the module only reads,
/// so a deterministic filler is enough.
#[cfg(target_arch = "wasm32")]
#[no_mangle]
unsafe extern "Rust" fn __getrandom_v03_custom(
    dest: *mut u8,
    len: usize,
) -> Result<(), getrandom::Error> {
    static mut STATE: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in 0..len {
        STATE ^= STATE << 13;
        STATE ^= STATE >> 7;
        STATE ^= STATE << 17;
        *dest.add(i) = STATE as u8;
    }
    Ok(())
}
