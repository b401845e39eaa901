//! What regorus 0.5.0 (the newest release that builds with rustc 1.85) lacks compared with OPA,
//! filled in here. Later regorus releases fixed both; with them this module becomes a no-op.

use std::borrow::Cow;
use std::net::IpAddr;

use regorus::{Engine, Value};

/// `import data.lib` binds `lib` in OPA, but regorus 0.5.0's analyzer only binds explicit aliases
/// (`use of undefined variable lib is unsafe`). Rewrites such lines to `import data.lib as lib`;
/// the alias goes at the end of the line, so line and column numbers in messages stay right.
pub fn with_import_aliases(source: &str) -> Cow<'_, str> {
    if !source.contains("import") {
        return Cow::Borrowed(source);
    }
    let mut changed = false;
    let mut out = String::with_capacity(source.len() + 64);
    for line in source.split_inclusive('\n') {
        let (code, rest) = line.split_at(line.find(['#', '\r', '\n']).unwrap_or(line.len()));
        let alias = code
            .trim_start()
            .strip_prefix("import")
            .filter(|r| r.starts_with([' ', '\t']))
            .map(str::trim)
            .and_then(import_alias);
        match alias {
            Some(alias) => {
                let path = code.trim_end();
                out.push_str(path);
                out.push_str(" as ");
                out.push_str(alias);
                out.push_str(&code[path.len()..]);
                changed = true;
            }
            None => out.push_str(code),
        }
        out.push_str(rest);
    }
    if changed {
        Cow::Owned(out)
    } else {
        Cow::Borrowed(source)
    }
}

/// `data.a.b` or `input.x` (plain identifiers, at least two) -> the last identifier.
fn import_alias(path: &str) -> Option<&str> {
    let mut parts = path.split('.');
    let root = parts.next()?;
    let identifier = |p: &str| {
        p.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    let rest: Vec<&str> = parts.collect();
    ((root == "data" || root == "input") && !rest.is_empty() && rest.iter().all(|p| identifier(p)))
        .then(|| rest[rest.len() - 1])
}

/// Builtins regorus 0.5.0 does not have, added as extensions.
pub fn add_missing_builtins(engine: &mut Engine) -> Result<(), String> {
    engine
        .add_extension("net.cidr_contains".to_string(), 2, Box::new(cidr_contains))
        .map_err(|e| e.to_string())
}

/// OPA's `net.cidr_contains(cidr, cidr_or_ip)`: whether the address or network lies in `cidr`.
fn cidr_contains(args: Vec<Value>) -> anyhow::Result<Value> {
    let text = |i: usize| -> anyhow::Result<String> {
        Ok(args
            .get(i)
            .and_then(|v| v.as_string().ok())
            .ok_or_else(|| anyhow::anyhow!("net.cidr_contains: operand {} must be a string", i + 1))?
            .to_string())
    };
    let (outer, outer_prefix) = parse_cidr(&text(0)?, true)?;
    let (inner, inner_prefix) = parse_cidr(&text(1)?, false)?;
    let contained = match (outer, inner) {
        (IpAddr::V4(o), IpAddr::V4(i)) => {
            inner_prefix >= outer_prefix && same_prefix(&o.octets(), &i.octets(), outer_prefix)
        }
        (IpAddr::V6(o), IpAddr::V6(i)) => {
            inner_prefix >= outer_prefix && same_prefix(&o.octets(), &i.octets(), outer_prefix)
        }
        _ => false,
    };
    Ok(Value::Bool(contained))
}

/// `10.0.0.0/8` -> (10.0.0.0, 8); a bare address (allowed unless `cidr_only`) is a full-length prefix.
fn parse_cidr(text: &str, cidr_only: bool) -> anyhow::Result<(IpAddr, u32)> {
    let invalid = || anyhow::anyhow!("net.cidr_contains: invalid CIDR or address {text:?}");
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None if cidr_only => return Err(invalid()),
        None => (text, None),
    };
    let address: IpAddr = address.parse().map_err(|_| invalid())?;
    let bits = if address.is_ipv4() { 32 } else { 128 };
    let prefix = match prefix {
        Some(p) => p.parse::<u32>().ok().filter(|&p| p <= bits).ok_or_else(invalid)?,
        None => bits,
    };
    Ok((address, prefix))
}

fn same_prefix(a: &[u8], b: &[u8], bits: u32) -> bool {
    let (whole, rest) = ((bits / 8) as usize, bits % 8);
    a[..whole] == b[..whole] && (rest == 0 || (a[whole] ^ b[whole]) >> (8 - rest) == 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn import_lines_get_their_default_alias() {
        let policy = "package p\nimport data.users\nimport  data.lib.strings # helpers\nimport input.request\n\
                      import data.x as y\nimport rego.v1\nimport future.keywords.in\nimport data[\"a-b\"]\nx := 1\n";
        assert_eq!(
            with_import_aliases(policy),
            "package p\nimport data.users as users\nimport  data.lib.strings as strings # helpers\n\
             import input.request as request\nimport data.x as y\nimport rego.v1\nimport future.keywords.in\n\
             import data[\"a-b\"]\nx := 1\n"
        );
        assert!(matches!(with_import_aliases("package p\nx := 1\n"), Cow::Borrowed(_)));
        assert_eq!(with_import_aliases("import data.a\r\n"), "import data.a as a\r\n");
    }

    #[test]
    fn imported_packages_resolve_but_imported_functions_need_their_full_path() {
        let mut engine = Engine::new();
        engine
            .add_policy(
                "lib".into(),
                "package lib\nadmins := {\"alice\"}\ngreet(n) := n\n".into(),
            )
            .unwrap();
        let app = "package app\nimport data.lib\nallow if input.name in lib.admins\ng := data.lib.greet(\"x\")\n";
        engine
            .add_policy("app".into(), with_import_aliases(app).into_owned())
            .unwrap();
        engine.set_input_json(r#"{"name": "alice"}"#).unwrap();
        assert_eq!(engine.eval_rule("data.app.allow".into()).unwrap(), Value::Bool(true));
        assert_eq!(engine.eval_rule("data.app.g".into()).unwrap(), Value::from("x"));
        // regorus 0.5.0 does not resolve calls through an import (fixed in 0.9): a known gap.
        engine
            .add_policy(
                "call".into(),
                "package call\nimport data.lib as lib\ng := lib.greet(\"x\")\n".into(),
            )
            .unwrap();
        let error = engine.eval_rule("data.call.g".into()).unwrap_err().to_string();
        assert!(error.contains("could not find function lib.greet"), "{error}");
    }

    #[test]
    fn cidr_contains_matches_opa() {
        let check = |cidr: &str, other: &str| {
            cidr_contains(vec![Value::from(cidr), Value::from(other)]).map(|v| v == Value::Bool(true))
        };
        assert!(check("10.0.0.0/8", "10.1.2.3").unwrap());
        assert!(!check("10.0.0.0/8", "11.0.0.1").unwrap());
        assert!(check("10.0.0.0/8", "10.1.0.0/16").unwrap());
        assert!(!check("10.1.0.0/16", "10.0.0.0/8").unwrap());
        assert!(check("192.168.1.0/25", "192.168.1.127").unwrap());
        assert!(!check("192.168.1.0/25", "192.168.1.128").unwrap());
        assert!(check("0.0.0.0/0", "8.8.8.8").unwrap());
        assert!(check("2001:db8::/32", "2001:db8::1").unwrap());
        assert!(!check("2001:db8::/32", "10.0.0.1").unwrap());
        assert!(
            check("10.0.0.1", "10.0.0.1").is_err(),
            "the first operand must be a CIDR"
        );
        assert!(check("10.0.0.0/33", "10.0.0.1").is_err());
        assert!(check("10.0.0.0/8", "nope").is_err());
        assert!(cidr_contains(vec![Value::from(1), Value::from("10.0.0.1")]).is_err());
    }

    #[test]
    fn cidr_contains_is_callable_from_rego() {
        let mut engine = Engine::new();
        add_missing_builtins(&mut engine).unwrap();
        engine
            .add_policy(
                "p".into(),
                "package p\nlocal if net.cidr_contains(\"10.0.0.0/8\", input.ip)\n".into(),
            )
            .unwrap();
        engine.set_input_json(r#"{"ip": "10.9.8.7"}"#).unwrap();
        assert_eq!(engine.eval_rule("data.p.local".into()).unwrap(), Value::Bool(true));
    }
}
