//! The plain C ABI (no wasm-bindgen) that both of koki's browser modules export: the search
//! module (`koki-search-wasm`) and the submission form's (`koki-form-wasm`).
//!
//! [`buffers!`] defines, in the module crate that invokes it, the exports every caller uses:
//! `koki_alloc(len) -> ptr` and `koki_dealloc(ptr, len)` to hand bytes into the module's
//! memory, and `koki_result_ptr()` / `koki_result_len()` to read the last answer (valid until
//! the next call), plus the private `set_result(bytes)` through which each export stores its
//! answer. It is a macro, not a set of functions, because `#[no_mangle]` exports have to be
//! defined in the `cdylib` crate itself to be exported reliably.
//!
//! This crate has no dependencies and may not get any: it is compiled into both modules.

/// Defines the shared exports (see the crate doc) in the invoking crate.
#[macro_export]
macro_rules! buffers {
    () => {
        thread_local! {
            static RESULT: ::std::cell::RefCell<::std::vec::Vec<u8>> =
                const { ::std::cell::RefCell::new(::std::vec::Vec::new()) };
        }

        /// Stores the answer that `koki_result_ptr` / `koki_result_len` hand out.
        fn set_result(bytes: ::std::vec::Vec<u8>) {
            RESULT.with(|r| *r.borrow_mut() = bytes);
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
