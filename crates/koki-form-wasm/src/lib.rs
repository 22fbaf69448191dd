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

use std::cell::RefCell;

use koki_model::submission::{self, Context};

thread_local! {
    static CONTEXT: RefCell<Option<Context>> = const { RefCell::new(None) };
}

koki_wasm_abi::buffers!();

/// Sets the catalog context (JSON of [`Context`]). Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_open(ptr: *const u8, len: usize) -> i32 {
    let bytes = std::slice::from_raw_parts(ptr, len);
    match submission::open_context(bytes) {
        Ok(ctx) => {
            CONTEXT.with(|c| *c.borrow_mut() = Some(ctx));
            set_result(Vec::new());
            0
        }
        Err(answer) => {
            set_result(answer);
            1
        }
    }
}

/// Answers a request (JSON bytes). Returns 0 on success.
///
/// # Safety
/// `ptr..ptr+len` must be readable memory of the module.
#[no_mangle]
pub unsafe extern "C" fn koki_form(ptr: *const u8, len: usize) -> i32 {
    let req = std::slice::from_raw_parts(ptr, len);
    let (status, out) = CONTEXT.with(|c| match c.borrow().as_ref() {
        Some(ctx) => submission::answer_json(ctx, req),
        None => (2, submission::error_json("no context opened")),
    });
    set_result(out);
    status
}
