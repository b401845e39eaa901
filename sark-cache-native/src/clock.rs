//! Milliseconds for TTLs, read cheaply.
//!
//! A precise monotonic reading (`clock_gettime(CLOCK_MONOTONIC)`, ~25 ns through the vDSO) was a
//! tenth of a whole cache hit. Linux's `CLOCK_MONOTONIC_COARSE` (FreeBSD's `CLOCK_MONOTONIC_FAST`)
//! costs a few ns but lags the precise clock by up to one tick (1-10 ms). [`Now`] uses the coarse
//! reading whenever it settles the question and the precise one only for a deadline within one tick
//! of it, so expiry stays exact to the millisecond. Elsewhere both readings are `Instant`.

/// Milliseconds on a monotonic clock with an arbitrary origin.
pub type Millis = u64;

/// "Now" for expiry checks. Read once per operation; the precise clock is consulted at most once.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    coarse: Millis,
    /// How far the coarse reading may lag the precise one, in ms.
    lag: Millis,
    precise: Option<Millis>,
}

impl Now {
    pub fn read() -> Now {
        Now { coarse: imp::coarse(), lag: imp::coarse_lag(), precise: None }
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
    use std::sync::OnceLock;

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

    /// The coarse clock's resolution rounded up to whole ms, plus one for the truncation of both
    /// readings to ms.
    pub fn coarse_lag() -> Millis {
        static LAG: OnceLock<Millis> = OnceLock::new();
        *LAG.get_or_init(|| {
            let mut res = libc::timespec { tv_sec: 0, tv_nsec: 0 };
            if unsafe { libc::clock_getres(COARSE, &mut res) } != 0 {
                return 1000; // unknown: fall back to the precise clock for anything within a second
            }
            let nanos = res.tv_sec as Millis * 1_000_000_000 + res.tv_nsec as Millis;
            nanos.div_ceil(1_000_000) + 1
        })
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

    pub fn coarse_lag() -> Millis {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coarse_never_runs_ahead_of_precise_nor_lags_more_than_the_lag() {
        // Bracketed by two precise readings, so a preemption between the reads cannot fail it.
        for _ in 0..10_000 {
            let before = imp::precise();
            let coarse = imp::coarse();
            let after = imp::precise();
            assert!(coarse <= after, "coarse {coarse} ahead of precise {after}");
            let lag = before.saturating_sub(coarse);
            assert!(lag <= imp::coarse_lag(), "coarse lagged {lag} ms, more than {}", imp::coarse_lag());
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
