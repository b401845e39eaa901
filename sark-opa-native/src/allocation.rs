//! A running total of the bytes each thread has allocated and not yet freed, for the per-evaluation
//! memory limit (`PolicyEngine.builder().memoryLimit`).
//!
//! regorus checks memory only through its `allocator-memory-limits` feature, which brings its own C
//! allocator (mimalloc) and counts per process. Instead this library's global allocator is the system
//! allocator with a thread-local count beside it: each allocation of [`COUNTED_FROM`] bytes or more adds
//! its size, its free subtracts it. Smaller ones are not counted: they are most of a decision's
//! allocations (single values, short strings), and reaching the thread-local count costs a few percent of
//! a decision when every one of them does. Every value that grows holds its parts in buffers and tree
//! nodes of that size or more (an array's buffer, a set's or an object's B-tree nodes), so growth is
//! seen; what is missed is the small parts those containers point to, which makes the total an
//! undercount by a small factor for values made of many short strings.
//! An evaluation notes the count when it starts ([`Baseline`]); its growth since then is what the
//! evaluation holds, checked by regorus' timer every few dozen steps (execution_clock). Memory freed on
//! another thread than the one that allocated it moves the counts of both, so the total is an estimate
//! that errs towards the lenient side, never one that can fail a decision that allocates little.
//! Only this library's Rust code allocates through it: the JVM keeps its own allocator.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

pub struct Counting;

/// The smallest allocation counted: a B-tree node of regorus' sets and objects is larger.
pub const COUNTED_FROM: usize = 128;

/// The part of an allocation of `size` bytes that is counted.
fn counted(size: usize) -> isize {
    if size >= COUNTED_FROM {
        size as isize
    } else {
        0
    }
}

thread_local! {
    // No destructor and a const initialiser: readable from inside the allocator, without allocating.
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    if delta == 0 {
        return;
    }
    // try_with: after this thread's locals are gone (thread exit), there is nothing left to count for.
    let _ = LIVE.try_with(|live| live.set(live.get().wrapping_add(delta)));
}

// SAFETY: every call is forwarded to the system allocator unchanged; only the count is added.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc(layout);
        if !pointer.is_null() {
            note(counted(layout.size()));
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let pointer = System.alloc_zeroed(layout);
        if !pointer.is_null() {
            note(counted(layout.size()));
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        System.dealloc(pointer, layout);
        note(-counted(layout.size()));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let moved = System.realloc(pointer, layout, new_size);
        if !moved.is_null() {
            note(counted(new_size) - counted(layout.size()));
        }
        moved
    }
}

/// The calling thread's count when an evaluation started.
#[derive(Clone, Copy, Debug)]
pub struct Baseline(isize);

impl Baseline {
    pub fn now() -> Baseline {
        Baseline(LIVE.with(Cell::get))
    }

    /// Bytes this thread has allocated and kept since the baseline (0 when it freed more).
    pub fn grown(self) -> usize {
        usize::try_from(LIVE.with(Cell::get).wrapping_sub(self.0)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_allocations_are_not_counted_and_reallocations_move_the_count() {
        let baseline = Baseline::now();
        let small: Vec<Box<[u8; 64]>> = (0..1000).map(|_| Box::new([0u8; 64])).collect();
        // The vector's buffer (8,000 bytes) is counted, the thousand 64-byte boxes are not.
        assert!((8_000..9_000).contains(&baseline.grown()), "{}", baseline.grown());
        drop(small);
        let mut growing: Vec<u8> = Vec::with_capacity(100);
        growing.reserve_exact(10_000); // from uncounted to counted
        assert!((10_000..10_100).contains(&baseline.grown()), "{}", baseline.grown());
        growing.shrink_to(100); // and back
        assert_eq!(baseline.grown(), 0);
    }

    #[test]
    fn the_count_follows_allocations_kept_and_freed_on_this_thread() {
        let baseline = Baseline::now();
        let kept: Vec<u8> = Vec::with_capacity(1 << 20);
        assert!(baseline.grown() >= 1 << 20, "{}", baseline.grown());
        drop(kept);
        assert!(baseline.grown() < 1 << 10, "{}", baseline.grown());
        let elsewhere = std::thread::spawn(|| vec![0u8; 1 << 20]).join().unwrap();
        assert!(baseline.grown() < 1 << 10, "another thread's allocation is not this thread's");
        drop(elsewhere); // freed here: the count goes down, never below what Baseline reports as 0
        assert_eq!(baseline.grown(), 0);
    }
}
