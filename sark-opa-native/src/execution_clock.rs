//! The clock of regorus' execution timer, which enforces `PolicyEngine.builder().timeout`.
//!
//! regorus is built without its `std` feature (Cargo.toml says why), and then its timer has no clock of
//! its own: it reads the one registered with `set_time_source`, once per process. Without one, no
//! evaluation would ever time out.

use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use regorus::utils::limits::{set_time_source, TimeSource};

/// Time since the first reading, on the monotonic clock: only differences matter to the timer.
struct Monotonic;

impl TimeSource for Monotonic {
    fn now(&self) -> Option<Duration> {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        Some(ORIGIN.get_or_init(Instant::now).elapsed())
    }
}

static MONOTONIC: Monotonic = Monotonic;

/// Gives regorus' execution timer its clock; call before any evaluation with a time limit.
pub fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        // The only other possible outcome is AlreadySet, and this is the only caller in the library.
        let _ = set_time_source(&MONOTONIC);
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use regorus::utils::limits::monotonic_now;

    #[test]
    fn the_timer_reads_a_clock_that_moves() {
        install();
        let before = monotonic_now().expect("a clock is installed");
        std::thread::sleep(Duration::from_millis(5));
        let after = monotonic_now().expect("a clock is installed");
        assert!(after >= before + Duration::from_millis(5), "{before:?} then {after:?}");
    }
}
