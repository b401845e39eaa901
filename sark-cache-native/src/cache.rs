//! The cache itself, free of JNI so that `cargo test` can exercise it directly.
//!
//! Recency: `lru::LruCache` keeps an exact recency order (moka and quick_cache only approximate it
//! with TinyLFU / CLOCK). A get reorders the list, so even reads need exclusive access to it.
//! Caches below [`SEGMENTED_FROM`] entries are one list behind one lock: strict LRU, the least
//! recently used entry is the one evicted. Larger caches are split into [`SEGMENTS`] segments by key
//! hash, each with its own list and lock, so threads working on different keys do not queue on one
//! lock; the evicted entry is then the least recently used one *of the segment* the new key falls
//! in. The bound itself stays global and exact: one atomic count of entries admits a new key only
//! while the cache is below `capacity`, so a cache fills to exactly its capacity and never beyond.
//!
//! parking_lot's Mutex does not poison, so a panic caught by the JNI guard cannot wedge the cache.
//!
//! Expiry is lazy: an entry whose deadline has passed is dropped when a get finds it, or by
//! [`Cache::cleanup_expired`]. Until then it still counts in [`Cache::size`].

use std::hash::BuildHasher;
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use foldhash::fast::RandomState;
use lru::LruCache;
use parking_lot::Mutex;
use smallvec::SmallVec;

use crate::clock::{Millis, Now};

/// Segments of a large cache. 16 keeps two threads on different keys apart 15 times in 16 while the
/// per-segment approximation of LRU stays close to the global order.
pub const SEGMENTS: usize = 16;
/// Caches with fewer entries than this are one segment (strict LRU). 16 x 1,024: each segment of a
/// segmented cache starts with room for at least 1,024 entries' worth of recency history.
pub const SEGMENTED_FROM: usize = SEGMENTS * 1024;

/// Why an operation could not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheError {
    /// `close()` was called; every later call fails.
    Closed,
}

/// Counters since creation. `size` is the entry count at the time of the snapshot.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    pub hits: u64,
    pub misses: u64,
    /// Entries pushed out to respect the capacity bound.
    pub evictions: u64,
    /// Entries found expired by a get, or removed by `cleanup_expired`.
    pub expirations: u64,
    pub size: u64,
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

struct Entry {
    /// Shared so the slow get path can hand the bytes out and copy them to Java after the lock.
    value: Arc<[u8]>,
    /// On the [`crate::clock`] scale; `Millis::MAX` (a TTL too long to represent) never comes.
    expires_at: Millis,
}

impl Entry {
    fn is_expired(&self, now: &mut Now) -> bool {
        now.has_reached(self.expires_at)
    }
}

/// Keys of up to 24 bytes (the usual ids and hashes) are stored inline in the list node.
type Key = SmallVec<[u8; 24]>;
type Map = LruCache<Key, Entry, RandomState>;

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
}

pub struct Cache {
    capacity: usize,
    default_ttl: Duration,
    segments: Box<[Mutex<Segment>]>,
    /// Entries held, over all segments. Admission of a new key increments it only below capacity.
    len: AtomicUsize,
    closed: AtomicBool,
    /// Picks the segment; seeded apart from the maps' own hasher so a segment's keys do not share
    /// the hash bits its map uses.
    segment_hasher: RandomState,
}

impl Cache {
    pub fn new(capacity: NonZeroUsize, default_ttl: Duration) -> Self {
        let segments = if capacity.get() >= SEGMENTED_FROM { SEGMENTS } else { 1 };
        let hasher = RandomState::default();
        Cache {
            capacity: capacity.get(),
            default_ttl,
            // Unbounded maps, with the bound enforced by `admit`: LruCache::new(cap) preallocates a
            // table of `cap` slots, and a caller asking for Long.MAX_VALUE entries would abort the
            // process on the allocation instead of getting an exception.
            segments: (0..segments)
                .map(|_| {
                    let map = LruCache::unbounded_with_hasher(hasher.clone());
                    Mutex::new(Segment { entries: Some(map), stats: Stats::default() })
                })
                .collect(),
            len: AtomicUsize::new(0),
            closed: AtomicBool::new(false),
            segment_hasher: RandomState::default(),
        }
    }

    /// A copy of the live value under `key`, if any.
    pub fn get(&self, key: &[u8]) -> Result<Option<Arc<[u8]>>, CacheError> {
        self.get_at(key, Now::read())
    }

    fn get_at(&self, key: &[u8], now: Now) -> Result<Option<Arc<[u8]>>, CacheError> {
        Ok(match self.read_at(key, now, |value| Some(Arc::clone(value)))? {
            Read::Hit(value) => Some(value),
            Read::Miss | Read::Declined => None,
        })
    }

    /// Copies the live value under `key` into the front of `out` and returns its length, or
    /// declines (counting nothing) when it does not fit. The copy happens under the segment's lock,
    /// which saves the reference-count traffic of handing an `Arc` out; values that fit a caller's
    /// scratch buffer are small enough for that.
    pub fn get_into(&self, key: &[u8], out: &mut [u8]) -> Result<Read<usize>, CacheError> {
        self.read_at(key, Now::read(), |value| {
            let target = out.get_mut(..value.len())?;
            target.copy_from_slice(value);
            Some(value.len())
        })
    }

    /// `ttl` of `None` uses the default TTL.
    pub fn put(&self, key: &[u8], value: &[u8], ttl: Option<Duration>) -> Result<(), CacheError> {
        self.put_at(key, value, ttl, Now::read())
    }

    pub fn cleanup_expired(&self) -> Result<u64, CacheError> {
        self.cleanup_expired_at(Now::read())
    }

    /// Removes `key`; true when an entry (expired or not) was there.
    pub fn remove(&self, key: &[u8]) -> Result<bool, CacheError> {
        let mut segment = self.segment(key).lock();
        let (map, _) = segment.entries()?;
        let removed = map.pop(key).is_some();
        if removed {
            self.len.fetch_sub(1, Ordering::Relaxed);
        }
        Ok(removed)
    }

    pub fn clear(&self) -> Result<(), CacheError> {
        for segment in self.segments.iter() {
            let mut segment = segment.lock();
            let (map, _) = segment.entries()?;
            self.len.fetch_sub(map.len(), Ordering::Relaxed);
            map.clear();
        }
        Ok(())
    }

    pub fn size(&self) -> Result<u64, CacheError> {
        self.ensure_open()?;
        Ok(self.len.load(Ordering::Relaxed) as u64)
    }

    /// Counters summed over the segments (each segment's counters are read under its lock).
    pub fn stats(&self) -> Result<Stats, CacheError> {
        let mut total = Stats::default();
        for segment in self.segments.iter() {
            let mut segment = segment.lock();
            let (map, stats) = segment.entries()?;
            total.hits += stats.hits;
            total.misses += stats.misses;
            total.evictions += stats.evictions;
            total.expirations += stats.expirations;
            total.size += map.len() as u64;
        }
        Ok(total)
    }

    /// Marks the cache closed and drops its contents. Idempotent. The struct itself stays valid,
    /// so a call racing with close() reports `Closed` instead of touching freed memory.
    pub fn close(&self) {
        self.closed.store(true, Ordering::Relaxed);
        for segment in self.segments.iter() {
            let dropped = segment.lock().entries.take();
            drop(dropped); // outside the lock: freeing many values can take a while
        }
    }

    fn ensure_open(&self) -> Result<(), CacheError> {
        if self.closed.load(Ordering::Relaxed) {
            Err(CacheError::Closed)
        } else {
            Ok(())
        }
    }

    fn segment(&self, key: &[u8]) -> &Mutex<Segment> {
        if self.segments.len() == 1 {
            return &self.segments[0];
        }
        // The top bits: foldhash mixes them best, and SEGMENTS is a power of two.
        let hash = self.segment_hasher.hash_one(key);
        &self.segments[(hash >> (64 - SEGMENTS.trailing_zeros())) as usize]
    }

    /// One lookup: `get` marks the entry used (harmless if it then turns out expired, as it is
    /// dropped at once) and `reader` decides whether it takes the value.
    fn read_at<R>(&self, key: &[u8], mut now: Now, reader: impl FnOnce(&Arc<[u8]>) -> Option<R>) -> Result<Read<R>, CacheError> {
        let mut segment = self.segment(key).lock();
        let (map, stats) = segment.entries()?;
        let read = match map.get(key) {
            None => Read::Miss,
            Some(entry) if entry.is_expired(&mut now) => {
                map.pop(key);
                self.len.fetch_sub(1, Ordering::Relaxed);
                stats.expirations += 1;
                Read::Miss
            }
            Some(entry) => reader(&entry.value).map_or(Read::Declined, Read::Hit),
        };
        match read {
            Read::Miss => stats.misses += 1,
            Read::Hit(_) => stats.hits += 1,
            Read::Declined => {}
        }
        Ok(read)
    }

    fn put_at(&self, key: &[u8], value: &[u8], ttl: Option<Duration>, mut now: Now) -> Result<(), CacheError> {
        let ttl = Millis::try_from(ttl.unwrap_or(self.default_ttl).as_millis()).unwrap_or(Millis::MAX);
        let segment = self.segment(key);
        let mut entry = Some(Entry { value: Arc::from(value), expires_at: now.precise().saturating_add(ttl) });
        loop {
            let mut guard = segment.lock();
            let (map, stats) = guard.entries()?;
            // An existing key is replaced in place and becomes the most recently used; the size is
            // unchanged. (`get_mut` is the lookup that also marks it used.)
            if let Some(existing) = map.get_mut(key) {
                *existing = entry.take().expect("entry is placed once");
                return Ok(());
            }
            // A new key takes a free slot, or the slot of this segment's least recently used entry.
            if self.admit() {
                map.put(key.into(), entry.take().expect("entry is placed once"));
                return Ok(());
            }
            if map.pop_lru().is_some() {
                stats.evictions += 1;
                map.put(key.into(), entry.take().expect("entry is placed once"));
                return Ok(());
            }
            // Full, and this segment is empty: the entries are in other segments. Evict there
            // (without holding this lock, so two threads doing this cannot deadlock), then retry.
            drop(guard);
            self.evict_elsewhere()?;
        }
    }

    /// Takes one slot below capacity; false when the cache is full.
    fn admit(&self) -> bool {
        let capacity = self.capacity;
        self.len.fetch_update(Ordering::Relaxed, Ordering::Relaxed, |n| (n < capacity).then_some(n + 1)).is_ok()
    }

    /// Evicts the least recently used entry of the first non-empty segment.
    fn evict_elsewhere(&self) -> Result<(), CacheError> {
        for segment in self.segments.iter() {
            let mut segment = segment.lock();
            let (map, stats) = segment.entries()?;
            if map.pop_lru().is_some() {
                stats.evictions += 1;
                self.len.fetch_sub(1, Ordering::Relaxed);
                return Ok(());
            }
        }
        Ok(()) // every segment was emptied meanwhile: there is room now
    }

    fn cleanup_expired_at(&self, mut now: Now) -> Result<u64, CacheError> {
        let mut removed = 0;
        for segment in self.segments.iter() {
            let mut segment = segment.lock();
            let (map, stats) = segment.entries()?;
            // Per-entry TTLs mean expiry order is not recency order, so this is a full scan.
            let expired: Vec<Key> =
                map.iter().filter(|(_, entry)| entry.is_expired(&mut now)).map(|(key, _)| key.clone()).collect();
            for key in &expired {
                map.pop(&**key);
            }
            self.len.fetch_sub(expired.len(), Ordering::Relaxed);
            stats.expirations += expired.len() as u64;
            removed += expired.len() as u64;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        c.put_at(b"default", b"1", None, Now::at(t0)).unwrap();
        c.put_at(b"long", b"2", Some(HOUR), Now::at(t0)).unwrap();
        c.put_at(b"short", b"3", Some(Duration::from_millis(10)), Now::at(t0)).unwrap();

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
            c.put_at(&[i], &[i], Some(Duration::from_millis(10)), Now::at(t0)).unwrap();
        }
        c.put_at(b"keep", b"v", None, Now::at(t0)).unwrap();
        assert_eq!(c.cleanup_expired_at(Now::at(t0 + 5)).unwrap(), 0);
        assert_eq!(c.cleanup_expired_at(Now::at(t0 + 20)).unwrap(), 5);
        assert_eq!(c.size().unwrap(), 1);
        assert_eq!(c.stats().unwrap().expirations, 5);
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
    fn small_caches_are_one_segment_and_large_ones_are_split() {
        assert_eq!(cache(SEGMENTED_FROM - 1).segments.len(), 1);
        assert_eq!(cache(SEGMENTED_FROM).segments.len(), SEGMENTS);
    }

    fn segment_index(c: &Cache, key: &[u8]) -> usize {
        let segment = c.segment(key) as *const Mutex<Segment>;
        c.segments.iter().position(|s| std::ptr::eq(s, segment)).unwrap()
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
}
