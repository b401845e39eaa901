//! sark-opa: JNI bindings of `dev.sark.opa.PolicyEngine` on regorus.
//!
//! The engine logic lives in [`store`] (no JNI, unit-tested with `cargo test`); [`stack_guard`] keeps
//! regorus' recursion within the stack. This file only converts arguments and errors. Every entry
//! point runs through `sark_jni_support::guard`, so an error or a panic becomes a Java exception.
//!
//! Text crosses the boundary as UTF-8 `byte[]` (JNI's modified UTF-8 would mangle NUL and
//! supplementary characters). The Java object owns a `Box<PolicyStore>` as a `long` handle: `close`
//! only empties the store (so calls racing with it fail cleanly), and a `java.lang.ref.Cleaner`
//! calls `nativeFree` once the PolicyEngine is unreachable, so no call can see freed memory.

pub mod stack_guard;
mod allocation;
pub mod builtins;
mod execution_clock;
pub mod interpolation;
pub mod json;
pub mod keywords;
pub mod logic_operators;
pub mod projection;
pub mod store;
pub mod walk;

use jni::objects::{JByteArray, JClass};
use jni::sys::{jboolean, jbyteArray, jint, jlong, JNI_FALSE, JNI_TRUE};
use jni::JNIEnv;
use sark_jni_support::{bytes_to_java, check_fits_java_array, guard, utf8_from_java, JavaError, JavaResult, ILLEGAL_ARGUMENT, ILLEGAL_STATE};

use std::time::Duration;

use store::{Options, PolicyStore, RegoVersion, StoreError};

/// Counts each thread's allocations for the per-evaluation memory limit (allocation.rs).
#[global_allocator]
static ALLOCATOR: allocation::Counting = allocation::Counting;

const POLICY_EXCEPTION: &str = "dev/sark/opa/PolicyException";
const COMPILATION_EXCEPTION: &str = "dev/sark/opa/PolicyCompilationException";
const EVALUATION_EXCEPTION: &str = "dev/sark/opa/PolicyEvaluationException";
const TIMEOUT_EXCEPTION: &str = "dev/sark/opa/PolicyTimeoutException";

impl From<StoreError> for JavaError {
    fn from(error: StoreError) -> Self {
        let class = match &error {
            StoreError::Argument(_) => ILLEGAL_ARGUMENT,
            StoreError::Closed => ILLEGAL_STATE,
            StoreError::Compilation(_) => COMPILATION_EXCEPTION,
            StoreError::Evaluation(_) | StoreError::MemoryLimit(_) => EVALUATION_EXCEPTION,
            StoreError::Timeout(_) => TIMEOUT_EXCEPTION,
            StoreError::Document(_) => POLICY_EXCEPTION,
        };
        JavaError::new(class, error.to_string())
    }
}

/// The store behind a handle from `nativeCreate`. Java passes only live handles: the object that
/// owns one is reachable during every call (reachabilityFence), and the Cleaner frees it after.
fn store<'a>(handle: jlong) -> JavaResult<&'a PolicyStore> {
    let pointer = handle as *const PolicyStore;
    if pointer.is_null() {
        return Err(JavaError::illegal_state("policy engine handle is null"));
    }
    // SAFETY: see above; the store is Sync, so concurrent calls may share the reference.
    Ok(unsafe { &*pointer })
}

/// Optional text: a null array means "absent".
fn optional_utf8(env: &JNIEnv, array: &JByteArray, what: &str) -> JavaResult<Option<String>> {
    if array.is_null() {
        return Ok(None);
    }
    utf8_from_java(env, array, what).map(Some)
}

fn boolean(value: bool) -> jboolean {
    if value {
        JNI_TRUE
    } else {
        JNI_FALSE
    }
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeCreate(
    mut env: JNIEnv,
    _class: JClass,
    version: jint,
    strict_builtin_errors: jboolean,
    timeout_nanos: jlong,
    memory_limit: jlong,
) -> jlong {
    guard(&mut env, 0, |_| {
        let version = match version {
            0 => RegoVersion::V0,
            1 => RegoVersion::V1,
            other => return Err(JavaError::illegal_argument(format!("unknown Rego version {other}"))),
        };
        let options = Options {
            version,
            strict_builtin_errors: strict_builtin_errors == JNI_TRUE,
            // Java passes 0 for "no timeout" and has already refused negative values.
            timeout: u64::try_from(timeout_nanos).ok().filter(|&n| n > 0).map(Duration::from_nanos),
            // Java has refused zero and negative limits; one beyond the address space is no limit.
            memory_limit: usize::try_from(memory_limit).unwrap_or(usize::MAX),
        };
        Ok(Box::into_raw(Box::new(PolicyStore::new(options)?)) as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeLoadPolicy(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    name: JByteArray,
    rego: JByteArray,
) {
    guard(&mut env, (), |env| {
        let name = utf8_from_java(env, &name, "policy name")?;
        let rego = utf8_from_java(env, &rego, "policy source")?;
        Ok(store(handle)?.load_policy(&name, &rego)?)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeAddData(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    json: JByteArray,
) {
    guard(&mut env, (), |env| {
        let json = utf8_from_java(env, &json, "data JSON")?;
        Ok(store(handle)?.add_data(&json)?)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativePutData(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    path: JByteArray,
    json: JByteArray,
) {
    guard(&mut env, (), |env| {
        let path = utf8_from_java(env, &path, "data path")?;
        let json = utf8_from_java(env, &json, "data JSON")?;
        Ok(store(handle)?.put_data(&path, &json)?)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeRemoveData(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    path: JByteArray,
) {
    guard(&mut env, (), |env| {
        let path = utf8_from_java(env, &path, "data path")?;
        Ok(store(handle)?.remove_data(&path)?)
    })
}

/// Runs an evaluation of the store behind `handle` that `Thread.interrupt()` of the calling Java thread,
/// or `close()` of the engine, stops: the evaluation's clock asks at most every millisecond
/// (execution_clock). An interrupted evaluation is a PolicyEvaluationException, and the thread's interrupt
/// status stays set for the caller to see; one stopped by `close()` sees the engine closed.
fn interruptible<T>(
    env: &mut JNIEnv,
    handle: jlong,
    evaluate: impl FnOnce(&PolicyStore) -> Result<T, StoreError>,
) -> JavaResult<T> {
    // 'static for the watch, which lives only as long as this call, for which the handle stays valid.
    let store: &'static PolicyStore = store(handle)?;
    let raw = env.get_raw();
    let stop_requested = move || java_thread_interrupted(raw) || store.is_closed();
    let (result, stopped) = execution_clock::interruptible(stop_requested, || evaluate(store));
    match result {
        Err(StoreError::Timeout(_)) if stopped && store.is_closed() => Err(StoreError::Closed.into()),
        Err(StoreError::Timeout(_)) if stopped => Err(JavaError::new(
            EVALUATION_EXCEPTION,
            "evaluation interrupted: the calling thread was interrupted (Thread.interrupt())".to_string(),
        )),
        other => Ok(other?),
    }
}

/// `Thread.currentThread().isInterrupted()`; false if Java cannot answer.
fn java_thread_interrupted(raw: *mut jni::sys::JNIEnv) -> bool {
    // SAFETY: the watch that calls this lives only as long as the JNI call that owns `raw`, and is
    // asked only on that call's thread (execution_clock keeps watches thread-local).
    let Ok(mut env) = (unsafe { JNIEnv::from_raw(raw) }) else {
        return false;
    };
    // A frame of its own: a long evaluation asks many times, and must not pile up local references.
    let answer = env.with_local_frame(2, |env| -> jni::errors::Result<bool> {
        let thread = env.call_static_method("java/lang/Thread", "currentThread", "()Ljava/lang/Thread;", &[])?.l()?;
        env.call_method(&thread, "isInterrupted", "()Z", &[])?.z()
    });
    answer.unwrap_or_else(|_| {
        let _ = env.exception_clear();
        false
    })
}

/// A decision's JSON as a Java byte[]; one too large for Java is a PolicyEvaluationException that says so.
fn result_to_java<'local>(env: &JNIEnv<'local>, json: &str) -> JavaResult<JByteArray<'local>> {
    check_fits_java_array(json.len(), EVALUATION_EXCEPTION, "the result's JSON")?;
    bytes_to_java(env, json.as_bytes())
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeEvaluate(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    query: JByteArray,
    input: JByteArray,
) -> jbyteArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let query = utf8_from_java(env, &query, "query")?;
        let input = optional_utf8(env, &input, "input JSON")?;
        let json = interruptible(env, handle, |store| store.evaluate_json(&query, input.as_deref()))?;
        Ok(result_to_java(env, &json)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeQuery(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    query: JByteArray,
    input: JByteArray,
) -> jbyteArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let query = utf8_from_java(env, &query, "query")?;
        let input = optional_utf8(env, &input, "input JSON")?;
        let json = interruptible(env, handle, |store| store.query_json(&query, input.as_deref()))?;
        Ok(result_to_java(env, &json)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeIsAllowed(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    query: JByteArray,
    input: JByteArray,
) -> jboolean {
    guard(&mut env, JNI_FALSE, |env| {
        let query = utf8_from_java(env, &query, "query")?;
        let input = optional_utf8(env, &input, "input JSON")?;
        Ok(boolean(interruptible(env, handle, |store| store.is_allowed(&query, input.as_deref()))?))
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeHasPolicy(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    name: JByteArray,
) -> jboolean {
    guard(&mut env, JNI_FALSE, |env| {
        let name = utf8_from_java(env, &name, "policy name")?;
        Ok(boolean(store(handle)?.has_policy(&name)?))
    })
}

/// Policy names, each as a 4-byte big-endian length and its UTF-8 bytes (names may hold any
/// character, so no separator would do).
#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativePolicies(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) -> jbyteArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let mut encoded = Vec::new();
        for name in store(handle)?.policies()? {
            let length = u32::try_from(name.len()).map_err(|_| JavaError::illegal_state("policy name too long"))?;
            encoded.extend_from_slice(&length.to_be_bytes());
            encoded.extend_from_slice(name.as_bytes());
        }
        Ok(bytes_to_java(env, &encoded)?.into_raw())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeRemovePolicy(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
    name: JByteArray,
) {
    guard(&mut env, (), |env| {
        let name = utf8_from_java(env, &name, "policy name")?;
        Ok(store(handle)?.remove_policy(&name)?)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeClearPolicies(
    mut env: JNIEnv,
    _class: JClass,
    handle: jlong,
) {
    guard(&mut env, (), |_| Ok(store(handle)?.clear_policies()?))
}

/// Drops policies and data; the store stays allocated until `nativeFree`.
#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeClose(mut env: JNIEnv, _class: JClass, handle: jlong) {
    guard(&mut env, (), |_| {
        store(handle)?.close();
        Ok(())
    })
}

/// Called once, by the Cleaner, when no Java code can reach the handle any more.
#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativeFree(mut env: JNIEnv, _class: JClass, handle: jlong) {
    guard(&mut env, (), |_| {
        let pointer = handle as *mut PolicyStore;
        if !pointer.is_null() {
            // SAFETY: the pointer came from Box::into_raw in nativeCreate and is freed only here.
            drop(unsafe { Box::from_raw(pointer) });
        }
        Ok(())
    })
}

/// Test hook: panics with `message`, to prove a panic becomes a Java exception.
#[no_mangle]
pub extern "system" fn Java_dev_sark_opa_PolicyEngine_nativePanicForTest(
    mut env: JNIEnv,
    _class: JClass,
    message: JByteArray,
) {
    guard(&mut env, (), |env| {
        let message = utf8_from_java(env, &message, "message")?;
        panic!("{message}");
    })
}
