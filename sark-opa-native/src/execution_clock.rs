//! The clock of regorus' execution timer, which enforces `PolicyEngine.builder().timeout` and lets
//! `Thread.interrupt()` stop an evaluation.
//!
//! regorus is built without its `std` feature (Cargo.toml says why), and then its timer has no clock of
//! its own: it reads the one registered with `set_time_source`, once per process. Without one, no
//! evaluation would ever time out.
//!
//! regorus has no cancellation hook, but its timer asks this clock for the time every few dozen steps of
//! an evaluation, on the evaluating thread. An evaluation run through [`interruptible`] is watched
//! there: at most every [`POLL_EVERY`] the clock asks the watch whether the caller wants it stopped,
//! and once the answer is yes the clock jumps [`JUMP`] ahead, past any time limit, so the timer ends the
//! evaluation with its usual error at its next check. [`interruptible`] then reports it as interrupted.
//! An evaluation that holds more than its memory limit (builtins::limits) is ended the same way.

use std::cell::{Cell, RefCell};
use std::sync::{Once, OnceLock};
use std::time::{Duration, Instant};

use regorus::utils::limits::{set_time_source, TimeSource};

/// How often a watched evaluation asks whether it should stop: the latency of an interrupt, and a
/// bound on what the asking costs (a call into Java each time).
pub const POLL_EVERY: Duration = Duration::from_millis(1);

/// How far an interrupted evaluation's clock jumps: beyond any limit Java can express (2^63 ms).
const JUMP: Duration = Duration::from_secs(1 << 62);

/// A time limit for engines built without one, so that their evaluations are still watched.
pub const NO_LIMIT: Duration = Duration::from_secs(1 << 40);

/// Whether the evaluation on this thread should stop, asked at most every [`POLL_EVERY`].
struct Watch {
    stop_requested: Box<dyn FnMut() -> bool>,
    next_poll: Instant,
    stopped: bool,
}

thread_local! {
    static WATCH: RefCell<Option<Watch>> = const { RefCell::new(None) };
}

/// Time since the first reading, on the monotonic clock (only differences matter to the timer), plus
/// [`JUMP`] once the watched evaluation on this thread is to stop.
struct Monotonic;

impl TimeSource for Monotonic {
    fn now(&self) -> Option<Duration> {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        let origin = *ORIGIN.get_or_init(Instant::now);
        let now = Instant::now();
        let stopped = poll_watch(now);
        // The evaluation's memory is checked here too: the timer's checks are the only regular points
        // of an evaluation that reach SARK's code.
        let stopped = stopped || crate::builtins::limits::check_memory();
        let elapsed = now.duration_since(origin);
        Some(if stopped { elapsed + JUMP } else { elapsed })
    }
}

static MONOTONIC: Monotonic = Monotonic;

/// Whether the watched evaluation on this thread is to stop, asking the watch at most every [`POLL_EVERY`]
/// (each question is a call into Java); false when unwatched.
fn poll_watch(now: Instant) -> bool {
    WATCH.with(|watch| match watch.try_borrow_mut().as_deref_mut() {
        Ok(Some(watch)) => {
            if !watch.stopped && now >= watch.next_poll {
                watch.stopped = (watch.stop_requested)();
                watch.next_poll = now + POLL_EVERY;
            }
            watch.stopped
        }
        _ => false,
    })
}

thread_local! {
    /// When the evaluation on this thread must end (its engine's timeout from its start); None outside
    /// evaluations and for engines without a timeout.
    static DEADLINE: Cell<Option<Instant>> = const { Cell::new(None) };
    /// Whether a builtin of the evaluation on this thread gave up at the deadline ([`ran_out`]).
    static RAN_OUT: Cell<bool> = const { Cell::new(false) };
}

/// Runs `evaluate` with a deadline `timeout` from now for [`past_deadline`] (the one regorus' timer
/// enforces between steps, which the builtins that can run long inside one step look at themselves).
pub fn with_deadline<R>(timeout: Option<Duration>, evaluate: impl FnOnce() -> R) -> R {
    struct Restore(Option<Instant>, bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            DEADLINE.with(|d| d.set(self.0));
            RAN_OUT.with(|r| r.set(self.1));
        }
    }
    let deadline = timeout.and_then(|t| Instant::now().checked_add(t));
    let _restore = Restore(DEADLINE.with(|d| d.replace(deadline)), RAN_OUT.with(|r| r.replace(false)));
    evaluate()
}

/// The error of a builtin that stops at [`past_deadline`]; from then on [`ran_out`] is true for the rest of
/// the evaluation, so the call is an error even where builtin errors make a call undefined (an undefined
/// result would be a silently wrong answer), and the evaluation's error is a timeout.
pub fn give_up(what: &str) -> anyhow::Error {
    RAN_OUT.with(|r| r.set(true));
    anyhow::anyhow!("{what} ran past the evaluation's deadline")
}

/// Whether a builtin of the evaluation on this thread gave up at its deadline ([`give_up`]).
pub fn ran_out() -> bool {
    RAN_OUT.with(Cell::get)
}

/// Whether the evaluation on this thread has run past its deadline or been asked to stop: for builtins
/// whose one call can outlast any timeout (sorting or merging values that share big parts), so they end
/// early. regorus' timer then ends the evaluation at its next check, with its usual error.
pub fn past_deadline() -> bool {
    let now = Instant::now();
    DEADLINE.with(|d| d.get()).is_some_and(|deadline| now >= deadline) || poll_watch(now)
}

/// Gives regorus' execution timer its clock; call before any evaluation with a time limit.
pub fn install() {
    static INSTALLED: Once = Once::new();
    INSTALLED.call_once(|| {
        // The only other possible outcome is AlreadySet, and this is the only caller in the library.
        let _ = set_time_source(&MONOTONIC);
    });
}

/// Runs `evaluate` on this thread, watched by `stop_requested`; also returns whether the watch asked to
/// stop (the evaluation then ended with the timer's time-limit error, or finished before the timer's
/// next check). The first question is asked at the timer's first check after [`POLL_EVERY`].
pub fn interruptible<R>(stop_requested: impl FnMut() -> bool + 'static, evaluate: impl FnOnce() -> R) -> (R, bool) {
    /// Puts back the watch that was there before (none, unless evaluations nest), on unwinding too.
    struct Restore(Option<Option<Watch>>);
    impl Drop for Restore {
        fn drop(&mut self) {
            if let Some(previous) = self.0.take() {
                WATCH.with(|watch| *watch.borrow_mut() = previous);
            }
        }
    }
    // The first question after a millisecond: most decisions take microseconds and never ask at all.
    let watch = Watch { stop_requested: Box::new(stop_requested), next_poll: Instant::now() + POLL_EVERY, stopped: false };
    let mut restore = Restore(Some(WATCH.with(|w| w.borrow_mut().replace(watch))));
    let result = evaluate();
    let previous = restore.0.take().expect("taken only here");
    let ours = WATCH.with(|w| std::mem::replace(&mut *w.borrow_mut(), previous));
    (result, ours.is_some_and(|watch| watch.stopped))
}

/// Asks the watch of this thread's evaluation, now, whether it should stop (false when unwatched).
/// For a thread that waits for an evaluation running elsewhere.
pub fn stop_requested_here() -> bool {
    WATCH.with(|watch| match watch.try_borrow_mut().as_deref_mut() {
        Ok(Some(watch)) => {
            watch.stopped = watch.stopped || (watch.stop_requested)();
            watch.stopped
        }
        _ => false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regorus::utils::limits::monotonic_now;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;

    #[test]
    fn the_timer_reads_a_clock_that_moves() {
        install();
        let before = monotonic_now().expect("a clock is installed");
        std::thread::sleep(Duration::from_millis(5));
        let after = monotonic_now().expect("a clock is installed");
        assert!(after >= before + Duration::from_millis(5), "{before:?} then {after:?}");
        assert!(after < before + Duration::from_secs(60), "unwatched: no jump");
    }

    #[test]
    fn a_stop_request_makes_the_clock_jump_on_this_thread_only() {
        install();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let (jumped, stopped) = interruptible(move || flag.load(Ordering::Relaxed), || {
            let before = monotonic_now().expect("a clock");
            stop.store(true, Ordering::Relaxed);
            std::thread::sleep(POLL_EVERY * 2);
            let after = monotonic_now().expect("a clock");
            let elsewhere = std::thread::spawn(|| monotonic_now().expect("a clock")).join().unwrap();
            (after >= before + JUMP, elsewhere < before + Duration::from_secs(60))
        });
        assert_eq!(jumped, (true, true));
        assert!(stopped);
        let (_, stopped) = interruptible(|| false, || monotonic_now());
        assert!(!stopped, "a new watch starts unstopped");
    }
}
