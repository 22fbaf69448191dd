//! The plain C ABI (no wasm-bindgen) that both of koki's browser modules export: the search
//! module (`koki-search-wasm`) and the submission form's (`koki-form-wasm`).
//!
//! [`buffers!`] defines, in the module crate that invokes it, the exports every caller uses:
//! `koki_alloc(len) -> ptr` and `koki_dealloc(ptr, len)` to hand bytes into the module's
//! memory, and `koki_result_ptr()` / `koki_result_len()` to read the last answer (valid until
//! the next call), plus the private helpers through which each export stores its answer:
//! `set_result(bytes)`, `keep_opened(result)` for `koki_open` (keeps the opened state, status
//! 0, or stores the error answer, status 1) and `answer_with(f, not_open)` for the requests
//! (runs `f` on the opened state, status 2 if nothing was opened). It is a macro, not a set of functions, because `#[no_mangle]` exports have to be
//! defined in the `cdylib` crate itself to be exported reliably.
//!
//! This crate has no dependencies and may not get any: it is compiled into both modules.

/// Defines the shared exports and helpers (see the crate doc) in the invoking crate; `$state`
/// is what `koki_open` opens (the search engine, the form's catalog context).
#[macro_export]
macro_rules! buffers {
    ($state:ty) => {
        thread_local! {
            static RESULT: ::std::cell::RefCell<::std::vec::Vec<u8>> =
                const { ::std::cell::RefCell::new(::std::vec::Vec::new()) };
            static STATE: ::std::cell::RefCell<::std::option::Option<$state>> =
                const { ::std::cell::RefCell::new(None) };
        }

        /// Stores the answer that `koki_result_ptr` / `koki_result_len` hand out.
        fn set_result(bytes: ::std::vec::Vec<u8>) {
            RESULT.with(|r| *r.borrow_mut() = bytes);
        }

        /// Keeps what `koki_open` opened (status 0) or stores its error answer (status 1).
        fn keep_opened(opened: ::std::result::Result<$state, ::std::vec::Vec<u8>>) -> i32 {
            match opened {
                Ok(state) => {
                    STATE.with(|s| *s.borrow_mut() = Some(state));
                    set_result(::std::vec::Vec::new());
                    0
                }
                Err(answer) => {
                    set_result(answer);
                    1
                }
            }
        }

        /// Stores the answer `f` gives with the opened state and returns its status; status
        /// 2 with the answer `not_open()` when nothing was opened.
        fn answer_with(
            f: impl FnOnce(&$state) -> (i32, ::std::vec::Vec<u8>),
            not_open: impl FnOnce() -> ::std::vec::Vec<u8>,
        ) -> i32 {
            let (status, out) = STATE.with(|s| match s.borrow().as_ref() {
                Some(state) => f(state),
                None => (2, not_open()),
            });
            set_result(out);
            status
        }

        /// Allocates `len` bytes inside the module and returns the pointer.
        #[no_mangle]
        pub extern "C" fn koki_alloc(len: usize) -> *mut u8 {
            let mut v = ::std::vec::Vec::<u8>::with_capacity(len.max(1));
            let p = v.as_mut_ptr();
            ::std::mem::forget(v);
            p
        }

        /// Frees memory from [`koki_alloc`].
        ///
        /// # Safety
        /// `ptr` and `len` must come from one `koki_alloc` call.
        #[no_mangle]
        pub unsafe extern "C" fn koki_dealloc(ptr: *mut u8, len: usize) {
            drop(::std::vec::Vec::from_raw_parts(ptr, 0, len.max(1)));
        }

        /// Pointer to the last answer.
        #[no_mangle]
        pub extern "C" fn koki_result_ptr() -> *const u8 {
            RESULT.with(|r| r.borrow().as_ptr())
        }

        /// Length of the last answer.
        #[no_mangle]
        pub extern "C" fn koki_result_len() -> usize {
            RESULT.with(|r| r.borrow().len())
        }
    };
}
