//! Shared plumbing for SARK's JNI libraries.
//!
//! Every exported function runs its body through [`guard`]: a returned [`JavaError`] becomes a Java
//! exception of the named class, and a Rust panic becomes a `java.lang.IllegalStateException`
//! instead of unwinding into the JVM (which is undefined behaviour and usually kills the process).

use std::any::Any;
use std::cell::RefCell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use jni::objects::JByteArray;
use jni::JNIEnv;

pub const ILLEGAL_ARGUMENT: &str = "java/lang/IllegalArgumentException";
pub const ILLEGAL_STATE: &str = "java/lang/IllegalStateException";
pub const OUT_OF_MEMORY: &str = "java/lang/OutOfMemoryError";

/// An error that is thrown to Java as an exception of class `class` (JNI binary name, with slashes).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JavaError {
    pub class: &'static str,
    pub message: String,
}

impl JavaError {
    pub fn new(class: &'static str, message: impl Into<String>) -> Self {
        JavaError { class, message: message.into() }
    }

    pub fn illegal_argument(message: impl Into<String>) -> Self {
        Self::new(ILLEGAL_ARGUMENT, message)
    }

    pub fn illegal_state(message: impl Into<String>) -> Self {
        Self::new(ILLEGAL_STATE, message)
    }
}

/// A JNI call that failed already has a Java exception pending (or the JVM is in trouble):
/// report it as a Java error so the caller returns at once.
impl From<jni::errors::Error> for JavaError {
    fn from(e: jni::errors::Error) -> Self {
        JavaError::illegal_state(format!("JNI call failed: {e}"))
    }
}

pub type JavaResult<T> = Result<T, JavaError>;

/// Runs `body`, turning an error or a panic into a pending Java exception and returning
/// `fallback` (the value Java ignores when an exception is pending).
pub fn guard<'local, R>(
    env: &mut JNIEnv<'local>,
    fallback: R,
    body: impl FnOnce(&mut JNIEnv<'local>) -> JavaResult<R>,
) -> R {
    match catch_panic(|| body(env)) {
        Ok(value) => value,
        Err(error) => {
            throw(env, &error);
            fallback
        }
    }
}

/// Runs `body`, turning a panic into an IllegalStateException error that carries the panic's message and
/// where it happened; the part of [`guard`] that needs no JVM.
pub fn catch_panic<R>(body: impl FnOnce() -> JavaResult<R>) -> JavaResult<R> {
    install_quiet_panic_hook();
    match catch_unwind(AssertUnwindSafe(body)) {
        Ok(result) => result,
        Err(panic) => {
            let location = PANIC_LOCATION.with(|l| l.borrow_mut().take());
            let at = location.map(|l| format!(" (at {l})")).unwrap_or_default();
            Err(JavaError::illegal_state(format!("native panic: {}{at}", panic_message(&panic))))
        }
    }
}

/// Throws `error` unless an exception is already pending (which then says more than we could).
pub fn throw(env: &mut JNIEnv, error: &JavaError) {
    if env.exception_check().unwrap_or(true) {
        return;
    }
    if env.throw_new(error.class, &error.message).is_err() {
        // The class could not be found or instantiated; fall back to a class that always exists.
        let _ = env.exception_clear();
        let _ = env.throw_new("java/lang/RuntimeException", &error.message);
    }
}

thread_local! {
    /// Where the last panic on this thread happened, for the exception's message.
    static PANIC_LOCATION: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Replaces the standard hook, which prints the message and a backtrace to the process's stderr,
/// past Java's logging: a panic's message and location go into the Java exception instead. The hook
/// belongs to this library's copy of the standard library (each cdylib links its own), so panics of
/// other native libraries in the JVM are not affected.
fn install_quiet_panic_hook() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            let location = info.location().map(|l| format!("{}:{}", l.file(), l.line()));
            let _ = PANIC_LOCATION.try_with(|l| *l.borrow_mut() = location);
        }))
    });
}

fn panic_message(panic: &Box<dyn Any + Send>) -> String {
    if let Some(s) = panic.downcast_ref::<&str>() {
        (*s).to_string()
    } else if let Some(s) = panic.downcast_ref::<String>() {
        s.clone()
    } else {
        "unknown panic payload".to_string()
    }
}

/// Copies a Java byte[] into Rust memory; a null array is an IllegalArgumentException naming `what`.
/// The copy's allocation is fallible: when native memory runs out the caller gets an
/// OutOfMemoryError instead of the process aborting (as `JNIEnv::convert_byte_array` would).
pub fn bytes_from_java(env: &JNIEnv, array: &JByteArray, what: &str) -> JavaResult<Vec<u8>> {
    let len = java_array_length(env, array, what)?;
    let mut bytes = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| {
        JavaError::new(OUT_OF_MEMORY, format!("cannot allocate {len} bytes of native memory for a copy of the {what}"))
    })?;
    bytes.resize(len, 0);
    copy_from_java(env, array, &mut bytes)?;
    Ok(bytes)
}

/// The length of a Java byte array, or IllegalArgumentException naming `what` when it is null.
pub fn java_array_length(env: &JNIEnv, array: &JByteArray, what: &str) -> JavaResult<usize> {
    if array.is_null() {
        return Err(JavaError::illegal_argument(format!("{what} must not be null")));
    }
    Ok(env.get_array_length(array)? as usize) // a Java length: never negative
}

/// Copies the start of a Java byte array into `dst` (all of it when `dst` has the array's length), for
/// callers that own the destination already.
pub fn copy_from_java(env: &JNIEnv, array: &JByteArray, dst: &mut [u8]) -> JavaResult<()> {
    env.get_byte_array_region(array, 0, as_jbytes(dst))?;
    Ok(())
}

/// `u8`s seen as the `i8`s (`jbyte`) JNI copies into: same size, alignment and validity.
fn as_jbytes(bytes: &mut [u8]) -> &mut [i8] {
    // SAFETY: u8 and i8 have the same layout and every bit pattern is valid for both.
    unsafe { std::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<i8>(), bytes.len()) }
}

/// Text handed over as UTF-8 bytes by the Java side. Java encodes with String.getBytes(UTF_8), so
/// NUL and supplementary characters arrive intact (JNI's modified UTF-8 would mangle them).
pub fn utf8_from_java(env: &JNIEnv, array: &JByteArray, what: &str) -> JavaResult<String> {
    let bytes = bytes_from_java(env, array, what)?;
    String::from_utf8(bytes).map_err(|e| JavaError::illegal_argument(format!("{what} is not valid UTF-8: {e}")))
}

/// The longest byte[] a JVM allocates: Integer.MAX_VALUE less the few words HotSpot reserves for the
/// array header (`new byte[Integer.MAX_VALUE]` fails with "Requested array size exceeds VM limit").
pub const MAX_JAVA_ARRAY_LEN: usize = i32::MAX as usize - 8;

/// Fails with `class` when `len` bytes do not fit one Java byte[]. The jni crate casts the length to
/// i32, so without this check a longer result would come back silently truncated (or negative).
pub fn check_fits_java_array(len: usize, class: &'static str, what: &str) -> JavaResult<()> {
    if len > MAX_JAVA_ARRAY_LEN {
        return Err(JavaError::new(
            class,
            format!("{what} is {len} bytes, more than a Java byte[] can hold ({MAX_JAVA_ARRAY_LEN} bytes)"),
        ));
    }
    Ok(())
}

/// A new Java byte[] holding `bytes`; more than [`MAX_JAVA_ARRAY_LEN`] is an IllegalStateException.
pub fn bytes_to_java<'local>(env: &JNIEnv<'local>, bytes: &[u8]) -> JavaResult<JByteArray<'local>> {
    check_fits_java_array(bytes.len(), ILLEGAL_STATE, "the result")?;
    env.byte_array_from_slice(bytes)
        .map_err(|e| JavaError::new(OUT_OF_MEMORY, format!("cannot allocate a byte[{}]: {e}", bytes.len())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_errors_pass_through_unchanged() {
        assert_eq!(catch_panic(|| Ok(7)), Ok(7));
        let refused = JavaError::illegal_argument("key must not be null");
        assert_eq!(catch_panic::<()>(|| Err(refused.clone())), Err(refused));
    }

    #[test]
    fn a_panic_becomes_an_illegal_state_error_with_its_message_and_location() {
        let line = line!() + 1;
        let e = catch_panic::<()>(|| panic!("index {} out of range", 3)).unwrap_err();
        assert_eq!(e.class, ILLEGAL_STATE);
        assert!(e.message.starts_with("native panic: index 3 out of range (at "), "{}", e.message);
        assert!(e.message.ends_with(&format!("lib.rs:{line})")), "{}", e.message);

        let e = catch_panic::<()>(|| panic!("a static message")).unwrap_err();
        assert!(e.message.starts_with("native panic: a static message"), "{}", e.message);
    }

    #[test]
    fn a_panic_with_a_payload_that_is_not_text_still_becomes_an_error() {
        let e = catch_panic::<()>(|| std::panic::panic_any(42_u32)).unwrap_err();
        assert!(e.message.starts_with("native panic: unknown panic payload"), "{}", e.message);
    }

    #[test]
    fn the_location_of_one_panic_does_not_leak_into_the_next_error() {
        let _ = catch_panic::<()>(|| panic!("first"));
        let e = catch_panic::<()>(|| Err(JavaError::illegal_state("plain error"))).unwrap_err();
        assert_eq!(e.message, "plain error");
    }

    #[test]
    fn jni_failures_become_illegal_state_errors() {
        let e: JavaError = jni::errors::Error::NullPtr("env").into();
        assert_eq!(e.class, ILLEGAL_STATE);
        assert!(e.message.starts_with("JNI call failed:"), "{}", e.message);
    }

    #[test]
    fn lengths_past_a_java_array_are_refused_not_truncated() {
        assert!(check_fits_java_array(0, ILLEGAL_STATE, "x").is_ok());
        assert!(check_fits_java_array(MAX_JAVA_ARRAY_LEN, ILLEGAL_STATE, "x").is_ok());
        for len in [MAX_JAVA_ARRAY_LEN + 1, 1 << 31, (1 << 32) + 5] {
            let e = check_fits_java_array(len, "some/Exception", "the result").unwrap_err();
            assert_eq!(e.class, "some/Exception");
            assert!(e.message.starts_with(&format!("the result is {len} bytes, more than a Java byte[]")), "{}", e.message);
        }
    }
}
