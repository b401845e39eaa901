//! `graph.reachable_paths`, replacing regorus' own, which follows the graph by recursion: a chain of
//! 200,000 vertices from the input overflowed the thread's stack and killed the JVM (SIGSEGV), and a
//! graph with many paths (a ladder of 36 vertices has 24 million) exhausted memory and aborted it.
//! Here the walk keeps its own stack, and each new path is claimed against the memory limit.

use std::collections::BTreeSet;
use std::mem::size_of;

use anyhow::{bail, Result};
use regorus::Value;

use super::args::object;
use super::limits::claim;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("graph.reachable_paths", 2, reachable_paths)];

/// What one more path costs besides its vertices: its array and its place in the set.
const PATH_BYTES: u128 = 64;

/// `graph.reachable_paths(graph, initial)`: every path from an initial vertex that does not visit a
/// vertex twice, followed until a vertex has no neighbours, is not in the graph (or is `""`), or
/// closes a cycle, as regorus' own (and OPA) give them.
fn reachable_paths(args: &[Value]) -> Result<Value> {
    let graph = object(args, 0)?;
    let initial: Vec<&Value> = match args.get(1) {
        Some(Value::Array(vertices)) => vertices.iter().collect(),
        Some(Value::Set(vertices)) => vertices.iter().collect(),
        _ => bail!("initial vertices must be array/set"),
    };
    enum Step<'g> {
        Enter(&'g Value),
        Leave,
    }
    let mut paths: BTreeSet<Value> = BTreeSet::new();
    let mut bytes: u128 = 0;
    let mut add = |path: &[Value], paths: &mut BTreeSet<Value>| -> Result<()> {
        let cost = path.len() as u128 * size_of::<Value>() as u128 + PATH_BYTES;
        claim(bytes + cost, || format!("more than {} paths", paths.len()))?;
        if paths.insert(Value::from(path.to_vec())) {
            bytes += cost;
        }
        Ok(())
    };
    let mut path: Vec<Value> = Vec::new();
    let mut on_path: BTreeSet<&Value> = BTreeSet::new();
    for start in initial {
        let mut todo = vec![Step::Enter(start)];
        while let Some(step) = todo.pop() {
            let vertex = match step {
                Step::Leave => {
                    let left = path.pop().expect("a Leave follows its Enter");
                    on_path.remove(&left);
                    continue;
                }
                Step::Enter(vertex) => vertex,
            };
            let neighbours = match vertex {
                Value::String(s) if s.is_empty() => None,
                _ => graph.get(vertex),
            };
            let Some(neighbours) = neighbours else {
                if !path.is_empty() {
                    add(&path, &mut paths)?;
                }
                continue;
            };
            if on_path.contains(vertex) {
                add(&path, &mut paths)?;
                continue;
            }
            let next: Vec<&Value> = match neighbours {
                Value::Array(items) => items.iter().collect(),
                Value::Set(items) => items.iter().collect(),
                Value::Null => Vec::new(),
                _ => bail!("neighbors for node `{}` must be array/set.", crate::json::to_string(vertex).unwrap_or_default()),
            };
            path.push(vertex.clone());
            on_path.insert(vertex);
            if next.is_empty() {
                add(&path, &mut paths)?;
            }
            todo.push(Step::Leave);
            todo.extend(next.into_iter().map(Step::Enter));
        }
    }
    Ok(Value::from(paths))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtins::own::regorus_own;

    fn json(text: &str) -> Value {
        Value::from_json_str(text).unwrap()
    }

    #[test]
    fn the_paths_are_regorus_own() {
        for (graph, initial) in [
            (r#"{"a": ["b", "c"], "b": ["c"], "c": []}"#, r#"["a"]"#),
            (r#"{"a": ["b"], "b": ["a"]}"#, r#"["a", "b"]"#),
            (r#"{"a": ["b", "x", ""], "b": null}"#, r#"["a"]"#),
            (r#"{"a": ["b"], "b": ["c"], "c": ["a", "d"], "d": ["b"]}"#, r#"["a", "d"]"#),
            (r#"{"a": []}"#, r#"["z", "a"]"#),
            (r#"{"1": [2], "2": [1]}"#, r#"["1"]"#),
        ] {
            let args = [json(graph), json(initial)];
            let ours = reachable_paths(&args).unwrap();
            assert_eq!(ours, regorus_own("graph.reachable_paths", &["graph", "initial"], &args).unwrap(), "{graph} from {initial}");
        }
        let wrong = reachable_paths(&[json(r#"{"a": 1}"#), json(r#"["a"]"#)]).unwrap_err().to_string();
        assert_eq!(wrong, "neighbors for node `\"a\"` must be array/set.");
        assert!(reachable_paths(&[json(r#"{"a": []}"#), json(r#""a""#)]).is_err());
    }

    #[test]
    fn long_chains_and_many_paths_end_in_an_answer_or_an_error() {
        // 200,000 vertices in a chain: regorus' recursion overflowed the stack here.
        let chain: Value = Value::from_json_str(&format!(
            "{{{}}}",
            (0..200_000).map(|i| format!(r#""n{i}": ["n{}"]"#, i + 1)).collect::<Vec<_>>().join(",")
        ))
        .unwrap();
        let paths = reachable_paths(&[chain, json(r#"["n0"]"#)]).unwrap();
        assert_eq!(paths.as_set().unwrap().len(), 1);
        // A ladder of 36 vertices: 24 million paths, refused at the memory limit.
        let ladder = Value::from_json_str(&format!(
            "{{{}}}",
            (0..36).map(|i| format!(r#""n{i}": ["n{}", "n{}"]"#, i + 1, i + 2)).collect::<Vec<_>>().join(",")
        ))
        .unwrap();
        crate::builtins::limits::with_memory_limit(10_000_000, || {
            let error = reachable_paths(&[ladder, json(r#"["n0"]"#)]).unwrap_err().to_string();
            assert!(error.contains("paths would take about") && error.contains("memory limit of 10000000 bytes"), "{error}");
        });
    }
}
