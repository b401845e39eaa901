//! Milliseconds for TTLs, read cheaply.
//!
//! A precise monotonic reading (`clock_gettime(CLOCK_MONOTONIC)`, ~25 ns through the vDSO) was a
//! tenth of a whole cache hit. Linux's `CLOCK_MONOTONIC_COARSE` (FreeBSD's `CLOCK_MONOTONIC_FAST`)
//! costs a few ns. It shares the precise clock's origin and never runs ahead of it, but lags it: by
//! up to a tick in theory, by 3-7 ms measured on a 4 ms-tick VM (more than `clock_getres` admits).
//! [`Now`] therefore trusts the coarse reading only with a wide margin: a deadline already passed on
//! the coarse clock has passed; one more than [`COARSE_MARGIN`] ahead of it has not; anything in
//! between (an entry within a second of expiring) is decided by the precise clock. Expiry stays
//! exact to the millisecond. Elsewhere both readings are `Instant`.
//!
//! A cache reads "now" from its [`TimeSource`]: the system clock, or, for tests of expiry, a manual clock
//! that stands still until advanced.

use std::sync::atomic::{AtomicU64, Ordering};

/// Milliseconds on a monotonic clock with an arbitrary origin.
pub type Millis = u64;

/// The furthest a manual clock goes: 1 ms short of 2^63 - 1 ms (some 292 million years), the deadline of
/// entries that never expire, which the system clock never reaches either.
pub const MANUAL_LIMIT: Millis = (1 << 63) - 2;

/// Where a cache reads "now". Like Caffeine's `Ticker`, but a manual clock's time is kept here, so a get
/// never calls back into Java to learn it: a read costs one match, and on a manual clock one atomic load
/// instead of the clock reading.
#[derive(Debug)]
pub enum TimeSource {
    /// [`Now::read`]: what every cache uses outside tests.
    System,
    /// Milliseconds that move only when [`TimeSource::advance`] is called, from 0 (tests of expiry
    /// without sleeping). Read exactly, with [`Now::at`].
    Manual(AtomicU64),
}

impl TimeSource {
    /// A manual clock at 0.
    pub fn manual() -> TimeSource {
        TimeSource::Manual(AtomicU64::new(0))
    }

    /// "Now" for one operation.
    pub fn now(&self) -> Now {
        match self {
            TimeSource::System => Now::read(),
            // Relaxed: the one variable is read coherently; a test advancing on one thread and reading on
            // another orders the two with its own synchronisation (a join, a latch) anyway.
            TimeSource::Manual(millis) => Now::at(millis.load(Ordering::Relaxed)),
        }
    }

    /// Moves a manual clock forward by `by` ms, stopping at [`MANUAL_LIMIT`]; false, and nothing moves,
    /// for the system clock.
    pub fn advance(&self, by: Millis) -> bool {
        let TimeSource::Manual(millis) = self else {
            return false;
        };
        let step = |now: Millis| Some(now.saturating_add(by).min(MANUAL_LIMIT));
        let _ = millis.fetch_update(Ordering::Relaxed, Ordering::Relaxed, step); // never Err: `step` never refuses
        true
    }
}

/// "Now" for expiry checks. Read once per operation; the precise clock is consulted at most once.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    coarse: Millis,
    /// How far the coarse reading is trusted to lag the precise one at most, in ms.
    lag: Millis,
    precise: Option<Millis>,
}

impl Now {
    pub fn read() -> Now {
        Now { coarse: imp::coarse(), lag: imp::COARSE_MARGIN, precise: None }
    }

    /// A fixed instant (tests, and callers that already read the precise clock).
    pub fn at(millis: Millis) -> Now {
        Now { coarse: millis, lag: 0, precise: Some(millis) }
    }

    /// The precise time, for computing deadlines.
    pub fn precise(&mut self) -> Millis {
        *self.precise.get_or_insert_with(imp::precise)
    }

    /// True once `deadline` has been reached (the deadline itself counts as passed).
    pub fn has_reached(&mut self, deadline: Millis) -> bool {
        if self.coarse >= deadline {
            true // precise >= coarse
        } else if self.coarse.saturating_add(self.lag) < deadline {
            false // precise <= coarse + lag
        } else {
            self.precise() >= deadline
        }
    }
}

#[cfg(any(target_os = "linux", target_os = "android", target_os = "freebsd"))]
mod imp {
    use super::Millis;

    /// Far beyond any lag of a working kernel's coarse clock (a tick, plus scheduling delay).
    pub const COARSE_MARGIN: Millis = 1000;

    #[cfg(any(target_os = "linux", target_os = "android"))]
    const COARSE: libc::clockid_t = libc::CLOCK_MONOTONIC_COARSE;
    #[cfg(target_os = "freebsd")]
    const COARSE: libc::clockid_t = libc::CLOCK_MONOTONIC_FAST;

    fn read(clock: libc::clockid_t) -> Millis {
        let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
        // Cannot fail for these clock ids; a zero reading would only make entries look fresh.
        unsafe { libc::clock_gettime(clock, &mut ts) };
        ts.tv_sec as Millis * 1000 + ts.tv_nsec as Millis / 1_000_000
    }

    pub fn precise() -> Millis {
        read(libc::CLOCK_MONOTONIC)
    }

    pub fn coarse() -> Millis {
        read(COARSE)
    }
}

#[cfg(not(any(target_os = "linux", target_os = "android", target_os = "freebsd")))]
mod imp {
    use super::Millis;
    use std::sync::OnceLock;
    use std::time::Instant;

    pub fn precise() -> Millis {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        ORIGIN.get_or_init(Instant::now).elapsed().as_millis() as Millis
    }

    pub fn coarse() -> Millis {
        precise()
    }

    /// Both readings are the same clock.
    pub const COARSE_MARGIN: Millis = 0;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_never_runs_ahead_of_precise_nor_lags_beyond_the_margin() {
        // Bracketed by two precise readings, so a preemption between the reads cannot fail it.
        for _ in 0..10_000 {
            let before = imp::precise();
            let coarse = imp::coarse();
            let after = imp::precise();
            assert!(coarse <= after, "coarse {coarse} ahead of precise {after}");
            let lag = before.saturating_sub(coarse);
            assert!(lag <= imp::COARSE_MARGIN, "coarse lagged {lag} ms, more than {}", imp::COARSE_MARGIN);
        }
    }

    #[test]
    fn deadlines_are_judged_exactly() {
        let mut now = Now { coarse: 100, lag: 5, precise: Some(103) };
        assert!(now.has_reached(100));
        assert!(now.has_reached(103));
        assert!(!now.has_reached(104), "within the lag the precise reading decides");
        assert!(!now.has_reached(106));
        let mut fixed = Now::at(50);
        assert!(fixed.has_reached(50) && !fixed.has_reached(51));
    }

    #[test]
    fn a_manual_clock_moves_only_when_advanced_and_stops_short_of_never() {
        let clock = TimeSource::manual();
        assert!(clock.now().has_reached(0) && !clock.now().has_reached(1), "starts at 0");
        assert!(clock.advance(49) && clock.advance(0));
        assert_eq!(clock.now().precise(), 49);
        assert!(clock.advance(1));
        let mut now = clock.now();
        assert!(now.has_reached(50) && !now.has_reached(51), "read exactly, no coarse margin");
        assert!(clock.advance(Millis::MAX) && clock.advance(1));
        assert_eq!(clock.now().precise(), MANUAL_LIMIT);
        assert!(!TimeSource::System.advance(1), "the system clock is not moved by hand");
    }
}
