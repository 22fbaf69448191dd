//! The submission form's module: [`koki_model::submission`] as WebAssembly with plain C ABI
//! exports (no wasm-bindgen), the same protocol as the search module.
//!
//! Protocol (all lengths in bytes; memory is the module's exported `memory`):
//! 1. `koki_alloc(len) -> ptr`, copy the catalog context (`einreichen/kontext.json`) there,
//!    `koki_open(ptr, len) -> status` (0 = ok), then `koki_dealloc(ptr, len)`.
//! 2. For each request: `koki_alloc` + copy the request JSON, `koki_form(ptr, len) -> status`,
//!    `koki_dealloc` the request, read the answer JSON from `koki_result_ptr()` /
//!    `koki_result_len()` (valid until the next call). Requests and answers are described at
//!    [`koki_model::submission::Request`].
//!
//! Status 0 means success; otherwise the result buffer holds `{"error": "…"}`.

use koki_model::submission::{self, Context};

koki_wasm_abi::buffers!(Context);

/// Sets the catalog context (JSON of [`Context`]). Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_open(ptr: *const u8, len: usize) -> i32 {
    let bytes = std::slice::from_raw_parts(ptr, len);
    keep_opened(submission::open_context(bytes))
}

/// Answers a request (JSON bytes). Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_form(ptr: *const u8, len: usize) -> i32 {
    let req = std::slice::from_raw_parts(ptr, len);
    answer_with(
        |ctx| submission::answer_json(ctx, req),
        || submission::error_json("no context opened"),
    )
}
