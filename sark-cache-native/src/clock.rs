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

/// Milliseconds on a monotonic clock with an arbitrary origin.
pub type Millis = u64;

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
}
