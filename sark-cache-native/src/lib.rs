//! JNI entry points of sark-cache for `dev.sark.cache.NativeCache`.
//!
//! Every function runs through `sark_jni_support::guard`, so errors and panics become Java
//! exceptions and never unwind into the JVM. The Java object holds a `jlong` handle: a pointer to
//! a boxed [`Cache`]. Lifetime: `nativeClose` only marks the cache closed (calls racing with it then
//! get IllegalStateException); the box is freed by `nativeFree`, which Java runs from a Cleaner once
//! the NativeCache is unreachable, so no call can still be using it.
//!
//! Two ways across: the hot paths (get and put of keys and values that fit) go through the calling
//! thread's scratch memory, a direct buffer Java passes by address, so the call makes no JNI array
//! calls at all (each one is a transition into the VM and a copy through an intermediate `Vec`);
//! everything else, and values too large for the scratch buffer, pass Java byte arrays.

pub mod cache;
pub mod clock;

use std::num::NonZeroUsize;
use std::time::Duration;

use jni::objects::{JByteArray, JByteBuffer, JClass};
use jni::sys::{jboolean, jbyteArray, jint, jlong, jlongArray, JNI_FALSE, JNI_TRUE};
use jni::JNIEnv;
use sark_jni_support::{
    bytes_from_java, bytes_to_java, copy_from_java, guard, java_array_length, JavaError, JavaResult, OUT_OF_MEMORY,
};

pub use cache::{Bounds, Cache, CacheError, Read, Recency, Stats};
use clock::TimeSource;

impl From<CacheError> for JavaError {
    fn from(e: CacheError) -> Self {
        match e {
            CacheError::Closed => JavaError::illegal_state("NativeCache is closed"),
            CacheError::TooLarge { key, value, charge, limit, limit_name } => JavaError::illegal_argument(format!(
                "entry too large: key {key} + value {value} + overhead {} = {charge} bytes, over {limit_name} {limit}",
                cache::ENTRY_OVERHEAD
            )),
            CacheError::OutOfMemory { what, bytes } => JavaError::new(
                OUT_OF_MEMORY,
                format!("cannot allocate {bytes} bytes of native memory for {what}; nothing was stored"),
            ),
            CacheError::NoManualClock => {
                JavaError::illegal_state("this NativeCache reads the system clock; build it with manualClock()")
            }
        }
    }
}

/// The cache behind a handle made by `nativeNew`.
///
/// Safety: Java passes only handles from `nativeNew` that `nativeFree` has not freed yet (the
/// Cleaner runs only after the owning object, which is kept reachable during calls, is gone).
fn cache_ref<'a>(handle: jlong) -> JavaResult<&'a Cache> {
    if handle == 0 {
        return Err(JavaError::illegal_state("NativeCache has no native handle"));
    }
    Ok(unsafe { &*(handle as *const Cache) })
}

/// The calling thread's scratch memory, split at `split`: `capacity` bytes at `address`.
///
/// Safety: `address` and `capacity` describe a live direct ByteBuffer that the calling thread holds
/// (NativeCache's per-thread scratch buffer, reachable from its ThreadLocal for the whole call), and
/// no other thread uses it, so the memory is valid and not aliased while this call runs.
unsafe fn scratch<'a>(address: jlong, capacity: jint, split: jint) -> JavaResult<(&'a mut [u8], &'a mut [u8])> {
    let (Ok(capacity), Ok(split)) = (usize::try_from(capacity), usize::try_from(split)) else {
        return Err(JavaError::illegal_argument("negative scratch length"));
    };
    if address == 0 || split > capacity {
        return Err(JavaError::illegal_argument(format!(
            "bad scratch buffer: address {address:#x}, capacity {capacity}, split {split}"
        )));
    }
    Ok(std::slice::from_raw_parts_mut(address as *mut u8, capacity).split_at_mut(split))
}

/// Millisecond TTL from Java: 0 selects the default TTL, positive values are used as they are.
fn ttl_from_java(millis: jlong) -> JavaResult<Option<Duration>> {
    match millis {
        0 => Ok(None),
        m if m > 0 => Ok(Some(Duration::from_millis(m as u64))),
        m => Err(JavaError::illegal_argument(format!("ttl must be positive, got {m} ms"))),
    }
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeNew<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    max_entries: jlong,
    max_bytes: jlong,
    max_entry_bytes: jlong,
    default_ttl_millis: jlong,
    strict_lru: jboolean,
    manual_clock: jboolean,
) -> jlong {
    guard(&mut env, 0, |_| {
        // 0 means "no bound" (Java has already required one of the first two); Java checks the
        // signs too, this is the native side's own guard.
        let bound = |value: jlong, name: &str| match value {
            0 => Ok(usize::MAX),
            // Above usize::MAX (32-bit targets) is effectively unbounded: saturate.
            v if v > 0 => Ok(usize::try_from(v).unwrap_or(usize::MAX)),
            v => Err(JavaError::illegal_argument(format!("{name} must be positive, got {v}"))),
        };
        let bounds = Bounds {
            max_entries: NonZeroUsize::new(bound(max_entries, "maxEntries")?).expect("usize::MAX or positive"),
            max_bytes: bound(max_bytes, "maximumBytes")?,
            max_entry_bytes: bound(max_entry_bytes, "maxEntryBytes")?,
        };
        if default_ttl_millis <= 0 {
            return Err(JavaError::illegal_argument(format!(
                "defaultTtl must be positive, got {default_ttl_millis} ms"
            )));
        }
        let recency = if strict_lru != 0 { Recency::Strict } else { Recency::SecondChance };
        // A test seam (`NativeCache.Builder.manualClock()`): a clock at 0 that only `nativeAdvanceClock` moves.
        let time = if manual_clock != 0 { TimeSource::manual() } else { TimeSource::System };
        let default_ttl = Duration::from_millis(default_ttl_millis as u64);
        let cache = Cache::with_time_source(bounds, default_ttl, recency, time);
        Ok(Box::into_raw(Box::new(cache)) as jlong)
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeGet<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    key: JByteArray<'l>,
) -> jbyteArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let cache = cache_ref(handle)?;
        let key = bytes_from_java(env, &key, "key")?;
        // A copy made under the lock, so the lock is already released while it goes into Java.
        match cache.get(&key)? {
            Some(value) => Ok(bytes_to_java(env, &value)?.into_raw()),
            None => Ok(std::ptr::null_mut()),
        }
    })
}

/// The address of a direct ByteBuffer, for the scratch calls.
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeScratchAddress<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    buffer: JByteBuffer<'l>,
) -> jlong {
    guard(&mut env, 0, |env| {
        if buffer.is_null() {
            return Err(JavaError::illegal_argument("scratch buffer must not be null"));
        }
        Ok(env.get_direct_buffer_address(&buffer)? as jlong)
    })
}

/// Get through the scratch buffer: the key is in its first `key_length` bytes, the value is copied
/// right after it. Returns the value's length, -1 when absent or expired, -2 when the value does not
/// fit (nothing counted: Java then reads it through `nativeGet`).
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeGetScratch<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    address: jlong,
    capacity: jint,
    key_length: jint,
) -> jint {
    guard(&mut env, -1, |_| {
        let cache = cache_ref(handle)?;
        let (key, out) = unsafe { scratch(address, capacity, key_length)? };
        Ok(match cache.get_into(key, out)? {
            Read::Hit(length) => length as jint, // <= capacity, which is a jint
            Read::Miss => -1,
            Read::Declined => -2,
        })
    })
}

/// Get into the caller's direct buffer: the key in the first `key_length` bytes of the scratch buffer at
/// `key_address`, the value copied to the `dst_length` bytes at `dst_address` when it fits. Returns the
/// value's length (a hit whether or not it fitted), or -1 when absent or expired.
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeGetDirect<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    key_address: jlong,
    key_length: jint,
    dst_address: jlong,
    dst_length: jint,
) -> jint {
    guard(&mut env, -1, |_| {
        let cache = cache_ref(handle)?;
        let (key, _) = unsafe { scratch(key_address, key_length, key_length)? };
        let dst = unsafe { caller_buffer(dst_address, dst_length)? };
        Ok(match cache.get_into_if_fits(key, dst)? {
            Some(length) => length as jint, // the length of a value that came from a Java array
            None => -1,
        })
    })
}

/// The `length` bytes at `address`, the remaining part of the caller's direct ByteBuffer.
///
/// Safety: Java keeps the buffer reachable for the whole call and computed `address` and `length` from
/// its position and limit, so the memory is valid; it is the caller's memory, not the scratch buffer,
/// so it does not alias the key.
unsafe fn caller_buffer<'a>(address: jlong, length: jint) -> JavaResult<&'a mut [u8]> {
    match usize::try_from(length) {
        Ok(0) => Ok(&mut []),
        Ok(length) if address != 0 => Ok(std::slice::from_raw_parts_mut(address as *mut u8, length)),
        _ => Err(JavaError::illegal_argument(format!("bad destination buffer: address {address:#x}, length {length}"))),
    }
}

/// Put through the scratch buffer: the key in its first `key_length` bytes, the value right after.
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativePutScratch<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    address: jlong,
    capacity: jint,
    key_length: jint,
    value_length: jint,
    ttl_millis: jlong,
) {
    guard(&mut env, (), |_| {
        let cache = cache_ref(handle)?;
        let (key, rest) = unsafe { scratch(address, capacity, key_length)? };
        let value = usize::try_from(value_length).ok().and_then(|length| rest.get(..length)).ok_or_else(|| {
            JavaError::illegal_argument(format!("value length {value_length} outside the scratch buffer"))
        })?;
        cache.put(key, value, ttl_from_java(ttl_millis)?)?;
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativePut<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    key: JByteArray<'l>,
    value: JByteArray<'l>,
    ttl_millis: jlong,
) {
    guard(&mut env, (), |env| {
        let cache = cache_ref(handle)?;
        let key = bytes_from_java(env, &key, "key")?;
        // The value is copied from Java straight into the entry's allocation.
        let mut block = cache.block_for_put(&key, java_array_length(env, &value, "value")?)?;
        copy_from_java(env, &value, block.value_mut())?;
        cache.put_block(block, ttl_from_java(ttl_millis)?)?;
        Ok(())
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeRemove<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    key: JByteArray<'l>,
) -> jboolean {
    guard(&mut env, JNI_FALSE, |env| {
        let cache = cache_ref(handle)?;
        let key = bytes_from_java(env, &key, "key")?;
        Ok(if cache.remove(&key)? { JNI_TRUE } else { JNI_FALSE })
    })
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeClear<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |_| Ok(cache_ref(handle)?.clear()?))
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeSize<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jlong {
    guard(&mut env, 0, |_| Ok(saturate(cache_ref(handle)?.size()?)))
}

#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeCleanupExpired<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jlong {
    guard(&mut env, 0, |_| Ok(saturate(cache_ref(handle)?.cleanup_expired()?)))
}

/// Stats as a long[] {hits, misses, evictions, expirations, size, bytes}: one JNI array instead of
/// constructing the Java record from Rust (no class or constructor lookups to keep in sync).
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeStats<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) -> jlongArray {
    guard(&mut env, std::ptr::null_mut(), |env| {
        let s = cache_ref(handle)?.stats()?;
        let values = [s.hits, s.misses, s.evictions, s.expirations, s.size, s.bytes].map(saturate);
        let array = env.new_long_array(values.len() as i32)?;
        env.set_long_array_region(&array, 0, &values)?;
        Ok(array.into_raw())
    })
}

/// Moves the manual clock of a cache made with `manual_clock` forward by `millis` (tests).
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeAdvanceClock<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
    millis: jlong,
) {
    guard(&mut env, (), |_| {
        let Ok(millis) = u64::try_from(millis) else {
            return Err(JavaError::illegal_argument(format!("the clock only moves forward, got {millis} ms")));
        };
        Ok(cache_ref(handle)?.advance_clock(Duration::from_millis(millis))?)
    })
}

/// Marks the cache closed and drops its contents; the handle stays valid (see the module docs).
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeClose<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        cache_ref(handle)?.close();
        Ok(())
    })
}

/// Frees the box. Called exactly once, by the Cleaner, when no Java code can reach the handle.
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativeFree<'l>(
    mut env: JNIEnv<'l>,
    _class: JClass<'l>,
    handle: jlong,
) {
    guard(&mut env, (), |_| {
        if handle != 0 {
            drop(unsafe { Box::from_raw(handle as *mut Cache) });
        }
        Ok(())
    })
}

/// Test hook: panics inside the guard to prove a panic becomes a Java exception, not a crash.
#[no_mangle]
pub extern "system" fn Java_dev_sark_cache_NativeCache_nativePanicForTest<'l>(mut env: JNIEnv<'l>, _class: JClass<'l>) {
    guard(&mut env, (), |_| -> JavaResult<()> { panic!("deliberate panic from nativePanicForTest") })
}

fn saturate(n: u64) -> jlong {
    jlong::try_from(n).unwrap_or(jlong::MAX)
}
