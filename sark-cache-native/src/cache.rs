//! The cache itself, free of JNI so that `cargo test` can exercise it directly.
//!
//! Why `lru::LruCache` behind one `parking_lot::Mutex`: the contract is *strict* LRU (with one
//! thread the least recently used entry is the one evicted, and a get counts as a use). Concurrent
//! caches such as moka or quick_cache only approximate recency (TinyLFU / CLOCK), so they would
//! evict the wrong entry in a single-threaded test. A get reorders the list, so even reads need
//! exclusive access; one short critical section per call is the honest price of exact order.
//! parking_lot's Mutex does not poison, so a panic caught by the JNI guard cannot wedge the cache.
//!
//! Expiry is lazy: an entry whose deadline has passed is dropped when a get finds it, or by
//! [`Cache::cleanup_expired`]. Until then it still counts in [`Cache::size`].

use std::num::NonZeroUsize;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lru::LruCache;
use parking_lot::Mutex;

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

struct Entry {
    /// Shared so a get can hand the bytes out and release the lock before copying them to Java.
    value: Arc<[u8]>,
    /// `None` when the deadline is too far away to represent (it then never expires).
    expires_at: Option<Instant>,
}

impl Entry {
    fn is_expired(&self, now: Instant) -> bool {
        self.expires_at.is_some_and(|deadline| now >= deadline)
    }
}

struct State {
    /// `None` once closed: the contents are dropped then and every call reports `Closed`.
    entries: Option<LruCache<Vec<u8>, Entry>>,
    stats: Stats,
}

pub struct Cache {
    capacity: NonZeroUsize,
    default_ttl: Duration,
    state: Mutex<State>,
}

impl Cache {
    pub fn new(capacity: NonZeroUsize, default_ttl: Duration) -> Self {
        Cache {
            capacity,
            default_ttl,
            // Unbounded, with the bound enforced in `put_at`: LruCache::new(cap) preallocates a
            // table of `cap` slots, and a caller asking for Long.MAX_VALUE entries would abort
            // the process on the allocation instead of getting an exception.
            state: Mutex::new(State { entries: Some(LruCache::unbounded()), stats: Stats::default() }),
        }
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<Arc<[u8]>>, CacheError> {
        self.get_at(key, Instant::now())
    }

    /// `ttl` of `None` uses the default TTL.
    pub fn put(&self, key: Vec<u8>, value: Vec<u8>, ttl: Option<Duration>) -> Result<(), CacheError> {
        self.put_at(key, value, ttl, Instant::now())
    }

    pub fn cleanup_expired(&self) -> Result<u64, CacheError> {
        self.cleanup_expired_at(Instant::now())
    }

    /// Removes `key`; true when an entry (expired or not) was there.
    pub fn remove(&self, key: &[u8]) -> Result<bool, CacheError> {
        let mut state = self.state.lock();
        Ok(entries(&mut state)?.pop(key).is_some())
    }

    pub fn clear(&self) -> Result<(), CacheError> {
        let mut state = self.state.lock();
        entries(&mut state)?.clear();
        Ok(())
    }

    pub fn size(&self) -> Result<u64, CacheError> {
        let mut state = self.state.lock();
        Ok(entries(&mut state)?.len() as u64)
    }

    pub fn stats(&self) -> Result<Stats, CacheError> {
        let mut state = self.state.lock();
        let size = entries(&mut state)?.len() as u64;
        Ok(Stats { size, ..state.stats })
    }

    /// Marks the cache closed and drops its contents. Idempotent. The struct itself stays valid,
    /// so a call racing with close() reports `Closed` instead of touching freed memory.
    pub fn close(&self) {
        let dropped = self.state.lock().entries.take();
        drop(dropped); // outside the lock: freeing many values can take a while
    }

    fn get_at(&self, key: &[u8], now: Instant) -> Result<Option<Arc<[u8]>>, CacheError> {
        let mut state = self.state.lock();
        let map = entries(&mut state)?;
        let outcome = match map.peek(key) {
            None => Lookup::Miss,
            Some(entry) if entry.is_expired(now) => Lookup::Expired,
            Some(_) => Lookup::Hit(map.get(key).map(|e| Arc::clone(&e.value))), // get marks it used
        };
        Ok(match outcome {
            Lookup::Hit(value) => {
                state.stats.hits += 1;
                value
            }
            Lookup::Expired => {
                map.pop(key);
                state.stats.expirations += 1;
                state.stats.misses += 1;
                None
            }
            Lookup::Miss => {
                state.stats.misses += 1;
                None
            }
        })
    }

    fn put_at(&self, key: Vec<u8>, value: Vec<u8>, ttl: Option<Duration>, now: Instant) -> Result<(), CacheError> {
        let entry = Entry {
            value: value.into(),
            expires_at: now.checked_add(ttl.unwrap_or(self.default_ttl)),
        };
        let mut state = self.state.lock();
        let map = entries(&mut state)?;
        // A new key at the bound pushes out the least recently used entry first; an existing
        // key is replaced in place (and becomes the most recently used), so the size is unchanged.
        let mut evicted = 0;
        if !map.contains(key.as_slice()) {
            while map.len() >= self.capacity.get() && map.pop_lru().is_some() {
                evicted += 1;
            }
        }
        map.put(key, entry);
        state.stats.evictions += evicted;
        Ok(())
    }

    fn cleanup_expired_at(&self, now: Instant) -> Result<u64, CacheError> {
        let mut state = self.state.lock();
        let map = entries(&mut state)?;
        // Per-entry TTLs mean expiry order is not recency order, so this is a full scan.
        let expired: Vec<Vec<u8>> =
            map.iter().filter(|(_, entry)| entry.is_expired(now)).map(|(key, _)| key.clone()).collect();
        for key in &expired {
            map.pop(key.as_slice());
        }
        let removed = expired.len() as u64;
        state.stats.expirations += removed;
        Ok(removed)
    }
}

enum Lookup {
    Miss,
    Expired,
    Hit(Option<Arc<[u8]>>),
}

fn entries(state: &mut State) -> Result<&mut LruCache<Vec<u8>, Entry>, CacheError> {
    state.entries.as_mut().ok_or(CacheError::Closed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOUR: Duration = Duration::from_secs(3600);

    fn cache(capacity: usize) -> Cache {
        Cache::new(NonZeroUsize::new(capacity).unwrap(), HOUR)
    }

    fn put(c: &Cache, key: &str, value: &str) {
        c.put(key.into(), value.into(), None).unwrap();
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
        let t0 = Instant::now();
        c.put_at(b"default".to_vec(), b"1".to_vec(), None, t0).unwrap();
        c.put_at(b"long".to_vec(), b"2".to_vec(), Some(HOUR), t0).unwrap();
        c.put_at(b"short".to_vec(), b"3".to_vec(), Some(Duration::from_millis(10)), t0).unwrap();

        let t1 = t0 + Duration::from_millis(50);
        assert!(c.get_at(b"short", t1).unwrap().is_none());
        assert!(c.get_at(b"default", t1).unwrap().is_some());

        let t2 = t0 + Duration::from_millis(100); // the deadline itself counts as expired
        assert!(c.get_at(b"default", t2).unwrap().is_none());
        assert!(c.get_at(b"long", t2).unwrap().is_some());

        let s = c.stats().unwrap();
        assert_eq!((s.hits, s.misses, s.expirations, s.size), (2, 2, 2, 1));
    }

    #[test]
    fn huge_ttl_never_expires_instead_of_overflowing() {
        let c = cache(10);
        c.put(b"k".to_vec(), b"v".to_vec(), Some(Duration::MAX)).unwrap();
        assert!(c.get_at(b"k", Instant::now() + HOUR * 24 * 365 * 100).unwrap().is_some());
    }

    #[test]
    fn cleanup_expired_removes_only_expired_entries() {
        let c = cache(10);
        let t0 = Instant::now();
        for i in 0..5u8 {
            c.put_at(vec![i], vec![i], Some(Duration::from_millis(10)), t0).unwrap();
        }
        c.put_at(b"keep".to_vec(), b"v".to_vec(), None, t0).unwrap();
        assert_eq!(c.cleanup_expired_at(t0 + Duration::from_millis(5)).unwrap(), 0);
        assert_eq!(c.cleanup_expired_at(t0 + Duration::from_millis(20)).unwrap(), 5);
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
        assert_eq!(c.put(b"a".to_vec(), b"1".to_vec(), None), Err(CacheError::Closed));
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
                            c.put(key.clone().into_bytes(), format!("v{key}").into_bytes(), None).unwrap();
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
}
