//! OPA's `net.cidr_*` builtins, with OPA's semantics (topdown/cidr.go), which are Go's `net` package
//! semantics. regorus 0.14.1 has none of `net.cidr_intersects`, `net.cidr_contains_matches` and
//! `net.cidr_merge`; it has `net.cidr_contains`, `net.cidr_is_valid` and `net.cidr_expand` only behind
//! its `net` feature, which needs its `std` feature, and that one prints warnings to the process's
//! stderr (see Cargo.toml), so all six are here.
//!
//! Go's semantics:
//!
//! * addresses live in one 16-byte space; an IPv4 address is `::ffff:a.b.c.d`, and a network
//!   counts as IPv4 when its address does (so IPv4 and IPv6 networks never contain each other);
//! * an IPv4 address without a prefix given to `net.cidr_merge` gets its classful mask
//!   (`10.1.2.3` is `10.1.2.3/8`), as Go's `IP.DefaultMask` gives it.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::string;
use super::limits::claim;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("net.cidr_intersects", 2, cidr_intersects),
    ("net.cidr_contains_matches", 2, cidr_contains_matches),
    ("net.cidr_merge", 1, cidr_merge),
    ("net.cidr_contains", 2, cidr_contains),
    ("net.cidr_is_valid", 1, cidr_is_valid),
    ("net.cidr_expand", 1, cidr_expand),
];

/// A network: an address (not necessarily the first of the network, as Go keeps it) and a prefix
/// length counted in the 128-bit space (an IPv4 /24 is /120 here).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Net {
    addr: u128,
    prefix: u32,
}

const V4_MAPPED: u128 = 0xffff << 32;

fn is_v4(addr: u128) -> bool {
    addr >> 32 == 0xffff
}

fn mask(prefix: u32) -> u128 {
    if prefix == 0 {
        0
    } else {
        u128::MAX << (128 - prefix)
    }
}

impl Net {
    fn v4(&self) -> bool {
        is_v4(self.addr)
    }

    /// Go reads a network whose address is IPv4 with only the last 32 bits of its mask.
    fn effective_prefix(&self) -> u32 {
        if self.v4() {
            self.prefix.max(96)
        } else {
            self.prefix
        }
    }

    fn first(&self) -> u128 {
        self.addr & mask(self.effective_prefix())
    }

    fn last(&self) -> u128 {
        self.first() | !mask(self.effective_prefix())
    }

    /// Go's `IPNet.Contains`: same family, same leading bits.
    fn contains(&self, addr: u128) -> bool {
        self.v4() == is_v4(addr) && addr & mask(self.effective_prefix()) == self.first()
    }

    /// Whether `inner` lies wholly in this network: same family, a prefix at least as long, and the
    /// same leading bits. (Not "contains its first and last address": the last address of an IPv6
    /// network such as `::/80` is an IPv4-mapped one, which Go's `Contains` counts as IPv4.)
    fn contains_net(&self, inner: &Net) -> bool {
        let prefix = self.effective_prefix();
        self.v4() == inner.v4()
            && prefix <= inner.effective_prefix()
            && inner.first() & mask(prefix) == self.first()
    }

    /// Go's `IPNet.String`: the address as stored, then the prefix in the address' own bits.
    fn text(&self) -> String {
        if self.v4() {
            format!(
                "{}/{}",
                Ipv4Addr::from(self.addr as u32),
                self.effective_prefix() - 96
            )
        } else {
            format!("{}/{}", Ipv6Addr::from(self.addr), self.prefix)
        }
    }
}

/// Go's `net.ParseIP`, into the 16-byte space.
fn parse_ip(text: &str) -> Option<u128> {
    match text.parse::<IpAddr>().ok()? {
        IpAddr::V4(a) => Some(V4_MAPPED | u128::from(u32::from(a))),
        IpAddr::V6(a) => Some(u128::from(a)),
    }
}

/// Go's `net.ParseCIDR`: the network, with its address already masked.
fn parse_cidr(text: &str) -> Result<Net> {
    let invalid = || anyhow!("invalid CIDR address: {text}");
    let (addr, bits) = text.split_once('/').ok_or_else(invalid)?;
    let v4 = addr.parse::<Ipv4Addr>().is_ok();
    let addr = if addr.contains('%') {
        None
    } else {
        parse_ip(addr)
    }
    .ok_or_else(invalid)?;
    // Decimal digits only (no sign), as Go's dtoi reads them.
    if bits.is_empty() || bits.len() > 3 || !bits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(invalid());
    }
    let bits: u32 = bits.parse().map_err(|_| invalid())?;
    let prefix = if v4 { bits + 96 } else { bits };
    if bits > if v4 { 32 } else { 128 } {
        return Err(invalid());
    }
    Ok(Net {
        addr: addr & mask(prefix),
        prefix,
    })
}

/// `net.cidr_intersects(cidr1, cidr2)`: whether the networks share an address.
fn cidr_intersects(args: &[Value]) -> Result<Value> {
    let a = parse_cidr(string(args, 0)?)?;
    let b = parse_cidr(string(args, 1)?)?;
    Ok(Value::from(a.contains(b.addr) || b.contains(a.addr)))
}

/// `net.cidr_contains(cidr, cidr_or_ip)`: whether the second network (or address) lies in the first.
fn cidr_contains(args: &[Value]) -> Result<Value> {
    Ok(Value::from(contains(string(args, 0)?, string(args, 1)?)?))
}

/// `net.cidr_is_valid(cidr)`: whether Go's `net.ParseCIDR` accepts it; false for anything else,
/// a non-string operand included, as OPA answers.
fn cidr_is_valid(args: &[Value]) -> Result<Value> {
    let valid = matches!(args.first(), Some(Value::String(text)) if parse_cidr(text).is_ok());
    Ok(Value::from(valid))
}

/// `net.cidr_expand(cidr)`: the set of every address of the network, as text. Its size is checked
/// against the engine's memory limit before anything is built (an IPv4 /0 has 2^32 addresses).
fn cidr_expand(args: &[Value]) -> Result<Value> {
    let net = parse_cidr(string(args, 0)?)?;
    let (first, last) = (net.first(), net.last());
    let count = (last - first).saturating_add(1);
    // An address' text (at most 39 bytes) plus its Value and its place in the set.
    claim(count.saturating_mul(96), || format!("the {count} addresses of {}", net.text()))?;
    let text = |addr: u128| {
        if net.v4() {
            Ipv4Addr::from(addr as u32).to_string()
        } else {
            Ipv6Addr::from(addr).to_string()
        }
    };
    let addresses: std::collections::BTreeSet<Value> = (first..=last).map(|addr| Value::from(text(addr))).collect();
    Ok(Value::from(addresses))
}

/// `net.cidr_overlap(cidr, ip)`: the deprecated name of `net.cidr_contains` (OPA registers the
/// same implementation under both), kept for Rego v0 policies.
pub(super) fn cidr_overlap(args: &[Value]) -> Result<Value> {
    Ok(Value::from(contains(string(args, 0)?, string(args, 1)?)?))
}

/// OPA's `net.cidr_contains(cidr, cidr_or_ip)`, which `net.cidr_contains_matches` applies.
fn contains(outer: &str, inner: &str) -> Result<bool> {
    let outer = parse_cidr(outer)?;
    if let Some(ip) = parse_ip(inner) {
        return Ok(outer.contains(ip));
    }
    let inner = parse_cidr(inner).map_err(|_| {
        anyhow!("not a valid textual representation of an IP address or CIDR: {inner}")
    })?;
    Ok(outer.contains_net(&inner))
}

/// The (CIDR, key) pairs of an operand of `net.cidr_contains_matches`: a string is its own key;
/// array elements are keyed by index, set elements by themselves, object values by their key; an
/// element may be a string or an array whose first element is the CIDR.
fn match_items(operand: &Value, position: usize) -> Result<Vec<(Value, Value)>> {
    let cidr_of = |v: &Value| match v {
        Value::String(_) => Ok(v.clone()),
        Value::Array(items) if !items.is_empty() => Ok(items[0].clone()),
        _ => Err(anyhow!(
            "operand {position}: element must be string or non-empty array"
        )),
    };
    Ok(match operand {
        Value::String(_) => vec![(operand.clone(), operand.clone())],
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| Ok((cidr_of(v)?, Value::from(i as u64))))
            .collect::<Result<_>>()?,
        Value::Set(items) => items
            .iter()
            .map(|v| Ok((cidr_of(v)?, v.clone())))
            .collect::<Result<_>>()?,
        Value::Object(fields) => fields
            .iter()
            .map(|(k, v)| Ok((cidr_of(v)?, k.clone())))
            .collect::<Result<_>>()?,
        _ => Vec::new(),
    })
}

/// `net.cidr_contains_matches(cidrs, cidrs_or_ips)`: the set of `[key1, key2]` for every CIDR of
/// the first operand that contains an address or CIDR of the second.
fn cidr_contains_matches(args: &[Value]) -> Result<Value> {
    let outer = match_items(&args[0], 1)?;
    let inner = match_items(&args[1], 2)?;
    let mut result = std::collections::BTreeSet::new();
    for (cidr1, key1) in &outer {
        for (cidr2, key2) in &inner {
            let (Value::String(c1), Value::String(c2)) = (cidr1, cidr2) else {
                bail!(
                    "operand 1 must be string but got {}",
                    super::args::type_name(if matches!(cidr1, Value::String(_)) {
                        cidr2
                    } else {
                        cidr1
                    })
                );
            };
            if contains(c1, c2)? {
                result.insert(Value::from(vec![key1.clone(), key2.clone()]));
            }
        }
    }
    Ok(Value::from(result))
}

/// Go's `IP.DefaultMask`: the classful prefix of an IPv4 address (none for class D and E).
fn classful_prefix(addr: u32) -> Option<u32> {
    match addr >> 24 {
        0..=127 => Some(8),
        128..=191 => Some(16),
        192..=223 => Some(24),
        _ => None,
    }
}

/// An element of `net.cidr_merge`'s operand: a CIDR, or an IPv4 address with its classful mask.
fn merge_element(v: &Value) -> Result<Net> {
    let Value::String(text) = v else {
        bail!("element must be string")
    };
    match parse_ip(text) {
        None => parse_cidr(text),
        Some(addr) if is_v4(addr) => {
            let prefix = classful_prefix(addr as u32)
                .ok_or_else(|| anyhow!("IPv4 address {text} has no default mask"))?;
            Ok(Net {
                addr,
                prefix: prefix + 96,
            })
        }
        Some(_) => bail!("IPv6 invalid: needs prefix length"),
    }
}

/// `net.cidr_merge(addrs)`: the smallest set of CIDRs covering the same addresses. A network that
/// merges with no other is returned as written (Go keeps its unmasked address); merged ranges are
/// cut into the largest aligned blocks.
fn cidr_merge(args: &[Value]) -> Result<Value> {
    let nets: Vec<Net> = match &args[0] {
        Value::Array(items) => items.iter().map(merge_element).collect::<Result<_>>()?,
        Value::Set(items) => items.iter().map(merge_element).collect::<Result<_>>()?,
        _ => bail!("operand must be an array"),
    };
    // Ranges sorted by (last, first); merged from the end, as OPA does, joining touching ranges.
    let mut ranges: Vec<(u128, u128, Option<Net>)> = nets
        .iter()
        .map(|n| (n.first(), n.last(), Some(*n)))
        .collect();
    ranges.sort_by_key(|r| (r.1, r.0));
    let mut merged: Vec<(u128, u128, Option<Net>)> = Vec::new();
    for range in ranges.into_iter().rev() {
        match merged.last_mut() {
            Some(current) if range.1 >= current.0.saturating_sub(1) => {
                *current = (current.0.min(range.0), current.1, None);
            }
            _ => merged.push(range),
        }
    }
    let mut out = std::collections::BTreeSet::new();
    for (first, last, original) in merged {
        match original {
            Some(net) => {
                out.insert(Value::from(net.text()));
            }
            None => {
                for net in range_to_cidrs(first, last) {
                    out.insert(Value::from(net.text()));
                }
            }
        }
    }
    Ok(Value::from(out))
}

/// The fewest aligned blocks exactly covering `first..=last`.
fn range_to_cidrs(first: u128, last: u128) -> Vec<Net> {
    let floor = if is_v4(first) && is_v4(last) { 96 } else { 0 };
    let mut nets = Vec::new();
    let mut at = first;
    loop {
        // The largest block that starts at `at`, is aligned there, and ends by `last`.
        let mut prefix = (128 - at.trailing_zeros().min(128)).max(floor);
        while prefix < 128 && (at | !mask(prefix)) > last {
            prefix += 1;
        }
        let end = at | !mask(prefix);
        nets.push(Net { addr: at, prefix });
        if end >= last {
            return nets;
        }
        at = end + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merge(items: &[&str]) -> Result<Vec<String>> {
        let v = cidr_merge(&[Value::from(
            items.iter().map(|s| Value::from(*s)).collect::<Vec<_>>(),
        )])?;
        Ok(v.as_set()?
            .iter()
            .map(|s| s.as_string().unwrap().to_string())
            .collect())
    }

    fn contains_text(outer: &str, inner: &str) -> bool {
        cidr_contains(&[Value::from(outer), Value::from(inner)]).unwrap() == Value::from(true)
    }

    #[test]
    fn contains_compares_families_and_prefixes() {
        assert!(contains_text("10.0.0.0/8", "10.1.2.3"));
        assert!(contains_text("10.0.0.0/8", "10.1.0.0/16"));
        assert!(!contains_text("10.1.0.0/16", "10.0.0.0/8"));
        // An IPv6 network whose last address is IPv4-mapped still contains itself and its subnets.
        assert!(contains_text("::/80", "::/80"));
        assert!(contains_text("::/0", "::/96"));
        assert!(!contains_text("::/0", "10.0.0.0/8"), "IPv6 never contains IPv4");
        assert!(!contains_text("0.0.0.0/0", "2001:db8::/32"));
    }

    #[test]
    fn is_valid_is_false_for_anything_but_a_cidr() {
        let valid = |v: Value| cidr_is_valid(&[v]).unwrap() == Value::from(true);
        assert!(valid(Value::from("192.168.1.0/24")));
        assert!(valid(Value::from("2002::1234:abcd:ffff:c0a8:101/64")));
        assert!(!valid(Value::from("192.168.1.2")));
        assert!(!valid(Value::from("")));
        assert!(!valid(Value::from(24)));
    }

    #[test]
    fn expand_lists_every_address_and_checks_the_memory_limit_first() {
        let expanded = cidr_expand(&[Value::from("192.168.1.1/30")]).unwrap();
        let texts: Vec<_> = expanded.as_set().unwrap().iter().map(|v| v.as_string().unwrap().to_string()).collect();
        assert_eq!(texts, ["192.168.1.0", "192.168.1.1", "192.168.1.2", "192.168.1.3"]);
        let error = super::super::limits::with_memory_limit(1 << 20, || cidr_expand(&[Value::from("::/0")]))
            .expect_err("2^128 addresses");
        assert!(error.to_string().contains("memory limit"), "{error}");
        assert!(cidr_expand(&[Value::from("192.168.1.1/33")]).is_err());
    }

    // Cases from OPA's netcidrmerge conformance tests.
    #[test]
    fn merge_matches_opa() {
        assert_eq!(
            merge(&["192.0.128.0/24", "192.0.129.0/24"]).unwrap(),
            ["192.0.128.0/23"]
        );
        assert_eq!(
            merge(&["192.0.2.112/30", "192.0.2.116/31", "192.0.2.118/31"]).unwrap(),
            ["192.0.2.112/29"]
        );
        assert_eq!(
            merge(&["192.0.2.112/31", "192.0.2.116/31", "192.0.2.118/31"]).unwrap(),
            ["192.0.2.112/31", "192.0.2.116/30"]
        );
        assert_eq!(
            merge(&["192.0.2.112", "192.0.2.116/31", "192.0.2.118/31"]).unwrap(),
            ["192.0.2.0/24"]
        );
        assert_eq!(
            merge(&["192.0.128.0/24", "0.0.0.0/0"]).unwrap(),
            ["0.0.0.0/0"]
        );
        assert_eq!(merge(&["::/0", "fe80::1/128"]).unwrap(), ["::/0"]);
        assert_eq!(
            merge(&[
                "fe80::/120",
                "192.0.2.0/24",
                "192.0.3.0/24",
                "192.0.4.0/25",
                "192.0.4.128/25"
            ])
            .unwrap(),
            ["192.0.2.0/23", "192.0.4.0/24", "fe80::/120"]
        );
        assert_eq!(
            merge(&[
                "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/64",
                "2601:600:8a80:207e:a57d:7567:e2c9:e7b3/128"
            ])
            .unwrap(),
            ["2601:600:8a80:207e::/64"]
        );
        assert_eq!(
            merge(&["10.1.2.3"]).unwrap(),
            ["10.1.2.3/8"],
            "an unmerged address keeps its text"
        );
        assert!(merge(&["2601::1"])
            .unwrap_err()
            .to_string()
            .contains("needs prefix length"));
        assert!(merge(&["foo"]).is_err());
    }

    #[test]
    fn intersects_and_contains() {
        let i = |a: &str, b: &str| {
            cidr_intersects(&[Value::from(a), Value::from(b)]).unwrap() == Value::from(true)
        };
        assert!(i("192.168.1.0/25", "192.168.1.64/25"));
        assert!(!i("192.168.1.0/24", "192.168.2.0/24"));
        assert!(i(
            "fd1e:5bfe:8af3:9ddc::/64",
            "fd1e:5bfe:8af3:9ddc:1111::/72"
        ));
        assert!(
            !i("::/0", "10.0.0.0/8"),
            "IPv4 and IPv6 networks never meet"
        );
        assert!(contains("10.0.0.0/8", "10.1.0.0/16").unwrap());
        assert!(!contains("10.1.0.0/16", "10.0.0.0/8").unwrap());
        assert!(contains("10.0.0.0/8", "x").is_err());
    }

    #[test]
    fn contains_matches_keys_results() {
        let v = |s: &str| Value::from_json_str(s).unwrap();
        let r = cidr_contains_matches(&[
            v(r#"[["1.1.2.0/24", 1], "1.1.1.0/24"]"#),
            v(r#"["1.1.1.1", "1.1.2.1"]"#),
        ])
        .unwrap();
        assert_eq!(
            r,
            Value::from(std::collections::BTreeSet::from([v("[0, 1]"), v("[1, 0]")]))
        );
        let e = cidr_contains_matches(&[v(r#"["1.1.1.0/24"]"#), v("[[]]")]).unwrap_err();
        assert_eq!(
            e.to_string(),
            "operand 2: element must be string or non-empty array"
        );
    }
}
