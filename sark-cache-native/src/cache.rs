//! The cache itself, free of JNI so that `cargo test` can exercise it directly.
//!
//! Recency: `schnellru::LruMap` keeps an exact recency order. Caches below [`SEGMENTED_FROM`]
//! entries are one map behind one lock, and a get moves its entry to the front under that lock:
//! strict LRU, the least recently used entry is the one evicted. Larger caches are split into
//! [`SEGMENTS`] segments by key hash, each with its own map and lock, so threads working on different
//! keys do not queue on one lock; the evicted entry is then one *of the segment* the new key falls in.
//! The bound itself stays global and exact: one atomic count of entries admits a new key only while
//! the cache is below `capacity`, so a cache fills to exactly its capacity and never beyond.
//!
//! Reads of a segmented cache ([`Recency::SecondChance`], the default there) take the segment's lock
//! shared ([`SegmentLock`]: each reader thread locks a shard of its own) and write nothing the other
//! readers read: moving an entry to the front would write the entry's neighbours and the list's head
//! under an exclusive lock, so two threads reading hot keys of one segment would queue behind each
//! other (measured: 2-thread reads up to 3x slower than 1-thread reads, depending on which segment the
//! hottest keys hash to). A read instead sets the entry's
//! "referenced" mark, if not already set (so reading a hot entry again writes nothing), and eviction,
//! under the exclusive lock, gives a marked oldest entry a second chance: it clears the mark and moves
//! the entry to the front, and evicts the oldest unmarked one. That is the CLOCK approximation of LRU:
//! an entry read since it last reached the old end survives the next eviction. [`Recency::Strict`]
//! keeps exact per-segment LRU for callers who need it (`NativeCache.builder().strictLru(true)`).
//!
//! Layout: each entry's key and value are one allocation, a [`Block`]; the table's slot holds the
//! pointer, the deadline and the recency links (32 bytes).
//!
//! Expiry is lazy: an entry whose deadline has passed is dropped when a get finds it, or by
//! [`Cache::cleanup_expired`]. Until then it still counts in [`Cache::size`].
//!
//! Bytes: optionally the cache is also bounded by the bytes its entries take, each charged
//! [`charge`]`(key, value)` = key length + value length + [`ENTRY_OVERHEAD`]. A second atomic counter
//! admits a charge only while the total stays within the bound, and a put evicts least recently used
//! entries until its charge fits, exactly as it does for the entry bound. Every entry that leaves a
//! map, for whatever reason, passes through [`Ledger::on_removed`], and [`Cache::settle`] gives its
//! charge back: one place, so no path can forget it.
//!
//! Memory: a put allocates its block and (sometimes) a larger table, and both are fallible. A failed
//! block allocation fails the put with [`CacheError::OutOfMemory`] before
//! anything changed; when the table cannot grow, schnellru evicts its oldest entries to make room (a
//! cache may give up entries; it must not take the process down), and only when even that cannot
//! place the entry does the put fail. Nothing a caller passes makes an allocation abort the process.

use std::hash::{BuildHasher, Hash, Hasher};
use std::num::NonZeroUsize;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::PoisonError;
use std::time::Duration;

use crossbeam_utils::sync::{ShardedLock, ShardedLockReadGuard, ShardedLockWriteGuard};
use foldhash::fast::RandomState;
use parking_lot::{Mutex, MutexGuard};
use schnellru::{Limiter, LruMap};

use crate::clock::{Millis, Now, TimeSource};

/// Segments of a large cache. 16 keeps two threads on different keys apart 15 times in 16 while the
/// per-segment approximation of LRU stays close to the global order.
pub const SEGMENTS: usize = 16;
/// Caches with fewer entries than this are one segment (strict LRU). 16 x 1,024: each segment of a
/// segmented cache starts with room for at least 1,024 entries' worth of recency history.
pub const SEGMENTED_FROM: usize = SEGMENTS * 1024;

/// The native bookkeeping of one entry besides its key and value bytes, in bytes: its slot in the
/// hash table ([`Block`] pointer, [`Entry`], the two recency links), the slot's control byte and the
/// key length at the head of the block: 32 + 1 + 4 = 37 on 64-bit targets. Not included, because they
/// depend on the allocator or on history rather than on the entry: malloc's own rounding and headers,
/// and the table's empty slots (it grows by doubling, so between 1/8 and 9/16 of its slots are empty).
pub const ENTRY_OVERHEAD: usize = {
    // Mirrors schnellru 0.2's private `Entry<K, V, LinkType>` (key, value, older, newer): the
    // table's slot type.
    #[allow(dead_code)]
    struct Slot {
        key: Block,
        entry: Entry,
        older: u32,
        newer: u32,
    }
    std::mem::size_of::<Slot>() + 1 + KEY_LENGTH_BYTES
};

/// What an entry counts against the byte bound.
pub fn charge(key_len: usize, value_len: usize) -> usize {
    key_len.saturating_add(value_len).saturating_add(ENTRY_OVERHEAD)
}

/// The bounds of a cache. `usize::MAX` means "no bound" for each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bounds {
    pub max_entries: NonZeroUsize,
    /// The most bytes ([`charge`]s summed) held at once.
    pub max_bytes: usize,
    /// The largest [`charge`] one entry may have; larger puts are rejected.
    pub max_entry_bytes: usize,
}

impl Bounds {
    pub fn entries(max_entries: NonZeroUsize) -> Self {
        Bounds { max_entries, max_bytes: usize::MAX, max_entry_bytes: usize::MAX }
    }
}

/// How reads record recency (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recency {
    /// A get moves its entry to the front under the segment's exclusive lock: exact LRU per segment.
    Strict,
    /// A get marks its entry under the segment's shared lock; eviction gives marked entries a second
    /// chance (CLOCK). Only for segmented caches: a one-segment cache is always strict.
    SecondChance,
}

/// Why an operation could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheError {
    /// `close()` was called; every later call fails.
    Closed,
    /// A put whose [`charge`] exceeds `limit`, the smaller of `max_entry_bytes` and `max_bytes`
    /// (`limit_name` says which). Nothing was changed.
    TooLarge { key: usize, value: usize, charge: usize, limit: usize, limit_name: &'static str },
    /// The process could not allocate `bytes` of native memory for `what`. A put that fails this way
    /// changed nothing but, possibly, evicted entries to make room.
    OutOfMemory { what: &'static str, bytes: usize },
    /// [`Cache::advance_clock`] on a cache that reads the system clock.
    NoManualClock,
}

/// Counters since creation. `size` is the entry count at the time of the snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub hits: u64,
    pub misses: u64,
    /// Entries pushed out to respect the capacity bound (or, rarely, because the table could not
    /// grow for lack of memory).
    pub evictions: u64,
    /// Entries found expired by a get, or removed by `cleanup_expired`.
    pub expirations: u64,
    pub size: u64,
    /// Bytes held ([`charge`]s summed). Unlike the other fields of a segment's `Stats`, kept
    /// current rather than counted since creation: it is the segment's share of the byte bound.
    pub bytes: u64,
}

/// What a read made of a key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Read<R> {
    /// Absent or expired (counted as a miss).
    Miss,
    /// Present; the reader took it (counted as a hit).
    Hit(R),
    /// Present but the reader declined it, e.g. too large for the caller's buffer: nothing is
    /// counted, so the caller can read it again another way without a second hit in the stats.
    Declined,
}

/// One entry's key and value in one allocation: the key's length (4 bytes, little-endian), the key,
/// the value. The table's slot holds only the pointer to it, next to the entry's deadline and the
/// recency links: 32 bytes a slot instead of 64 with the key inline, so a large cache's table takes
/// half the room in the CPU's caches (a read's time goes mostly to cache misses on its slot and its
/// value, measured with perf), and the key comparison and the value copy touch one allocation. Keys
/// of any length cost one allocation per entry, not two.
pub struct Block(Box<[u8]>);

const KEY_LENGTH_BYTES: usize = 4;

impl Block {
    /// A block of `key` and `value`, or `OutOfMemory` when the allocator refuses it.
    pub fn new(key: &[u8], value: &[u8]) -> Result<Block, CacheError> {
        Self::build(key, value.len(), |bytes| bytes.extend_from_slice(value))
    }

    /// A block of `key` and `value_len` zero bytes, for a caller to fill through [`Block::value_mut`].
    pub fn zeroed(key: &[u8], value_len: usize) -> Result<Block, CacheError> {
        Self::build(key, value_len, |bytes| bytes.resize(bytes.len() + value_len, 0))
    }

    fn build(key: &[u8], value_len: usize, append_value: impl FnOnce(&mut Vec<u8>)) -> Result<Block, CacheError> {
        let size = key.len().checked_add(value_len).and_then(|n| n.checked_add(KEY_LENGTH_BYTES));
        let key_len = u32::try_from(key.len()).ok();
        let (Some(size), Some(key_len)) = (size, key_len) else {
            return Err(CacheError::OutOfMemory { what: "the key and value", bytes: usize::MAX });
        };
        let mut bytes = Vec::new();
        bytes.try_reserve_exact(size).map_err(|_| CacheError::OutOfMemory { what: "the key and value", bytes: size })?;
        bytes.extend_from_slice(&key_len.to_le_bytes());
        bytes.extend_from_slice(key);
        append_value(&mut bytes);
        debug_assert_eq!(bytes.len(), size);
        Ok(Block(bytes.into_boxed_slice())) // exact capacity: no reallocation
    }

    fn key_end(&self) -> usize {
        let (length, _) = self.0.split_at(KEY_LENGTH_BYTES);
        KEY_LENGTH_BYTES + u32::from_le_bytes(length.try_into().expect("4 bytes")) as usize
    }

    pub fn key(&self) -> &[u8] {
        &self.0[KEY_LENGTH_BYTES..self.key_end()]
    }

    pub fn value(&self) -> &[u8] {
        &self.0[self.key_end()..]
    }

    pub fn value_mut(&mut self) -> &mut [u8] {
        let start = self.key_end();
        &mut self.0[start..]
    }

    fn charge(&self) -> usize {
        charge(self.key().len(), self.value().len())
    }

    /// Asks the CPU to start loading the block's first [`PREFETCHED_BYTES`] while the probe compares the
    /// key. A read of a large cache waits mostly for these cache lines (measured with perf: the key
    /// comparison and the value copy each wait on a miss); requested together, the misses overlap instead
    /// of coming one after the other. The pointer and length are in the table's slot, so asking touches
    /// nothing of the block itself.
    fn prefetch(&self) {
        let start = self.0.as_ptr();
        // From the line holding the first byte to the line holding the last one: a block rarely starts on
        // a line boundary, so stepping from its first byte would leave its last line out.
        let first_line_offset = start as usize % CACHE_LINE;
        let length = first_line_offset + self.0.len().min(PREFETCHED_BYTES);
        for offset in (0..length).step_by(CACHE_LINE) {
            // wrapping arithmetic: the address is only a hint to the CPU, never dereferenced here.
            prefetch_for_read(start.wrapping_sub(first_line_offset).wrapping_add(offset));
        }
    }
}

const CACHE_LINE: usize = 64;
/// The first 16 cache lines of a block; a larger value's rest is left to the CPU's own stream prefetcher.
const PREFETCHED_BYTES: usize = 1024;

#[cfg(target_arch = "x86_64")]
fn prefetch_for_read(address: *const u8) {
    // SAFETY: a prefetch is a hint; it never faults, whatever the address.
    unsafe { std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(address.cast()) }
}

#[cfg(target_arch = "aarch64")]
fn prefetch_for_read(address: *const u8) {
    // SAFETY: PRFM is a hint; it never faults, whatever the address, and changes no register or memory.
    unsafe { std::arch::asm!("prfm pldl1keep, [{0}]", in(reg) address, options(nostack, readonly, preserves_flags)) }
}

#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
fn prefetch_for_read(_address: *const u8) {}

/// Hashes as its key does, so a [`KeyRef`] finds it.
impl Hash for Block {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.key().hash(state);
    }
}

impl PartialEq for Block {
    fn eq(&self, other: &Block) -> bool {
        self.key() == other.key()
    }
}

/// A table slot's own part of an entry.
struct Entry {
    /// The deadline on the [`crate::clock`] scale in the low 63 bits ([`NEVER`] never comes), and the
    /// [`Recency::SecondChance`] "referenced" mark in the top bit. One word for both keeps a table
    /// slot at 32 bytes (a separate flag would pad it to 40), and the mark is atomic because readers
    /// set it under a shared lock.
    deadline_and_mark: AtomicU64,
}

/// The top bit of [`Entry::deadline_and_mark`].
const REFERENCED: u64 = 1 << 63;
/// The latest representable deadline: 2^63 - 1 ms, some 292 million years.
const NEVER: Millis = REFERENCED - 1;

impl Entry {
    fn new(expires_at: Millis) -> Entry {
        Entry { deadline_and_mark: AtomicU64::new(expires_at.min(NEVER)) }
    }

    fn is_expired(&self, now: &mut Now) -> bool {
        now.has_reached(self.deadline_and_mark.load(Ordering::Relaxed) & NEVER)
    }

    /// Sets the mark, writing only when it is not set yet, so hot entries stay shared in every
    /// reader's CPU cache.
    fn mark_referenced(&self) {
        if self.deadline_and_mark.load(Ordering::Relaxed) & REFERENCED == 0 {
            self.deadline_and_mark.fetch_or(REFERENCED, Ordering::Relaxed);
        }
    }

    /// Clears the mark; true when it was set.
    fn take_referenced(&self) -> bool {
        self.deadline_and_mark.fetch_and(NEVER, Ordering::Relaxed) & REFERENCED != 0
    }
}

/// Hit and miss counters, one pair per stripe of threads, each pair on its own cache lines: readers
/// under a shared lock count without writing a line another thread writes.
struct ReadCounters {
    stripes: [Stripe; STRIPES],
}

const STRIPES: usize = 8;

/// 128 bytes: two cache lines, since adjacent-line prefetching pairs lines on x86.
#[repr(align(128))]
#[derive(Default)]
struct Stripe {
    hits: AtomicU64,
    misses: AtomicU64,
}

impl ReadCounters {
    fn new() -> Self {
        ReadCounters { stripes: Default::default() }
    }

    fn stripe(&self) -> &Stripe {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        thread_local! {
            // Round-robin, so the first STRIPES threads never share a stripe.
            static INDEX: usize = NEXT.fetch_add(1, Ordering::Relaxed) % STRIPES;
        }
        // A thread being torn down (no thread-locals left) counts in stripe 0.
        &self.stripes[INDEX.try_with(|index| *index).unwrap_or(0)]
    }

    fn count<R>(&self, read: &Read<R>) {
        match read {
            Read::Hit(_) => self.stripe().hits.fetch_add(1, Ordering::Relaxed),
            Read::Miss => self.stripe().misses.fetch_add(1, Ordering::Relaxed),
            Read::Declined => 0,
        };
    }

    fn totals(&self) -> (u64, u64) {
        self.stripes.iter().fold((0, 0), |(hits, misses), stripe| {
            (hits + stripe.hits.load(Ordering::Relaxed), misses + stripe.misses.load(Ordering::Relaxed))
        })
    }
}

/// A key as a caller passes it: looks up without building a [`Block`]. Hashes as `[u8]` does, as a
/// block does, so both find the same slot.
#[derive(Clone, Copy)]
struct KeyRef<'a>(&'a [u8]);

impl Hash for KeyRef<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl PartialEq<Block> for KeyRef<'_> {
    fn eq(&self, block: &Block) -> bool {
        self.0 == block.key()
    }
}

/// `bytes` copied into a new allocation, or `OutOfMemory` when the allocator refuses it.
fn copy_fallibly(bytes: &[u8], what: &'static str) -> Result<Vec<u8>, CacheError> {
    let mut copy = Vec::new();
    copy.try_reserve_exact(bytes.len()).map_err(|_| CacheError::OutOfMemory { what, bytes: bytes.len() })?;
    copy.extend_from_slice(bytes);
    Ok(copy)
}

/// A segment map's limiter. The map itself is unbounded (the cache's admission enforces the bounds
/// across segments); the ledger notes the charges of the entries the map drops, for
/// [`Cache::settle`].
#[derive(Default)]
struct Ledger {
    /// Charges and count of the entries dropped since the last settle.
    released_bytes: usize,
    released_entries: usize,
}

impl Limiter<Block, Entry> for Ledger {
    /// Puts build the block (fallibly) before they take the lock; the map only moves it in.
    type KeyToInsert<'a> = Block;
    /// At most 2^32 - 1 slots per segment: a table that would need more is refused like a failed
    /// allocation (and would take well over 100 GiB).
    type LinkType = u32;

    fn is_over_the_limit(&self, _length: usize) -> bool {
        false
    }

    fn on_insert(&mut self, _length: usize, block: Block, entry: Entry) -> Option<(Block, Entry)> {
        Some((block, entry))
    }

    /// A put of a key already held: its new block (same key, new value) takes the old one's place.
    /// `Cache::put_at` has accounted for the difference in charge.
    fn on_replace(&mut self, _: usize, old: &mut Block, new: Block, _: &mut Entry, _: &mut Entry) -> bool {
        *old = new;
        true
    }

    fn on_removed(&mut self, block: &mut Block, _: &mut Entry) {
        self.released_bytes += block.charge();
        self.released_entries += 1;
    }

    fn on_cleared(&mut self) {
        // Reached from `LruMap::clear`, which `Cache::clear` accounts for itself, and after a panic in
        // the hasher during a rehash, which foldhash cannot raise.
    }

    fn on_grow(&mut self, _new_memory_usage: usize) -> bool {
        true
    }
}

type Map = LruMap<Block, Entry, Ledger, RandomState>;

/// Looks `key` up by its `hash` and hands its block and entry to `visit`. The visit runs inside the
/// table's probe, when the key has matched: schnellru returns the slot's value part ([`Entry`]) but not
/// its key part, which here holds the entry's bytes.
fn peek_with<R>(map: &Map, hash: u64, key: &[u8], visit: impl FnOnce(&Block, &Entry) -> R) -> Option<R> {
    let mut result = None;
    map.peek_by_hash(hash, visiting_match(key, visit, &mut result));
    result
}

/// [`peek_with`] that also moves the entry it finds to the front.
fn get_with<R>(map: &mut Map, hash: u64, key: &[u8], visit: impl FnOnce(&Block, &Entry) -> R) -> Option<R> {
    let mut result = None;
    map.get_by_hash(hash, visiting_match(key, visit, &mut result));
    result
}

/// The probe's test for `key`, which also runs `visit` on the match, into `result`.
fn visiting_match<'a, R>(
    key: &'a [u8],
    visit: impl FnOnce(&Block, &Entry) -> R + 'a,
    result: &'a mut Option<R>,
) -> impl FnMut(&Block, &Entry) -> bool + 'a {
    let mut visit = Some(visit);
    move |block, entry| {
        block.prefetch();
        let found = KeyRef(key) == *block;
        if found {
            *result = visit.take().map(|visit| visit(block, entry));
        }
        found
    }
}

/// After `clear` or `close` has freed many entries: glibc keeps freed memory in its heaps and gives the
/// system only what lies at a heap's top, so without this the resident size stays near its peak
/// (measured: 993 MiB of 1,556 still resident after closing a cache of 1,500 values of 1 MiB that had
/// been cleared and refilled once; 51 MiB with it). `malloc_trim(0)` releases every free page of every
/// heap. musl's, FreeBSD's (jemalloc), macOS' and Windows' allocators follow their own policies for
/// returning memory, which this project has not measured.
fn return_free_memory_to_the_system() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only inspects and releases glibc's own free lists; it takes no pointers.
    unsafe {
        libc::malloc_trim(0);
    }
}

struct Segment {
    /// `None` once closed: the contents are dropped then and every call reports `Closed`.
    entries: Option<Map>,
    stats: Stats,
}

impl Segment {
    fn entries(&mut self) -> Result<(&mut Map, &mut Stats), CacheError> {
        match &mut self.entries {
            Some(map) => Ok((map, &mut self.stats)),
            None => Err(CacheError::Closed),
        }
    }

    fn map(&self) -> Result<&Map, CacheError> {
        self.entries.as_ref().ok_or(CacheError::Closed)
    }
}

/// A segment's lock, by recency mode. [`Recency::SecondChance`]: a reader-writer lock whose readers each
/// take one of eight shards (picked by thread), so a read writes only its own thread's shard and two
/// threads reading one segment do not pass its lock's cache line back and forth (with one shared lock
/// word that cost 2-thread reads 20-100 ns each, measured); a writer takes all eight shards, which costs a
/// put about 60 ns. [`Recency::Strict`]: every access needs the segment exclusively anyway (a get moves
/// its entry), so a plain mutex, one atomic operation per access.
enum SegmentLock {
    Exclusive(Mutex<Segment>),
    Sharded(ShardedLock<Segment>),
}

impl SegmentLock {
    fn new(segment: Segment, recency: Recency) -> Self {
        match recency {
            Recency::Strict => SegmentLock::Exclusive(Mutex::new(segment)),
            Recency::SecondChance => SegmentLock::Sharded(ShardedLock::new(segment)),
        }
    }

    /// Shared access (exclusive for a [`Recency::Strict`] segment, which never reads shared).
    fn read(&self) -> SegmentRead<'_> {
        match self {
            SegmentLock::Exclusive(lock) => SegmentRead::Exclusive(lock.lock()),
            SegmentLock::Sharded(lock) => SegmentRead::Shared(lock.read().unwrap_or_else(PoisonError::into_inner)),
        }
    }

    /// Exclusive access. A poisoned lock is used as it is: a panic is caught at the JNI boundary, and every
    /// operation leaves a segment consistent wherever it could panic (parking_lot's Mutex does not poison).
    fn write(&self) -> SegmentWrite<'_> {
        match self {
            SegmentLock::Exclusive(lock) => SegmentWrite::Exclusive(lock.lock()),
            SegmentLock::Sharded(lock) => SegmentWrite::Sharded(lock.write().unwrap_or_else(PoisonError::into_inner)),
        }
    }
}

enum SegmentRead<'a> {
    Exclusive(MutexGuard<'a, Segment>),
    Shared(ShardedLockReadGuard<'a, Segment>),
}

impl Deref for SegmentRead<'_> {
    type Target = Segment;

    fn deref(&self) -> &Segment {
        match self {
            SegmentRead::Exclusive(guard) => guard,
            SegmentRead::Shared(guard) => guard,
        }
    }
}

enum SegmentWrite<'a> {
    Exclusive(MutexGuard<'a, Segment>),
    Sharded(ShardedLockWriteGuard<'a, Segment>),
}

impl Deref for SegmentWrite<'_> {
    type Target = Segment;

    fn deref(&self) -> &Segment {
        match self {
            SegmentWrite::Exclusive(guard) => guard,
            SegmentWrite::Sharded(guard) => guard,
        }
    }
}

impl DerefMut for SegmentWrite<'_> {
    fn deref_mut(&mut self) -> &mut Segment {
        match self {
            SegmentWrite::Exclusive(guard) => guard,
            SegmentWrite::Sharded(guard) => guard,
        }
    }
}

pub struct Cache {
    capacity: usize,
    max_bytes: usize,
    max_entry_bytes: usize,
    default_ttl: Duration,
    recency: Recency,
    segments: Box<[SegmentLock]>,
    /// Hits and misses; the other counters are per segment, under its exclusive lock.
    reads: ReadCounters,
    /// Entries held, over all segments. Admission of a new key increments it only below capacity.
    len: AtomicUsize,
    /// Bytes held, over all segments; admission adds a charge only within `max_bytes`. Each
    /// segment's own total (under its lock) is in its `stats.bytes`.
    bytes: AtomicUsize,
    closed: AtomicBool,
    /// Where every operation reads "now", once.
    time: TimeSource,
    /// The maps' hasher, one seed for all of them. The same hash of a key also picks its segment
    /// ([`Cache::segment_index`]), so a lookup hashes once.
    map_hasher: RandomState,
}

impl Cache {
    pub fn new(capacity: NonZeroUsize, default_ttl: Duration) -> Self {
        Self::with_bounds(Bounds::entries(capacity), default_ttl)
    }

    /// A segmented cache reads with [`Recency::SecondChance`].
    pub fn with_bounds(bounds: Bounds, default_ttl: Duration) -> Self {
        Self::with_recency(bounds, default_ttl, Recency::SecondChance)
    }

    /// `recency` applies to segmented caches; a one-segment cache is always [`Recency::Strict`].
    pub fn with_recency(bounds: Bounds, default_ttl: Duration, recency: Recency) -> Self {
        Self::with_time_source(bounds, default_ttl, recency, TimeSource::System)
    }

    /// A cache that reads "now" from `time`: [`TimeSource::manual`] for tests of expiry.
    pub fn with_time_source(bounds: Bounds, default_ttl: Duration, recency: Recency, time: TimeSource) -> Self {
        // A cache that can never hold SEGMENTED_FROM entries (by count, or because even entries of
        // nothing but overhead would fill its bytes first) stays one segment: strict LRU.
        let most_entries = bounds.max_entries.get().min(bounds.max_bytes / ENTRY_OVERHEAD);
        let (segments, recency) =
            if most_entries >= SEGMENTED_FROM { (SEGMENTS, recency) } else { (1, Recency::Strict) };
        let map_hasher = RandomState::default();
        let empty_map = || LruMap::with_hasher(Ledger::default(), map_hasher.clone());
        Cache {
            capacity: bounds.max_entries.get(),
            max_bytes: bounds.max_bytes,
            max_entry_bytes: bounds.max_entry_bytes,
            default_ttl,
            recency,
            // The maps start empty and grow with their contents: a caller asking for Long.MAX_VALUE
            // entries gets no table of that size up front.
            segments: (0..segments)
                .map(|_| SegmentLock::new(Segment { entries: Some(empty_map()), stats: Stats::default() }, recency))
                .collect(),
            reads: ReadCounters::new(),
            len: AtomicUsize::new(0),
            bytes: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            time,
            map_hasher,
        }
    }

    fn empty_map(&self) -> Map {
        LruMap::with_hasher(Ledger::default(), self.map_hasher.clone())
    }

    /// A copy of the live value under `key`, if any. The copy is made under the segment's lock
    /// (one memcpy), and fails with `OutOfMemory` rather than aborting when it cannot be allocated.
    pub fn get(&self, key: &[u8]) -> Result<Option<Vec<u8>>, CacheError> {
        self.get_at(key, self.time.now())
    }

    fn get_at(&self, key: &[u8], now: Now) -> Result<Option<Vec<u8>>, CacheError> {
        Ok(match self.read_at(key, now, |value| copy_fallibly(value, "a copy of the value").map(Some))? {
            Read::Hit(value) => Some(value),
            Read::Miss | Read::Declined => None,
        })
    }

    /// Copies the live value under `key` into the front of `out` and returns its length, or
    /// declines (counting nothing) when it does not fit.
    pub fn get_into(&self, key: &[u8], out: &mut [u8]) -> Result<Read<usize>, CacheError> {
        self.read_at(key, self.time.now(), |value| {
            let Some(target) = out.get_mut(..value.len()) else {
                return Ok(None);
            };
            target.copy_from_slice(value);
            Ok(Some(value.len()))
        })
    }

    /// The length of the live value under `key`, copied into the front of `out` when it fits: a hit
    /// either way, as the caller learns the length it needs (the buffer read API into a caller's
    /// direct buffer, where there is no other way to read the value).
    pub fn get_into_if_fits(&self, key: &[u8], out: &mut [u8]) -> Result<Option<usize>, CacheError> {
        let read = self.read_at(key, self.time.now(), |value| {
            if let Some(target) = out.get_mut(..value.len()) {
                target.copy_from_slice(value);
            }
            Ok(Some(value.len()))
        })?;
        Ok(match read {
            Read::Hit(length) => Some(length),
            Read::Miss | Read::Declined => None,
        })
    }

    /// `ttl` of `None` uses the default TTL.
    pub fn put(&self, key: &[u8], value: &[u8], ttl: Option<Duration>) -> Result<(), CacheError> {
        // Checked before the copy, so an oversized value is refused without allocating it first.
        self.check_size(key.len(), value.len())?;
        self.put_at(Block::new(key, value)?, ttl, self.time.now())
    }

    /// A block for a put whose value the caller writes into it (from a Java array, with no copy in
    /// between), or `TooLarge` before allocating anything when the entry could never be held.
    pub fn block_for_put(&self, key: &[u8], value_len: usize) -> Result<Block, CacheError> {
        self.check_size(key.len(), value_len)?;
        Block::zeroed(key, value_len)
    }

    /// A put of a block from [`Cache::block_for_put`].
    pub fn put_block(&self, block: Block, ttl: Option<Duration>) -> Result<(), CacheError> {
        self.put_at(block, ttl, self.time.now())
    }

    pub fn cleanup_expired(&self) -> Result<u64, CacheError> {
        self.cleanup_expired_at(self.time.now())
    }

    /// Removes `key`; true when an entry (expired or not) was there.
    pub fn remove(&self, key: &[u8]) -> Result<bool, CacheError> {
        let mut segment = self.segments[self.segment_index(self.hash(key))].write();
        let (map, stats) = segment.entries()?;
        let removed = map.remove(&KeyRef(key)).is_some();
        self.settle(map, stats);
        Ok(removed)
    }

    pub fn clear(&self) -> Result<(), CacheError> {
        for segment in self.segments.iter() {
            let emptied = {
                let mut segment = segment.write();
                let (map, stats) = segment.entries()?;
                self.len.fetch_sub(map.len(), Ordering::Relaxed);
                self.bytes.fetch_sub(stats.bytes as usize, Ordering::Relaxed);
                stats.bytes = 0;
                // A fresh map rather than LruMap::clear, which keeps the table's allocation: a
                // cleared cache gives its table back, not only its keys and values.
                std::mem::replace(map, self.empty_map())
            };
            drop(emptied); // outside the lock: freeing many values can take a while
        }
        return_free_memory_to_the_system();
        Ok(())
    }

    pub fn size(&self) -> Result<u64, CacheError> {
        self.ensure_open()?;
        Ok(self.len.load(Ordering::Relaxed) as u64)
    }

    /// Counters summed over the segments (each segment's counters are read under its lock).
    pub fn stats(&self) -> Result<Stats, CacheError> {
        let (hits, misses) = self.reads.totals();
        let mut total = Stats { hits, misses, ..Stats::default() };
        for segment in self.segments.iter() {
            let segment = segment.read();
            let (map, stats) = (segment.map()?, &segment.stats);
            total.evictions += stats.evictions;
            total.expirations += stats.expirations;
            total.size += map.len() as u64;
            total.bytes += stats.bytes;
        }
        Ok(total)
    }

    /// Moves a [`TimeSource::Manual`] clock forward by `by` (whole milliseconds; a fraction is dropped):
    /// entries whose deadline it reaches are expired for every later operation.
    pub fn advance_clock(&self, by: Duration) -> Result<(), CacheError> {
        self.ensure_open()?;
        let millis = Millis::try_from(by.as_millis()).unwrap_or(Millis::MAX);
        if self.time.advance(millis) {
            Ok(())
        } else {
            Err(CacheError::NoManualClock)
        }
    }

    /// Marks the cache closed and drops its contents. Idempotent. The struct itself stays valid,
    /// so a call racing with close() reports `Closed` instead of touching freed memory.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        for segment in self.segments.iter() {
            let dropped = segment.write().entries.take();
            drop(dropped); // outside the lock: freeing many values can take a while
        }
        return_free_memory_to_the_system();
    }

    fn ensure_open(&self) -> Result<(), CacheError> {
        if self.closed.load(Ordering::Relaxed) {
            Err(CacheError::Closed)
        } else {
            Ok(())
        }
    }

    /// The hash the maps use for `key`.
    fn hash(&self, key: &[u8]) -> u64 {
        self.map_hasher.hash_one(KeyRef(key))
    }

    /// The segment of a key with this [`Cache::hash`]: bits 32 to 35. The maps take a slot's position
    /// from the low bits and its control byte from the top 7, so within a segment, where these four
    /// bits are all alike, both keep their full spread (a map never has 2^32 slots: its links are u32).
    fn segment_index(&self, hash: u64) -> usize {
        (hash >> 32) as usize & (self.segments.len() - 1)
    }

    /// Gives back the charges of the entries `map` dropped since the last call (the caller holds
    /// the segment's lock and counts the reason); returns how many there were.
    fn settle(&self, map: &mut Map, stats: &mut Stats) -> usize {
        let ledger = map.limiter_mut();
        let (bytes, entries) = (ledger.released_bytes, ledger.released_entries);
        if entries > 0 {
            ledger.released_bytes = 0;
            ledger.released_entries = 0;
            stats.bytes -= bytes as u64;
            self.bytes.fetch_sub(bytes, Ordering::Relaxed);
            self.len.fetch_sub(entries, Ordering::Relaxed);
        }
        entries
    }

    /// The charge of a put, or `TooLarge` when no amount of eviction could make it fit.
    fn check_size(&self, key_len: usize, value_len: usize) -> Result<usize, CacheError> {
        let charge = charge(key_len, value_len);
        let (limit, limit_name) = if self.max_entry_bytes <= self.max_bytes {
            (self.max_entry_bytes, "maxEntryBytes")
        } else {
            (self.max_bytes, "maximumBytes")
        };
        if charge > limit {
            return Err(CacheError::TooLarge { key: key_len, value: value_len, charge, limit, limit_name });
        }
        Ok(charge)
    }

    /// One lookup, counted as a hit or a miss unless `reader` declines the value.
    fn read_at<R>(
        &self,
        key: &[u8],
        now: Now,
        reader: impl FnOnce(&[u8]) -> Result<Option<R>, CacheError>,
    ) -> Result<Read<R>, CacheError> {
        let hash = self.hash(key);
        let read = match self.recency {
            Recency::Strict => self.read_exclusive(hash, key, now, reader)?,
            Recency::SecondChance => self.read_shared(hash, key, now, reader)?,
        };
        self.reads.count(&read);
        Ok(read)
    }

    /// [`Recency::Strict`]: the lookup moves the entry to the front (harmless if it turns out
    /// expired, as it is dropped at once), and `reader` decides whether it takes the value.
    fn read_exclusive<R>(
        &self,
        hash: u64,
        key: &[u8],
        mut now: Now,
        reader: impl FnOnce(&[u8]) -> Result<Option<R>, CacheError>,
    ) -> Result<Read<R>, CacheError> {
        let mut segment = self.segments[self.segment_index(hash)].write();
        let (map, stats) = segment.entries()?;
        let found = get_with(map, hash, key, |block, entry| (!entry.is_expired(&mut now)).then(|| reader(block.value())));
        Ok(match found {
            None => Read::Miss,
            Some(None) => {
                map.remove(&KeyRef(key));
                self.settle(map, stats);
                stats.expirations += 1;
                Read::Miss
            }
            Some(Some(read)) => read?.map_or(Read::Declined, Read::Hit),
        })
    }

    /// [`Recency::SecondChance`]: under the shared lock, marks the entry it reads. An expired entry
    /// needs the exclusive lock to be removed, so that rare case is read again exclusively.
    fn read_shared<R>(
        &self,
        hash: u64,
        key: &[u8],
        mut now: Now,
        reader: impl FnOnce(&[u8]) -> Result<Option<R>, CacheError>,
    ) -> Result<Read<R>, CacheError> {
        let segment = self.segments[self.segment_index(hash)].read();
        let mut reader = Some(reader);
        let found = peek_with(segment.map()?, hash, key, |block, entry| {
            if entry.is_expired(&mut now) {
                return None;
            }
            let read = reader.take().expect("one visit")(block.value());
            if matches!(read, Ok(Some(_))) {
                entry.mark_referenced();
            }
            Some(read)
        });
        Ok(match found {
            None => Read::Miss,
            Some(None) => {
                drop(segment);
                return self.read_exclusive(hash, key, now, reader.take().expect("not taken when expired"));
            }
            Some(Some(read)) => read?.map_or(Read::Declined, Read::Hit),
        })
    }

    /// Evicts the oldest entry of `map`, except `keep` (a key being replaced) and, under
    /// [`Recency::SecondChance`], entries read since they last reached the old end: those move to the
    /// front instead (a marked one losing its mark). False when nothing but `keep` is left.
    fn evict_one(&self, map: &mut Map, keep: Option<KeyRef>) -> bool {
        // Each step evicts, clears a mark, or moves `keep`; `keep` comes round again only after every
        // other entry passed the old end, unmarked from then on, so 2n + 1 steps always suffice.
        for _ in 0..=2 * map.len() {
            let Some((key, entry)) = map.peek_oldest() else {
                return false;
            };
            let kept = keep.is_some_and(|keep| keep == *key);
            let second_chance = !kept && self.recency == Recency::SecondChance && entry.take_referenced();
            if !kept && !second_chance {
                return map.pop_oldest().is_some();
            }
            if kept && map.len() == 1 {
                return false;
            }
            // To the front, found by hash and by address (no copy of the key).
            let (hash, slot): (u64, *const Block) = (self.hash(key.key()), key);
            map.get_by_hash(hash, |candidate, _| std::ptr::eq(candidate, slot));
        }
        false
    }

    fn put_at(&self, block: Block, ttl: Option<Duration>, mut now: Now) -> Result<(), CacheError> {
        // Checked before anything is touched, so a rejected put leaves the cache as it was.
        let new_charge = self.check_size(block.key().len(), block.value().len())?;
        let ttl = Millis::try_from(ttl.unwrap_or(self.default_ttl).as_millis()).unwrap_or(Millis::MAX);
        let entry = Entry::new(now.precise().saturating_add(ttl));
        let hash = self.hash(block.key());
        let index = self.segment_index(hash);
        loop {
            let mut guard = self.segments[index].write();
            let (map, stats) = guard.entries()?;
            // A key already held is replaced in its slot and becomes the most recently used; only a
            // growth in bytes needs admitting.
            let old_charge = peek_with(map, hash, block.key(), |old, _| old.charge());
            loop {
                let admitted = match old_charge {
                    Some(old) => self.admit(false, new_charge.saturating_sub(old)),
                    None => self.admit(true, new_charge),
                };
                if admitted {
                    return match old_charge {
                        Some(old) => {
                            map.insert(block, entry); // in place, through Ledger::on_replace
                            // A shrink gives bytes back (a growth was admitted above).
                            self.bytes.fetch_sub(old.saturating_sub(new_charge), Ordering::Relaxed);
                            stats.bytes = stats.bytes - old as u64 + new_charge as u64;
                            Ok(())
                        }
                        None => self.insert(map, stats, block, entry, new_charge),
                    };
                }
                // Over a bound: evict one of this segment's entries, never the key being replaced.
                let keep = old_charge.map(|_| KeyRef(block.key()));
                if !self.evict_one(map, keep) {
                    break;
                }
                stats.evictions += self.settle(map, stats) as u64;
            }
            // Still over, and this segment has nothing else to give: the entries are in other
            // segments. Evict there (without holding this lock, so two threads doing this cannot
            // deadlock), then retry.
            drop(guard);
            self.evict_elsewhere(index)?;
        }
    }

    /// Places an admitted new entry. The map may evict old entries to make room when its table
    /// cannot grow; it fails (and the admission is given back) only when even an emptied table has
    /// no room.
    fn insert(&self, map: &mut Map, stats: &mut Stats, block: Block, entry: Entry, charge: usize) -> Result<(), CacheError> {
        let block_size = block.0.len();
        let placed = map.insert(block, entry);
        stats.evictions += self.settle(map, stats) as u64;
        if placed {
            stats.bytes += charge as u64;
            return Ok(());
        }
        self.bytes.fetch_sub(charge, Ordering::Relaxed);
        self.len.fetch_sub(1, Ordering::Relaxed);
        Err(CacheError::OutOfMemory { what: "the cache's table", bytes: ENTRY_OVERHEAD + block_size })
    }

    /// Takes room for a put: one more entry when `new_entry`, and `bytes` more bytes. False, taking
    /// nothing, when either would go over its bound. The two counters are reserved one after the
    /// other; a failed second step gives the first back, so neither ever exceeds its bound (a
    /// racing put may see the first one briefly high and evict one entry early).
    fn admit(&self, new_entry: bool, bytes: usize) -> bool {
        let max_bytes = self.max_bytes;
        if bytes > 0
            && self
                .bytes
                .fetch_update(Ordering::Relaxed, Ordering::Relaxed, |b| {
                    b.checked_add(bytes).filter(|&t| t <= max_bytes)
                })
                .is_err()
        {
            return false;
        }
        let capacity = self.capacity;
        if new_entry
            && self.len.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| (n < capacity).then_some(n + 1)).is_err()
        {
            self.bytes.fetch_sub(bytes, Ordering::Relaxed);
            return false;
        }
        true
    }

    /// Evicts the least recently used entry of the first non-empty segment other than `skip` (the
    /// caller's own, whose only entry may be the key it is replacing).
    fn evict_elsewhere(&self, skip: usize) -> Result<(), CacheError> {
        for (index, segment) in self.segments.iter().enumerate() {
            if index == skip {
                continue;
            }
            let mut segment = segment.write();
            let (map, stats) = segment.entries()?;
            if self.evict_one(map, None) {
                stats.evictions += self.settle(map, stats) as u64;
                return Ok(());
            }
        }
        Ok(()) // every other segment was emptied meanwhile: there is room now
    }

    fn cleanup_expired_at(&self, mut now: Now) -> Result<u64, CacheError> {
        let mut removed = 0;
        for segment in self.segments.iter() {
            let mut segment = segment.write();
            let (map, stats) = segment.entries()?;
            // Per-entry TTLs mean expiry order is not recency order, so this is a full scan.
            let expired: Vec<Vec<u8>> =
                map.iter().filter(|(_, entry)| entry.is_expired(&mut now)).map(|(block, _)| block.key().to_vec()).collect();
            for key in &expired {
                map.remove(&KeyRef(key));
            }
            let count = self.settle(map, stats) as u64;
            stats.expirations += count;
            removed += count;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    const HOUR: Duration = Duration::from_secs(3600);

    fn cache(capacity: usize) -> Cache {
        Cache::new(NonZeroUsize::new(capacity).unwrap(), HOUR)
    }

    fn put(c: &Cache, key: &str, value: &str) {
        c.put(key.as_bytes(), value.as_bytes(), None).unwrap();
    }

    fn get(c: &Cache, key: &str) -> Option<String> {
        c.get(key.as_bytes()).unwrap().map(|v| String::from_utf8(v.to_vec()).unwrap())
    }

    #[test]
    fn miss_then_hit() {
        let c = cache(10);
        assert_eq!(get(&c, "a"), None);
        put(&c, "a", "1");
        assert_eq!(get(&c, "a").as_deref(), Some("1"));
        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses, s.size), (1, 1, 1));
    }

    #[test]
    fn least_recently_used_goes_first_and_get_counts_as_use() {
        let c = cache(3);
        put(&c, "a", "1");
        put(&c, "b", "2");
        put(&c, "c", "3");
        assert!(get(&c, "a").is_some()); // order now b, c, a
        put(&c, "d", "4"); // evicts b
        assert_eq!(get(&c, "b"), None);
        put(&c, "e", "5"); // evicts c
        assert_eq!(get(&c, "c"), None);
        for k in ["a", "d", "e"] {
            assert!(get(&c, k).is_some(), "{k} should survive");
        }
        assert_eq!(c.stats().unwrap().evictions, 2);
    }

    #[test]
    fn update_keeps_size_and_refreshes_recency() {
        let c = cache(2);
        put(&c, "a", "1");
        put(&c, "b", "2");
        put(&c, "a", "updated"); // a becomes most recent, no eviction
        assert_eq!(c.size().unwrap(), 2);
        assert_eq!(c.stats().unwrap().evictions, 0);
        put(&c, "c", "3"); // evicts b, not a
        assert_eq!(get(&c, "a").as_deref(), Some("updated"));
        assert_eq!(get(&c, "b"), None);
    }

    #[test]
    fn capacity_one() {
        let c = cache(1);
        put(&c, "a", "1");
        put(&c, "b", "2");
        assert_eq!(c.size().unwrap(), 1);
        assert_eq!(get(&c, "a"), None);
        assert_eq!(get(&c, "b").as_deref(), Some("2"));
    }

    #[test]
    fn default_and_per_entry_ttl() {
        let c = Cache::new(NonZeroUsize::new(10).unwrap(), Duration::from_millis(100));
        let t0 = Now::read().precise();
        c.put_at(Block::new(b"default", &b"1".to_vec()).unwrap(), None, Now::at(t0)).unwrap();
        c.put_at(Block::new(b"long", &b"2".to_vec()).unwrap(), Some(HOUR), Now::at(t0)).unwrap();
        c.put_at(Block::new(b"short", &b"3".to_vec()).unwrap(), Some(Duration::from_millis(10)), Now::at(t0)).unwrap();

        let t1 = Now::at(t0 + 50);
        assert!(c.get_at(b"short", t1).unwrap().is_none());
        assert!(c.get_at(b"default", t1).unwrap().is_some());

        let t2 = Now::at(t0 + 100); // the deadline itself counts as expired
        assert!(c.get_at(b"default", t2).unwrap().is_none());
        assert!(c.get_at(b"long", t2).unwrap().is_some());

        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses, s.expirations, s.size), (2, 2, 2, 1));
    }

    #[test]
    fn huge_ttl_never_expires_instead_of_overflowing() {
        let c = cache(10);
        c.put(b"k", b"v", Some(Duration::MAX)).unwrap();
        assert!(c.get_at(b"k", Now::at(Now::read().precise() + 1000 * 3600 * 24 * 365 * 100)).unwrap().is_some());
    }

    #[test]
    fn cleanup_expired_removes_only_expired_entries() {
        let c = cache(10);
        let t0 = Now::read().precise();
        for i in 0..5u8 {
            c.put_at(Block::new(&[i], &vec![i]).unwrap(), Some(Duration::from_millis(10)), Now::at(t0)).unwrap();
        }
        c.put_at(Block::new(b"keep", &b"v".to_vec()).unwrap(), None, Now::at(t0)).unwrap();
        assert_eq!(c.cleanup_expired_at(Now::at(t0 + 5)).unwrap(), 0);
        assert_eq!(c.cleanup_expired_at(Now::at(t0 + 20)).unwrap(), 5);
        assert_eq!(c.size().unwrap(), 1);
        assert_eq!(c.stats().unwrap().expirations, 5);
    }

    #[test]
    fn a_manual_clock_drives_expiry_through_the_public_operations() {
        let bounds = Bounds::entries(NonZeroUsize::new(10).unwrap());
        let c = Cache::with_time_source(bounds, Duration::from_millis(100), Recency::Strict, TimeSource::manual());
        put(&c, "default", "1");
        c.put(b"short", b"2", Some(Duration::from_millis(10))).unwrap();
        c.put(b"never", b"3", Some(Duration::MAX)).unwrap();
        c.advance_clock(Duration::from_millis(9)).unwrap();
        assert_eq!(get(&c, "short").as_deref(), Some("2"), "1 ms before its deadline");
        c.advance_clock(Duration::from_millis(1)).unwrap();
        assert_eq!(get(&c, "short"), None);
        assert_eq!(c.get_into(b"default", &mut [0; 1]).unwrap(), Read::Hit(1));
        c.advance_clock(Duration::from_millis(90)).unwrap();
        assert_eq!(c.cleanup_expired().unwrap(), 1, "default, at 100 ms");
        c.advance_clock(Duration::MAX).unwrap();
        assert_eq!(get(&c, "never").as_deref(), Some("3"), "the clock stops short of never");
        assert_eq!(cache(10).advance_clock(Duration::from_millis(1)), Err(CacheError::NoManualClock));
        c.close();
        assert_eq!(c.advance_clock(Duration::from_millis(1)), Err(CacheError::Closed));
    }

    #[test]
    fn remove_and_clear() {
        let c = cache(10);
        put(&c, "a", "1");
        put(&c, "b", "2");
        assert!(c.remove(b"a").unwrap());
        assert!(!c.remove(b"a").unwrap());
        c.clear().unwrap();
        assert_eq!(c.size().unwrap(), 0);
    }

    #[test]
    fn huge_capacity_does_not_preallocate() {
        let c = cache(usize::MAX);
        put(&c, "a", "1");
        assert_eq!(c.size().unwrap(), 1);
    }

    #[test]
    fn everything_fails_after_close_and_close_is_idempotent() {
        let c = cache(10);
        put(&c, "a", "1");
        c.close();
        c.close();
        assert_eq!(c.get(b"a"), Err(CacheError::Closed));
        assert_eq!(c.put(b"a", b"1", None), Err(CacheError::Closed));
        assert_eq!(c.remove(b"a"), Err(CacheError::Closed));
        assert_eq!(c.clear(), Err(CacheError::Closed));
        assert_eq!(c.size(), Err(CacheError::Closed));
        assert_eq!(c.cleanup_expired(), Err(CacheError::Closed));
        assert!(c.stats().is_err());
    }

    #[test]
    fn concurrent_use_keeps_the_bound_and_the_values() {
        let c = Arc::new(cache(100));
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || {
                    for i in 0..5000u32 {
                        let key = ((i * 7 + t) % 500).to_string();
                        if i % 3 == 0 {
                            c.put(key.as_bytes(), format!("v{key}").as_bytes(), None).unwrap();
                        } else if let Some(v) = c.get(key.as_bytes()).unwrap() {
                            assert_eq!(&*v, format!("v{key}").as_bytes());
                        }
                        assert!(c.size().unwrap() <= 100);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        assert!(c.size().unwrap() <= 100);
    }

    #[test]
    fn get_into_copies_or_declines_without_counting() {
        let c = cache(10);
        put(&c, "a", "12345");
        let mut out = [0u8; 8];
        assert_eq!(c.get_into(b"a", &mut out).unwrap(), Read::Hit(5));
        assert_eq!(&out[..5], b"12345");
        let mut small = [0u8; 4];
        assert_eq!(c.get_into(b"a", &mut small).unwrap(), Read::Declined);
        assert_eq!(small, [0u8; 4], "a declined read writes nothing");
        assert_eq!(c.get_into(b"b", &mut out).unwrap(), Read::Miss);
        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses), (1, 1), "the declined read is not counted");
    }

    #[test]
    fn get_into_if_fits_copies_what_fits_and_counts_every_hit() {
        let c = cache(10);
        put(&c, "a", "12345");
        let mut out = [0u8; 8];
        assert_eq!(c.get_into_if_fits(b"a", &mut out).unwrap(), Some(5));
        assert_eq!(&out[..5], b"12345");
        let mut small = [0u8; 4];
        assert_eq!(c.get_into_if_fits(b"a", &mut small).unwrap(), Some(5), "the length the caller needs");
        assert_eq!(small, [0u8; 4], "a value that does not fit is not written");
        assert_eq!(c.get_into_if_fits(b"b", &mut out).unwrap(), None);
        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses), (2, 1));
    }

    #[test]
    fn small_caches_are_one_segment_and_large_ones_are_split() {
        assert_eq!(cache(SEGMENTED_FROM - 1).segments.len(), 1);
        assert_eq!(cache(SEGMENTED_FROM).segments.len(), SEGMENTS);
    }

    fn segment_index(c: &Cache, key: &[u8]) -> usize {
        c.segment_index(c.hash(key))
    }

    #[test]
    fn a_segmented_cache_fills_to_exactly_its_capacity_and_then_evicts_one_per_new_key() {
        let capacity = SEGMENTED_FROM + 7;
        let c = cache(capacity);
        for i in 0..capacity {
            c.put(i.to_string().as_bytes(), b"v", None).unwrap();
        }
        assert_eq!(c.size().unwrap(), capacity as u64);
        assert_eq!(c.stats().unwrap().evictions, 0, "nothing is evicted below the bound");
        for i in capacity..capacity + 100 {
            c.put(i.to_string().as_bytes(), b"v", None).unwrap();
        }
        let s = c.stats().unwrap();
        assert_eq!((s.size, s.evictions), (capacity as u64, 100));
        for i in capacity..capacity + 100 {
            assert!(c.get(i.to_string().as_bytes()).unwrap().is_some(), "new key {i} is held");
        }
    }

    #[test]
    fn a_new_key_whose_segment_is_empty_evicts_from_another_segment() {
        let capacity = SEGMENTED_FROM;
        let c = cache(capacity);
        let keys: Vec<Vec<u8>> = (0..capacity * 2).map(|i| i.to_string().into_bytes()).collect();
        let target = segment_index(&c, &keys[0]);
        // Fill the cache to the bound with keys of every segment but `target`.
        let others: Vec<&Vec<u8>> = keys.iter().filter(|k| segment_index(&c, k) != target).take(capacity).collect();
        assert_eq!(others.len(), capacity);
        for k in &others {
            c.put(k, b"v", None).unwrap();
        }
        c.put(&keys[0], b"new", None).unwrap();
        let s = c.stats().unwrap();
        assert_eq!((s.size, s.evictions), (capacity as u64, 1));
        assert_eq!(c.get(&keys[0]).unwrap().as_deref(), Some(&b"new"[..]));
    }

    /// A full segmented cache (exactly SEGMENTED_FROM entries, one byte each) and, oldest first, the
    /// keys it holds in one segment.
    fn full_segmented_cache(recency: Recency) -> (Cache, Vec<Vec<u8>>) {
        let c = Cache::with_recency(Bounds::entries(NonZeroUsize::new(SEGMENTED_FROM).unwrap()), HOUR, recency);
        let keys: Vec<Vec<u8>> = (0..SEGMENTED_FROM).map(|i| i.to_string().into_bytes()).collect();
        for k in &keys {
            c.put(k, b"v", None).unwrap();
        }
        let target = segment_index(&c, &keys[0]);
        let in_target = keys.into_iter().filter(|k| segment_index(&c, k) == target).collect();
        (c, in_target)
    }

    /// Puts `n` new keys that fall in the segment of `like`, each evicting one entry of it.
    fn put_new_keys_into_segment_of(c: &Cache, like: &[u8], n: usize) {
        let target = segment_index(c, like);
        let new_keys = (0..).map(|i| format!("new-{i}").into_bytes()).filter(|k| segment_index(c, k) == target);
        for k in new_keys.take(n) {
            c.put(&k, b"v", None).unwrap();
        }
        assert_eq!(c.size().unwrap(), SEGMENTED_FROM as u64);
    }

    #[test]
    fn second_chance_evicts_the_oldest_entries_not_read_since_and_spares_those_read() {
        let (c, keys) = full_segmented_cache(Recency::SecondChance);
        assert_eq!(c.recency, Recency::SecondChance);
        // Read every other key, the oldest ones included: exact LRU would now evict the unread ones first
        // too, and so must the approximation.
        let (read, unread): (Vec<_>, Vec<_>) = keys.iter().enumerate().partition(|(i, _)| i % 2 == 0);
        for (_, k) in &read {
            assert!(c.get(k).unwrap().is_some());
        }
        put_new_keys_into_segment_of(&c, &keys[0], unread.len());
        for (_, k) in &read {
            assert!(c.get(k).unwrap().is_some(), "read entry {} was evicted", String::from_utf8_lossy(k));
        }
        for (_, k) in &unread {
            assert!(c.get(k).unwrap().is_none(), "unread entry {} survived", String::from_utf8_lossy(k));
        }
    }

    #[test]
    fn second_chance_is_one_chance_an_entry_not_read_again_goes_in_a_later_round() {
        let (c, keys) = full_segmented_cache(Recency::SecondChance);
        c.get(&keys[0]).unwrap();
        // Evicting as many entries as the segment holds passes keys[0] once (it loses its mark and moves to
        // the front) and reaches it again, unmarked, before the new keys.
        put_new_keys_into_segment_of(&c, &keys[0], keys.len());
        assert!(c.get(&keys[0]).unwrap().is_none());
    }

    #[test]
    fn replacing_a_key_evicts_other_entries_even_when_all_of_them_were_read() {
        let max_bytes = SEGMENTED_FROM * charge(5, 1);
        let bounds =
            Bounds { max_entries: NonZeroUsize::new(usize::MAX).unwrap(), max_bytes, max_entry_bytes: usize::MAX };
        let c = Cache::with_recency(bounds, HOUR, Recency::SecondChance);
        let keys: Vec<Vec<u8>> = (0..SEGMENTED_FROM).map(|i| format!("{i:05}").into_bytes()).collect();
        for k in &keys {
            c.put(k, b"v", None).unwrap();
        }
        let target = segment_index(&c, &keys[0]);
        let in_target: Vec<&Vec<u8>> = keys.iter().filter(|k| segment_index(&c, k) == target).collect();
        for k in &in_target {
            c.get(k).unwrap(); // every entry of the segment, the one replaced below too, is marked
        }
        // Growing keys[0] by 40 bytes must evict others of its segment (marked or not), never itself.
        c.put(&keys[0], &[7; 41], None).unwrap();
        assert_eq!(c.get(&keys[0]).unwrap().as_deref(), Some(&[7; 41][..]));
        let s = c.stats().unwrap();
        assert!(s.evictions >= 1 && s.bytes <= max_bytes as u64, "{s:?}");
    }

    #[test]
    fn strict_recency_in_a_segmented_cache_evicts_in_exact_lru_order() {
        let (c, keys) = full_segmented_cache(Recency::Strict);
        // Read in reverse: keys[last] is now the least recently used, keys[0] the most.
        for k in keys.iter().rev() {
            c.get(k).unwrap();
        }
        put_new_keys_into_segment_of(&c, &keys[0], keys.len() - 1);
        assert!(c.get(&keys[0]).unwrap().is_some(), "the most recently read survives");
        for k in &keys[1..] {
            assert!(c.get(k).unwrap().is_none());
        }
    }

    #[test]
    fn small_caches_are_strict_whatever_is_asked() {
        let c = Cache::with_recency(Bounds::entries(NonZeroUsize::new(10).unwrap()), HOUR, Recency::SecondChance);
        assert_eq!(c.recency, Recency::Strict);
    }

    #[test]
    fn shared_reads_count_hits_and_misses_from_every_thread_and_see_whole_values() {
        let (c, keys) = full_segmented_cache(Recency::SecondChance);
        let c = Arc::new(c);
        let readers: Vec<_> = (0..4)
            .map(|t| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || {
                    for i in 0..20_000usize {
                        let key = ((i * 7 + t) % SEGMENTED_FROM).to_string();
                        match c.get(key.as_bytes()).unwrap() {
                            Some(value) => {
                                assert!(value == b"v" || value == key.as_bytes(), "{value:?}")
                            }
                            None => {} // replaced concurrently below
                        }
                        c.get(b"absent").unwrap();
                    }
                })
            })
            .collect();
        for i in 0..SEGMENTED_FROM {
            let key = i.to_string();
            c.put(key.as_bytes(), key.as_bytes(), None).unwrap();
        }
        for r in readers {
            r.join().unwrap();
        }
        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses), (80_000, 80_000));
        assert!(keys.iter().all(|k| c.get(k).unwrap().as_deref() == Some(&k[..])));
    }

    #[test]
    fn a_segmented_cache_keeps_its_bound_under_concurrent_inserts() {
        let capacity = SEGMENTED_FROM;
        let c = Arc::new(cache(capacity));
        let threads: Vec<_> = (0..4u32)
            .map(|t| {
                let c = Arc::clone(&c);
                std::thread::spawn(move || {
                    for i in 0..capacity as u32 {
                        c.put(format!("{t}-{i}").as_bytes(), b"v", None).unwrap();
                        assert!(c.size().unwrap() <= capacity as u64);
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let s = c.stats().unwrap();
        assert_eq!(s.size, capacity as u64);
        assert_eq!(c.size().unwrap(), capacity as u64);
        assert_eq!(s.evictions, 3 * capacity as u64, "every insert beyond the bound evicted exactly one entry");
    }

    // --- the byte bound ---

    fn bounded(max_entries: usize, max_bytes: usize, max_entry_bytes: usize) -> Cache {
        let bounds = Bounds { max_entries: NonZeroUsize::new(max_entries).unwrap(), max_bytes, max_entry_bytes };
        Cache::with_bounds(bounds, HOUR)
    }

    /// A cache holding at most `n` entries of a 1-byte key and `value_len`-byte value, by bytes alone.
    fn room_for(n: usize, value_len: usize) -> Cache {
        bounded(usize::MAX, n * charge(1, value_len), usize::MAX)
    }

    /// Checks the three records of the bytes held agree with the entries actually there: the sum of
    /// their charges, each segment's `stats.bytes`, and the admission counter. Returns the total.
    fn audited_bytes(c: &Cache) -> u64 {
        let mut held = 0;
        let mut counted = 0;
        for segment in c.segments.iter() {
            let mut segment = segment.write();
            let (map, stats) = segment.entries().unwrap();
            let segment_held: u64 = map.iter().map(|(block, _)| block.charge() as u64).sum();
            assert_eq!(stats.bytes, segment_held, "a segment's count matches its entries");
            held += segment_held;
            counted += map.len();
        }
        assert_eq!(c.bytes.load(Ordering::Relaxed) as u64, held, "the admission counter matches the entries");
        assert_eq!(c.len.load(Ordering::Relaxed), counted);
        assert_eq!(c.stats().unwrap().bytes, held);
        held
    }

    fn value(len: usize) -> Vec<u8> {
        vec![7; len]
    }

    #[test]
    #[cfg(target_pointer_width = "64")]
    fn entry_overhead_is_the_table_slot_and_its_control_byte() {
        // Slot: Block 16 (Box<[u8]>: pointer, length) + Entry 8 (deadline and mark) + two u32 links 8
        // = 32; control byte 1; the key's length at the head of the block 4. The Java docs quote the total.
        assert_eq!(std::mem::size_of::<Block>(), 16);
        assert_eq!(std::mem::size_of::<Entry>(), 8);
        assert_eq!(ENTRY_OVERHEAD, 32 + 1 + 4);
        assert_eq!(ENTRY_OVERHEAD, 37);
        let block = Block::new(b"key", b"value").unwrap();
        assert_eq!((block.key(), block.value(), block.0.len()), (&b"key"[..], &b"value"[..], 3 + 5 + KEY_LENGTH_BYTES));
    }

    #[test]
    fn stats_count_key_value_and_overhead_of_each_entry() {
        let c = cache(10);
        assert_eq!(c.stats().unwrap().bytes, 0);
        c.put(b"ab", &value(10), None).unwrap();
        c.put(&value(30), &value(1000), None).unwrap(); // a key too long to be inline counts the same way
        assert_eq!(audited_bytes(&c), (2 + 10 + ENTRY_OVERHEAD + 30 + 1000 + ENTRY_OVERHEAD) as u64);
    }

    #[test]
    fn a_put_over_the_byte_bound_evicts_least_recently_used_entries_until_it_fits() {
        let c = room_for(4, 100);
        for k in [b"a", b"b", b"c", b"d"] {
            c.put(k, &value(100), None).unwrap();
        }
        assert_eq!(c.stats().unwrap().evictions, 0, "exactly four fit");
        assert!(c.get(b"a").unwrap().is_some()); // order: b, c, d, a
                                                 // Needs the room of two and a half entries: b, c and d go, a stays.
        c.put(b"e", &value(2 * charge(1, 100) + 50), None).unwrap();
        for gone in [b"b", b"c", b"d"] {
            assert!(c.get(gone).unwrap().is_none());
        }
        assert!(c.get(b"a").unwrap().is_some());
        let s = c.stats().unwrap();
        assert_eq!((s.size, s.evictions), (2, 3));
        assert!(audited_bytes(&c) <= c.max_bytes as u64);
    }

    #[test]
    fn an_entry_exactly_the_size_of_the_bound_fits_alone() {
        let c = bounded(100, charge(1, 500), usize::MAX);
        c.put(b"a", b"1", None).unwrap();
        c.put(b"b", &value(500), None).unwrap();
        assert_eq!(c.size().unwrap(), 1);
        assert_eq!(audited_bytes(&c), charge(1, 500) as u64);
    }

    #[test]
    fn both_bounds_apply_together() {
        let c = bounded(2, 10 * charge(1, 10), usize::MAX);
        for k in [b"a", b"b", b"c"] {
            c.put(k, &value(10), None).unwrap();
        }
        assert_eq!(c.size().unwrap(), 2, "the entry bound still holds with room in bytes");
        assert_eq!(audited_bytes(&c), 2 * charge(1, 10) as u64);
    }

    #[test]
    fn replacing_a_value_charges_the_difference_and_evicts_only_others() {
        let c = room_for(3, 100);
        for k in [b"a", b"b", b"c"] {
            c.put(k, &value(100), None).unwrap();
        }
        c.put(b"a", &value(10), None).unwrap(); // shrink: gives 90 back
        assert_eq!(audited_bytes(&c), (3 * charge(1, 100) - 90) as u64);
        c.put(b"a", &value(190), None).unwrap(); // grows by 180, room for 90: evicts b (LRU), not a
        assert!(c.get(b"b").unwrap().is_none());
        assert_eq!(c.get(b"a").unwrap().unwrap().len(), 190);
        assert!(c.get(b"c").unwrap().is_some());
        assert_eq!(c.stats().unwrap().evictions, 1);
        assert_eq!(audited_bytes(&c), (charge(1, 190) + charge(1, 100)) as u64);
        // Growing into the whole bound pushes out everything else.
        c.put(b"a", &value(3 * charge(1, 100) - charge(1, 0)), None).unwrap();
        assert_eq!(c.size().unwrap(), 1);
        assert_eq!(audited_bytes(&c), c.max_bytes as u64);
    }

    #[test]
    fn oversized_entries_are_rejected_and_change_nothing() {
        let c = bounded(10, 1000, charge(1, 100));
        c.put(b"a", &value(100), None).unwrap();
        c.put(b"b", b"keep", None).unwrap();
        let before = c.stats().unwrap();
        assert_eq!(
            c.put(b"a", &value(101), None),
            Err(CacheError::TooLarge {
                key: 1,
                value: 101,
                charge: charge(1, 101),
                limit: charge(1, 100),
                limit_name: "maxEntryBytes"
            })
        );
        assert!(matches!(c.put(b"new", &value(101), None), Err(CacheError::TooLarge { .. })));
        assert_eq!(c.stats().unwrap(), before, "no eviction, no byte change");
        assert_eq!(c.get(b"a").unwrap().unwrap().len(), 100, "the old value stays");

        // An entry larger than the whole bound cannot fit even alone.
        let c = bounded(10, 1000, usize::MAX);
        c.put(b"a", b"1", None).unwrap();
        let err = c.put(b"a", &value(1000), None).unwrap_err();
        assert!(matches!(err, CacheError::TooLarge { limit: 1000, limit_name: "maximumBytes", .. }), "{err:?}");
        assert_eq!(c.get(b"a").unwrap().as_deref(), Some(&b"1"[..]));
        assert_eq!(audited_bytes(&c), charge(1, 1) as u64);
    }

    #[test]
    fn remove_clear_expiry_and_cleanup_give_the_bytes_back() {
        let c = cache(100);
        let t0 = Now::read().precise();
        c.put(b"a", &value(10), None).unwrap();
        c.put(b"bb", &value(20), None).unwrap();
        assert!(c.remove(b"a").unwrap());
        assert!(!c.remove(b"a").unwrap());
        assert_eq!(audited_bytes(&c), charge(2, 20) as u64);
        c.clear().unwrap();
        assert_eq!(audited_bytes(&c), 0);

        c.put_at(Block::new(b"get", &value(5)).unwrap(), Some(Duration::from_millis(10)), Now::at(t0)).unwrap();
        c.put_at(Block::new(b"scan", &value(6)).unwrap(), Some(Duration::from_millis(10)), Now::at(t0)).unwrap();
        c.put_at(Block::new(b"live", &value(7)).unwrap(), None, Now::at(t0)).unwrap();
        assert!(c.get_at(b"get", Now::at(t0 + 10)).unwrap().is_none()); // expired on get
        assert_eq!(audited_bytes(&c), (charge(4, 6) + charge(4, 7)) as u64);
        assert_eq!(c.cleanup_expired_at(Now::at(t0 + 10)).unwrap(), 1);
        assert_eq!(audited_bytes(&c), charge(4, 7) as u64);
        assert_eq!(c.stats().unwrap().expirations, 2);
    }

    #[test]
    fn freed_bytes_are_reused_without_eviction() {
        let c = room_for(2, 100);
        c.put(b"a", &value(100), None).unwrap();
        c.put(b"b", &value(100), None).unwrap();
        c.remove(b"a").unwrap();
        c.put(b"c", &value(100), None).unwrap();
        c.clear().unwrap();
        c.put(b"d", &value(100), None).unwrap();
        c.put(b"e", &value(100), None).unwrap();
        assert_eq!(c.stats().unwrap().evictions, 0);
        assert_eq!(audited_bytes(&c), c.max_bytes as u64);
    }

    #[test]
    fn a_byte_bound_too_small_for_many_entries_keeps_one_segment() {
        assert_eq!(bounded(usize::MAX, (SEGMENTED_FROM - 1) * ENTRY_OVERHEAD, usize::MAX).segments.len(), 1);
        assert_eq!(bounded(usize::MAX, SEGMENTED_FROM * ENTRY_OVERHEAD, usize::MAX).segments.len(), SEGMENTS);
    }

    #[test]
    fn in_a_segmented_cache_a_put_evicts_elsewhere_for_bytes_too() {
        let max_bytes = SEGMENTED_FROM * ENTRY_OVERHEAD + 10_000;
        let c = bounded(usize::MAX, max_bytes, usize::MAX);
        assert_eq!(c.segments.len(), SEGMENTS);
        let keys: Vec<Vec<u8>> = (0..1000u32).map(|i| i.to_string().into_bytes()).collect();
        let target = segment_index(&c, &keys[0]);
        let others: Vec<&Vec<u8>> = keys.iter().filter(|k| segment_index(&c, k) != target).take(10).collect();
        // keys[0] alone in its segment; the rest of the bound filled by ten big entries elsewhere.
        c.put(&keys[0], b"v", None).unwrap();
        let big = (max_bytes - charge(keys[0].len(), 1)) / 10 - ENTRY_OVERHEAD - 4;
        for k in &others {
            c.put(k, &value(big), None).unwrap();
        }
        assert_eq!(c.stats().unwrap().evictions, 0);
        // Growing keys[0] must evict from other segments, never keys[0] itself.
        c.put(&keys[0], &value(2 * big), None).unwrap();
        assert_eq!(c.get(&keys[0]).unwrap().unwrap().len(), 2 * big);
        let s = c.stats().unwrap();
        assert!(s.evictions >= 2, "{s:?}");
        assert!(audited_bytes(&c) <= max_bytes as u64);
        // A new key whose segment is empty does the same.
        c.remove(&keys[0]).unwrap();
        let lonely = keys.iter().find(|k| segment_index(&c, k) == target && *k != &keys[0]).unwrap();
        c.put(lonely, &value(max_bytes - charge(lonely.len(), 0)), None).unwrap();
        assert_eq!(c.size().unwrap(), 1, "everything else was evicted to make room");
        assert_eq!(audited_bytes(&c), max_bytes as u64);
    }

    #[test]
    fn concurrent_puts_keep_the_byte_bound_and_exact_accounting() {
        let max_bytes = 64 * charge(4, 300);
        for segmented in [false, true] {
            // A segmented cache needs a byte bound of SEGMENTED_FROM overheads; give the extra room
            // to an entry count that is never reached.
            let c = Arc::new(if segmented {
                bounded(usize::MAX, SEGMENTED_FROM * ENTRY_OVERHEAD, usize::MAX)
            } else {
                bounded(usize::MAX, max_bytes, usize::MAX)
            });
            let bound = c.max_bytes as u64;
            let threads: Vec<_> = (0..4u32)
                .map(|t| {
                    let c = Arc::clone(&c);
                    std::thread::spawn(move || {
                        for i in 0..20_000u32 {
                            let key = format!("{}", (i * 13 + t) % 5000);
                            match i % 5 {
                                0 => drop(c.remove(key.as_bytes()).unwrap()),
                                1 => drop(c.get(key.as_bytes()).unwrap()),
                                _ => c.put(key.as_bytes(), &vec![t as u8; (i as usize * 37) % 2000], None).unwrap(),
                            }
                            assert!(c.bytes.load(Ordering::Relaxed) as u64 <= bound);
                        }
                    })
                })
                .collect();
            for t in threads {
                t.join().unwrap();
            }
            assert!(audited_bytes(&c) <= bound);
            c.clear().unwrap();
            assert_eq!(audited_bytes(&c), 0);
        }
    }
}
