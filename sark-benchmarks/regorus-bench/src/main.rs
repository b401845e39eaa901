//! regorus 0.14.1 evaluating the benchmark policies of PolicyBenchmark (same Rego text, data and inputs,
//! same query `data.authz.allow`), timed with a plain clock. Two modes per workload:
//!
//! - `full`: what sark-opa-native does natively per decision, without JNI: parse the input JSON text,
//!   clone the prepared engine, set the input, `eval_rule("data.authz.allow")`. The floor for PolicyEngine.
//! - `eval`: the input parsed once up front and one engine per thread reused (no clone): regorus' bare
//!   evaluation.
//!
//! Each line of output is `regorus key=value ...`, read by scripts/bench_report.py. ns_op is the mean time per
//! decision per thread (as JMH's AverageTime with -t N), p99_ns the 99th percentile of single decisions.

use regorus::{Engine, Value};
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

const QUERY: &str = "data.authz.allow";

fn engine(dir: &str, policy: &str) -> Engine {
    let rego = std::fs::read_to_string(format!("{dir}/{policy}.rego")).expect("policy file");
    let data = std::fs::read_to_string(format!("{dir}/{policy}.data.json")).expect("data file");
    let mut engine = Engine::new();
    engine.set_rego_v0(false);
    engine.set_gather_prints(true);
    engine.add_policy(format!("{policy}.rego"), rego).expect("policy compiles");
    engine.add_data(Value::from_json_str(&data).expect("data JSON")).expect("data");
    engine.eval_query("true".to_string(), false).expect("prepare");
    engine
}

fn decide_full(base: &Engine, input: &str) -> bool {
    let value = Value::from_json_str(input).expect("input JSON");
    let mut engine = base.clone();
    engine.set_input(value);
    engine.eval_rule(QUERY.to_string()).expect("eval") == Value::Bool(true)
}

fn decide_eval(engine: &mut Engine, input: &Value) -> bool {
    engine.set_input(input.clone());
    engine.eval_rule(QUERY.to_string()).expect("eval") == Value::Bool(true)
}

/// One thread's run: warm up, then time single decisions for `measure`. Returns (ops, total ns, samples).
fn run(base: &Engine, input: &str, full: bool, warmup: Duration, measure: Duration) -> (u64, u128, Vec<u64>) {
    let parsed = Value::from_json_str(input).expect("input JSON");
    let mut own = base.clone();
    let mut once = |full: bool| -> bool {
        if full {
            decide_full(base, input)
        } else {
            decide_eval(&mut own, &parsed)
        }
    };
    let start = Instant::now();
    while start.elapsed() < warmup {
        assert!(once(full), "the benchmark's decision must be allow");
    }
    let mut samples = Vec::with_capacity(1 << 20);
    let start = Instant::now();
    let mut ops = 0u64;
    loop {
        let t = Instant::now();
        let ok = once(full);
        samples.push(t.elapsed().as_nanos() as u64);
        assert!(ok);
        ops += 1;
        if ops % 64 == 0 && start.elapsed() >= measure {
            break;
        }
    }
    (ops, start.elapsed().as_nanos(), samples)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let dir = args.get(1).cloned().unwrap_or_else(|| "src/main/resources/dev/sark/bench/policy".to_string());
    let warmup = Duration::from_secs_f64(args.get(2).map_or(2.0, |s| s.parse().expect("warmup seconds")));
    let measure = Duration::from_secs_f64(args.get(3).map_or(3.0, |s| s.parse().expect("measure seconds")));
    let threads: Vec<usize> = args.get(4).map_or(vec![1, 2], |s| s.split(',').map(|t| t.parse().unwrap()).collect());
    for policy in ["rbac", "abac"] {
        let base = Arc::new(engine(&dir, policy));
        for size in [100, 1024, 10240] {
            let input = Arc::new(std::fs::read_to_string(format!("{dir}/{policy}-input-{size}.json")).expect("input"));
            for &n in &threads {
                for mode in ["full", "eval"] {
                    let barrier = Arc::new(Barrier::new(n));
                    let handles: Vec<_> = (0..n)
                        .map(|_| {
                            let (base, input, barrier) = (base.clone(), input.clone(), barrier.clone());
                            std::thread::spawn(move || {
                                barrier.wait();
                                run(&base, &input, mode == "full", warmup, measure)
                            })
                        })
                        .collect();
                    let results: Vec<_> = handles.into_iter().map(|h| h.join().expect("thread")).collect();
                    // Per-thread mean time per op, averaged over threads (JMH's avgt with -t N).
                    let ns_op = results.iter().map(|(ops, ns, _)| *ns as f64 / *ops as f64).sum::<f64>() / n as f64;
                    let ops: u64 = results.iter().map(|r| r.0).sum();
                    let mut all: Vec<u64> = results.into_iter().flat_map(|r| r.2).collect();
                    all.sort_unstable();
                    let pct = |p: f64| all[((all.len() as f64 * p) as usize).min(all.len() - 1)];
                    println!(
                        "regorus policy={policy} size={size} threads={n} mode={mode} input_bytes={} ns_op={ns_op:.1} p50_ns={} p99_ns={} ops={ops}",
                        input.len(),
                        pct(0.50),
                        pct(0.99)
                    );
                }
            }
        }
    }
}
