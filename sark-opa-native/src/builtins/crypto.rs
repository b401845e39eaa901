//! `crypto.md5`, `crypto.sha1`, `crypto.sha256` and `crypto.hmac.*`: digests of a string's UTF-8
//! bytes as lowercase hex, as OPA computes them (crypto.go). regorus 0.14.1 has none of them.

use anyhow::Result;
use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use regorus::Value;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use super::args::string;
use super::encoding::hex;
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("crypto.md5", 1, |a| digest::<Md5>(a)),
    ("crypto.sha1", 1, |a| digest::<Sha1>(a)),
    ("crypto.sha256", 1, |a| digest::<Sha256>(a)),
    ("crypto.hmac.md5", 2, |a| hmac::<Hmac<Md5>>(a)),
    ("crypto.hmac.sha1", 2, |a| hmac::<Hmac<Sha1>>(a)),
    ("crypto.hmac.sha256", 2, |a| hmac::<Hmac<Sha256>>(a)),
    ("crypto.hmac.sha512", 2, |a| hmac::<Hmac<Sha512>>(a)),
    ("crypto.hmac.equal", 2, hmac_equal),
];

/// `crypto.<hash>(x)`: the hex digest of `x`.
fn digest<D: Digest>(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    Ok(Value::from(hex(&D::digest(text.as_bytes()))))
}

/// `crypto.hmac.<hash>(message, key)`: the hex HMAC of `message` under `key`.
fn hmac<M: Mac + KeyInit>(args: &[Value]) -> Result<Value> {
    let message = string(args, 0)?;
    let key = string(args, 1)?;
    // HMAC accepts keys of any length, so this cannot fail.
    let mut mac =
        <M as KeyInit>::new_from_slice(key.as_bytes()).expect("HMAC takes keys of any length");
    mac.update(message.as_bytes());
    Ok(Value::from(hex(&mac.finalize().into_bytes())))
}

/// `crypto.hmac.equal(mac1, mac2)`: equality that takes the same time wherever the texts differ,
/// so comparing a computed MAC with a presented one leaks nothing (Go's `hmac.Equal`).
fn hmac_equal(args: &[Value]) -> Result<Value> {
    let a = string(args, 0)?.as_bytes();
    let b = string(args, 1)?.as_bytes();
    Ok(Value::from(constant_time_eq(a, b)))
}

/// Compares every byte whatever the earlier ones were; only the lengths are compared openly.
pub(super) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(name: &str, args: &[&str]) -> Value {
        let (_, _, f) = BUILTINS.iter().find(|(n, _, _)| *n == name).unwrap();
        f(&args.iter().map(|a| Value::from(*a)).collect::<Vec<_>>()).unwrap()
    }

    // Expected values are those of OPA's conformance cases (cryptomd5, cryptosha1, cryptosha256,
    // cryptohmac*) and of RFC 2202 / RFC 4231.
    #[test]
    fn digests_match_opa() {
        assert_eq!(
            call("crypto.md5", &["lorem ipsum"]),
            Value::from("80a751fde577028640c419000e33eba6")
        );
        assert_eq!(
            call("crypto.sha1", &["lorem ipsum"]),
            Value::from("bfb7759a67daeb65410490b4d98bb9da7d1ea2ce")
        );
        assert_eq!(
            call("crypto.sha256", &["lorem ipsum"]),
            Value::from("5e2bf57d3f40c4b6df69daf1936cb766f832374b4fc0259a7cbff06e2f70f269")
        );
    }

    #[test]
    fn hmacs_match_rfc_vectors() {
        let quick = "what do ya want for nothing?";
        assert_eq!(
            call("crypto.hmac.md5", &[quick, "Jefe"]),
            Value::from("750c783e6ab0b503eaa86e310a5db738")
        );
        assert_eq!(
            call("crypto.hmac.sha1", &[quick, "Jefe"]),
            Value::from("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        );
        assert_eq!(
            call("crypto.hmac.sha256", &[quick, "Jefe"]),
            Value::from("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        );
        assert!(call("crypto.hmac.sha512", &[quick, "Jefe"])
            .as_string()
            .unwrap()
            .starts_with("164b7a7bfcf819e2"));
    }

    #[test]
    fn hmac_equal_compares_whole_texts() {
        assert_eq!(
            call("crypto.hmac.equal", &["abc", "abc"]),
            Value::from(true)
        );
        assert_eq!(
            call("crypto.hmac.equal", &["abc", "abd"]),
            Value::from(false)
        );
        assert_eq!(
            call("crypto.hmac.equal", &["abc", "abcd"]),
            Value::from(false)
        );
    }

    #[test]
    fn non_strings_fail_like_opa() {
        let (_, _, f) = BUILTINS
            .iter()
            .find(|(n, _, _)| *n == "crypto.sha256")
            .unwrap();
        let e = f(&[Value::from(1)]).unwrap_err().to_string();
        assert_eq!(e, "operand 1 must be string but got number");
    }
}
