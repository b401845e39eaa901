//! The `io.jwt.*` builtins (none of which regorus 0.14.1 has), following OPA's topdown/tokens.go:
//! the same checks in the same order, the same errors, and `[false, {}, {}]` from
//! `io.jwt.decode_verify` where OPA gives it rather than an error.
//!
//! OPA can cache verification results between queries; that cache is off by default and is not
//! reproduced here.

use anyhow::{anyhow, bail, Result};
use regorus::value::Object;
use regorus::Value;

use super::args::{lossy_f64, object, string, type_name};
use super::encoding::{base64url_decode_opa, go_json, hex, parse_json, URL_RAW};
use super::keys::{
    algorithm, keys_from_cert_or_jwk, parse_jwk_set, sign, verify, Algorithm, Key, Material,
};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("io.jwt.decode", 1, decode),
    ("io.jwt.decode_verify", 2, decode_verify),
    ("io.jwt.encode_sign", 3, encode_sign),
    ("io.jwt.encode_sign_raw", 3, encode_sign_raw),
    ("io.jwt.verify_hs256", 2, |a| verify_hmac(a, "HS256")),
    ("io.jwt.verify_hs384", 2, |a| verify_hmac(a, "HS384")),
    ("io.jwt.verify_hs512", 2, |a| verify_hmac(a, "HS512")),
    ("io.jwt.verify_rs256", 2, |a| verify_with_keys(a, "RS256")),
    ("io.jwt.verify_rs384", 2, |a| verify_with_keys(a, "RS384")),
    ("io.jwt.verify_rs512", 2, |a| verify_with_keys(a, "RS512")),
    ("io.jwt.verify_ps256", 2, |a| verify_with_keys(a, "PS256")),
    ("io.jwt.verify_ps384", 2, |a| verify_with_keys(a, "PS384")),
    ("io.jwt.verify_ps512", 2, |a| verify_with_keys(a, "PS512")),
    ("io.jwt.verify_es256", 2, |a| verify_with_keys(a, "ES256")),
    ("io.jwt.verify_es384", 2, |a| verify_with_keys(a, "ES384")),
    ("io.jwt.verify_es512", 2, |a| verify_with_keys(a, "ES512")),
    ("io.jwt.verify_eddsa", 2, |a| verify_with_keys(a, "EdDSA")),
];

/// The three base64url parts of a compact JWS.
struct Token<'a> {
    header: &'a str,
    payload: &'a str,
    signature: &'a str,
}

impl<'a> Token<'a> {
    fn split(text: &'a str) -> Result<Token<'a>> {
        if !text.contains('.') {
            bail!("encoded JWT had no period separators");
        }
        let parts: Vec<&str> = text.split('.').collect();
        match parts[..] {
            [header, payload, signature] => Ok(Token {
                header,
                payload,
                signature,
            }),
            _ => bail!("encoded JWT must have 3 sections, found {}", parts.len()),
        }
    }

    /// The decoded header, which must be a JSON object without `enc` (no JWE).
    fn decoded_header(&self) -> Result<Value> {
        let bytes = base64url_decode_opa(self.header)
            .map_err(|e| anyhow!("JWT header had invalid encoding: {e}"))?;
        let header = json_object(&bytes).map_err(|e| anyhow!("bad JWT header: {e}"))?;
        if header.as_object()?.contains_key(&Value::from("enc")) {
            bail!("JWT is a JWE object, which is not supported");
        }
        Ok(header)
    }

    fn decoded_payload(&self) -> Result<Vec<u8>> {
        base64url_decode_opa(self.payload)
            .map_err(|e| anyhow!("JWT payload had invalid encoding: {e}"))
    }

    fn decoded_signature(&self) -> Result<Vec<u8>> {
        base64url_decode_opa(self.signature)
    }

    fn signing_input(&self) -> String {
        format!("{}.{}", self.header, self.payload)
    }
}

/// Decoded bytes as a JSON object. Go reads bytes that are not UTF-8 with U+FFFD in their place.
fn json_object(bytes: &[u8]) -> Result<Value> {
    let value =
        parse_json(&String::from_utf8_lossy(bytes)).map_err(|e| anyhow!("invalid JSON: {e}"))?;
    match value {
        Value::Object(_) => Ok(value),
        _ => bail!("decoded JSON type was not an Object"),
    }
}

fn get<'v>(o: &'v Value, key: &str) -> Option<&'v Value> {
    o.as_object().ok()?.get(&Value::from(key))
}

/// `io.jwt.decode(jwt)`: `[header, payload, signature as hex]`, no verification. A token whose
/// `cty` is "JWT" carries another token as payload, which is decoded instead.
fn decode(args: &[Value]) -> Result<Value> {
    let token = Token::split(string(args, 0)?)?;
    let header = token.decoded_header()?;
    let payload = token.decoded_payload()?;
    if let Some(cty) = get(&header, "cty") {
        let Value::String(cty) = cty else {
            bail!("cty: must be a string")
        };
        if &**cty == "JWT" {
            // jwt.io quotes a nested token; OPA trims the quotes.
            let inner = String::from_utf8_lossy(&payload);
            return decode(&[Value::from(inner.trim_matches(['"', '\'']))]);
        }
    }
    let payload = json_object(&payload)?;
    let signature = token
        .decoded_signature()
        .map_err(|e| anyhow!("JWT signature had invalid encoding: {e}"))?;
    Ok(Value::from(vec![
        header,
        payload,
        Value::from(hex(&signature)),
    ]))
}

/// The JOSE header fields OPA interprets (tokenHeader in tokens.go).
#[derive(Default)]
struct Header {
    alg: String,
    kid: String,
    cty: String,
    crit: Vec<String>,
    unknown: Vec<String>,
}

impl Header {
    fn parse(header: &Value) -> Result<Header> {
        let mut parsed = Header::default();
        for (k, v) in header.as_object()?.iter_sorted() {
            let name = k.as_string().map(|s| s.to_string()).unwrap_or_default();
            let text = |field: &str| match v {
                Value::String(s) => Ok(s.to_string()),
                _ => Err(anyhow!("{field}: must be a string")),
            };
            match name.as_str() {
                "alg" => parsed.alg = text("alg")?,
                "kid" => parsed.kid = text("kid")?,
                "typ" => {
                    text("typ")?;
                }
                "cty" => parsed.cty = text("cty")?,
                "crit" => {
                    let Value::Array(items) = v else {
                        bail!("crit: must be a list")
                    };
                    // OPA stops collecting at the first entry that is not a string.
                    parsed.crit = items
                        .iter()
                        .map_while(|i| i.as_string().ok().map(|s| s.to_string()))
                        .collect();
                    if parsed.crit.is_empty() {
                        bail!("crit: must be a nonempty list");
                    }
                }
                _ => parsed.unknown.push(name),
            }
        }
        Ok(parsed)
    }

    /// RFC 7515: `alg` is required, and every critical parameter must be understood.
    fn valid(&self) -> bool {
        !self.alg.is_empty() && !self.unknown.iter().any(|u| self.crit.contains(u))
    }
}

/// `io.jwt.verify_hs*(jwt, secret)`. The header is not even decoded.
fn verify_hmac(args: &[Value], alg: &str) -> Result<Value> {
    let jwt = string(args, 0)?;
    let secret = string(args, 1)?;
    let token = Token::split(jwt)?;
    let alg = algorithm(alg).expect("a known algorithm");
    let signature = token.decoded_signature()?;
    let valid = verify(
        alg,
        &Material::Oct(secret.as_bytes().to_vec()),
        token.signing_input().as_bytes(),
        &signature,
    )?;
    Ok(Value::from(valid))
}

/// `io.jwt.verify_{rs,ps,es}*(jwt, certificate or JWK(S))`.
fn verify_with_keys(args: &[Value], alg: &str) -> Result<Value> {
    let token = Token::split(string(args, 0)?)?;
    let keys = keys_from_cert_or_jwk(string(args, 1)?)?;
    let signature = token.decoded_signature()?;
    let header = Header::parse(&token.decoded_header()?)?;
    let alg_spec = algorithm(alg).expect("a known algorithm");
    let input = token.signing_input();
    Ok(Value::from(verify_any(
        &keys,
        &header,
        alg_spec,
        input.as_bytes(),
        &signature,
    )))
}

/// OPA's key choice: the key whose `kid` is the header's decides alone; otherwise any key that
/// has no `alg`, or the header's `alg`, may verify.
fn verify_any(
    keys: &[Key],
    header: &Header,
    alg: Algorithm,
    input: &[u8],
    signature: &[u8],
) -> bool {
    let check = |key: &Key| matches!(verify(alg, &key.material, input, signature), Ok(true));
    if !header.kid.is_empty() {
        if let Some(key) = keys.iter().find(|k| k.kid == header.kid) {
            return check(key);
        }
    }
    keys.iter()
        .any(|key| (key.alg.is_empty() || key.alg == header.alg) && check(key))
}

/// The constraints argument of `io.jwt.decode_verify`.
#[derive(Default)]
struct Constraints {
    keys: Option<Vec<Key>>,
    secret: String,
    alg: String,
    iss: String,
    aud: String,
    /// Nanoseconds since the epoch.
    time: Option<f64>,
}

impl Constraints {
    fn parse(o: &Object) -> Result<Constraints> {
        let mut c = Constraints::default();
        for (k, v) in o.iter_sorted() {
            let name = k
                .as_string()
                .map(|s| s.to_string())
                .unwrap_or_else(|_| k.to_string());
            let text = || match v {
                Value::String(s) => Ok(s.to_string()),
                _ => Err(anyhow!("{name} constraint: must be a string")),
            };
            match name.as_str() {
                "cert" => c.keys = Some(keys_from_cert_or_jwk(&text()?)?),
                "secret" => c.secret = text()?,
                "alg" => c.alg = text()?,
                "iss" => c.iss = text()?,
                "aud" => c.aud = text()?,
                "time" => c.time = Some(time_constraint(v)?),
                _ => bail!("unknown token validation constraint: {name}"),
            }
        }
        let key_kinds = usize::from(c.keys.is_some()) + usize::from(!c.secret.is_empty());
        if key_kinds > 1 {
            bail!("duplicate key constraints");
        }
        if key_kinds < 1 {
            bail!("no key constraint");
        }
        Ok(c)
    }

    /// Verifies the signature with the constrained key(s). `Ok(false)`: it does not verify.
    fn verify(&self, header: &Header, token: &Token, signature: &[u8]) -> Result<bool> {
        let alg = algorithm(&header.alg)
            .ok_or_else(|| anyhow!("unknown JWS algorithm: {}", header.alg))?;
        let input = token.signing_input();
        if let Some(keys) = &self.keys {
            return Ok(verify_any(keys, header, alg, input.as_bytes(), signature));
        }
        // With a secret, an RSA or ECDSA token is an error, not a failed verification.
        verify(
            alg,
            &Material::Oct(self.secret.as_bytes().to_vec()),
            input.as_bytes(),
            signature,
        )
        .map_err(|_| anyhow!("incorrect public key type"))
    }

    fn audience_ok(&self, aud: &Value) -> bool {
        match aud {
            Value::String(s) => **s == *self.aud,
            Value::Array(items) => items
                .iter()
                .any(|i| matches!(i, Value::String(s) if **s == *self.aud)),
            _ => false,
        }
    }
}

fn time_constraint(v: &Value) -> Result<f64> {
    let Value::Number(_) = v else {
        bail!("token time constraint: must be a number")
    };
    let t = lossy_f64(v).ok_or_else(|| anyhow!("token time constraint: unvalid float64"))?;
    if t < 0.0 {
        bail!("token time constraint: must not be negative");
    }
    Ok(t)
}

/// `io.jwt.decode_verify(jwt, constraints)`: `[true, header, payload]` when the signature verifies
/// and every constraint holds, `[false, {}, {}]` when not; malformed input is an error.
fn decode_verify(args: &[Value]) -> Result<Value> {
    let constraints_arg = object(args, 1)?;
    let constraints = Constraints::parse(constraints_arg)?;
    let now = match constraints.time {
        Some(t) => t,
        None => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as f64)
            .unwrap_or(0.0),
    };
    let unverified = || {
        Value::from(vec![
            Value::from(false),
            Value::new_object(),
            Value::new_object(),
        ])
    };

    let mut jwt = match args.first() {
        Some(Value::String(s)) => s.to_string(),
        other => bail!(
            "operand 1 must be string but got {}",
            other.map_or("nothing", type_name)
        ),
    };
    // A token whose `cty` is "JWT" carries another token: verify each level, keep the innermost.
    let (header, payload) = loop {
        let token = Token::split(&jwt)?;
        let decoded = token.decoded_header()?;
        let header = Header::parse(&decoded)?;
        if !header.valid() {
            return Ok(unverified());
        }
        if !constraints.alg.is_empty() && constraints.alg != header.alg {
            return Ok(unverified());
        }
        let signature = token.decoded_signature()?;
        if !constraints.verify(&header, &token, &signature)? {
            return Ok(unverified());
        }
        let payload = token.decoded_payload()?;
        if header.cty.eq_ignore_ascii_case("JWT") {
            jwt = String::from_utf8_lossy(&payload).into_owned();
            continue;
        }
        break (decoded, json_object(&payload)?);
    };

    if !constraints.iss.is_empty() {
        match get(&payload, "iss") {
            Some(Value::String(iss)) if **iss == *constraints.iss => {}
            _ => return Ok(unverified()),
        }
    }
    match get(&payload, "aud") {
        Some(aud) if !constraints.audience_ok(aud) => return Ok(unverified()),
        None if !constraints.aud.is_empty() => return Ok(unverified()),
        _ => {}
    }
    // exp and nbf are seconds; the constraint time is nanoseconds. Compared as OPA's numbers are.
    let now_seconds = Value::from(now / 1e9);
    if let Some(exp) = get(&payload, "exp") {
        if !matches!(exp, Value::Number(_)) {
            bail!("exp value must be a number");
        }
        if now_seconds >= *exp {
            return Ok(unverified());
        }
    }
    if let Some(nbf) = get(&payload, "nbf") {
        if !matches!(nbf, Value::Number(_)) {
            bail!("nbf value must be a number");
        }
        if now_seconds < *nbf {
            return Ok(unverified());
        }
    }
    Ok(Value::from(vec![Value::from(true), header, payload]))
}

/// `io.jwt.encode_sign(headers, payload, key)`: the objects are written as Go's encoding/json
/// writes them (sorted keys, HTML-escaped), so HMAC and RSA-PKCS#1 tokens equal OPA's byte for byte.
fn encode_sign(args: &[Value]) -> Result<Value> {
    let text = |i: usize, what: &str| -> Result<String> {
        // Go's HTML-safe escapes take up to six bytes a character, and base64 adds a third.
        super::limits::check_printable_times(&args[i], &format!("the JWT {what}"), 8)?;
        go_json(&args[i]).map_err(|e| anyhow!("failed to marshal JWT {what}: {e}"))
    };
    let headers = text(0, "headers")?;
    let payload = text(1, "payload")?;
    let key = text(2, "signature")?;
    sign_compact(&headers, &payload, &key)
}

/// `io.jwt.encode_sign_raw(headers, payload, key)`: the texts are used as given.
fn encode_sign_raw(args: &[Value]) -> Result<Value> {
    let key = string(args, 2)?;
    let headers = string(args, 0)?;
    let payload = string(args, 1)?;
    sign_compact(headers, payload, key)
}

fn sign_compact(headers: &str, payload: &str, jwk: &str) -> Result<Value> {
    let keys = parse_jwk_set(jwk)?;
    let key = keys
        .first()
        .ok_or_else(|| anyhow!("no usable key in the JWK set"))?;
    let header = SigningHeader::read(headers).map_err(|e| anyhow!("missing or invalid 'alg' header: {e}"))?;
    let Some(alg) = header.alg else {
        bail!("missing or invalid 'alg' header: jwsbb: header \"alg\" not found");
    };
    let alg = alg.map_err(|kind| anyhow!("missing or invalid 'alg' header: value doesn't contain string; it contains {kind}"))?;
    let spec = algorithm(&alg).ok_or_else(|| anyhow!("unknown JWS algorithm: {alg}"))?;
    if header.typ.as_deref().is_none_or(|typ| typ == "JWT")
        && serde_json::from_str::<serde::de::IgnoredAny>(payload).is_err()
    {
        bail!("type is JWT but payload is not JSON");
    }
    let input = format!(
        "{}.{}",
        URL_RAW.encode(headers.as_bytes()),
        URL_RAW.encode(payload.as_bytes())
    );
    let signature = sign(spec, &key.material, input.as_bytes())
        .map_err(|e| anyhow!("failed to sign Payload: {e}"))?;
    Ok(Value::from(format!(
        "{input}.{}",
        URL_RAW.encode(&signature)
    )))
}

/// What OPA 1.2x reads of a header it signs (`jwsbb.HeaderParse` and `HeaderGetString`, on valyala's
/// fastjson): the first `alg` and `typ` of a JSON object, nothing else, and no other checks.
struct SigningHeader {
    /// `None` when absent (or the text is not an object); `Err` names the JSON type of a non-string.
    alg: Option<Result<String, &'static str>>,
    /// `None` when absent or not a string.
    typ: Option<String>,
}

impl SigningHeader {
    /// Reads `text`, failing with fastjson's reasons where it cannot be read.
    fn read(text: &str) -> Result<SigningHeader> {
        const JSON_SPACE: &[char] = &[' ', '\t', '\n', '\r'];
        let trimmed = text.trim_start_matches(JSON_SPACE);
        if trimmed.trim_end_matches(JSON_SPACE).is_empty() {
            bail!("cannot parse JSON: cannot parse empty string");
        }
        let mut values = serde_json::Deserializer::from_str(trimmed).into_iter::<FirstFields>();
        let fields = match values.next() {
            Some(Ok(fields)) => fields,
            // fastjson reads anything that starts like a number as one, without checking it.
            Some(Err(_)) if trimmed.starts_with(|c: char| c == '-' || c.is_ascii_digit()) => {
                let end = trimmed.find(|c: char| !(c.is_ascii_alphanumeric() || "+-.".contains(c))).unwrap_or(trimmed.len());
                let tail = trimmed[end..].trim_matches(JSON_SPACE);
                if !tail.is_empty() {
                    bail!("unexpected tail: {}", super::args::go_quote(tail));
                }
                return Ok(SigningHeader { alg: None, typ: None });
            }
            Some(Err(e)) => bail!("cannot parse JSON: {e}"),
            None => bail!("cannot parse JSON: cannot parse empty string"),
        };
        let tail = trimmed[values.byte_offset()..].trim_matches(JSON_SPACE);
        if !tail.is_empty() {
            bail!("unexpected tail: {}", super::args::go_quote(tail));
        }
        Ok(SigningHeader { alg: fields.alg, typ: fields.typ.and_then(Result::ok) })
    }
}

/// The first `alg` and `typ` of a JSON value (fastjson's lookups find the first of a duplicated key); any
/// other value has neither.
#[derive(Default)]
struct FirstFields {
    alg: Option<Result<String, &'static str>>,
    typ: Option<Result<String, &'static str>>,
}

impl<'de> serde::Deserialize<'de> for FirstFields {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = FirstFields;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON value")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<FirstFields, A::Error> {
                let mut fields = FirstFields::default();
                while let Some(key) = map.next_key::<String>()? {
                    let value: serde_json::Value = map.next_value()?;
                    let slot = match key.as_str() {
                        "alg" => &mut fields.alg,
                        "typ" => &mut fields.typ,
                        _ => continue,
                    };
                    if slot.is_none() {
                        *slot = Some(match value {
                            serde_json::Value::String(s) => Ok(s),
                            other => Err(fastjson_type(&other)),
                        });
                    }
                }
                Ok(fields)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<FirstFields, A::Error> {
                while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                Ok(FirstFields::default())
            }
            fn visit_str<E>(self, _: &str) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
            fn visit_bool<E>(self, _: bool) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
            fn visit_i64<E>(self, _: i64) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
            fn visit_u64<E>(self, _: u64) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
            fn visit_f64<E>(self, _: f64) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
            fn visit_unit<E>(self) -> Result<FirstFields, E> {
                Ok(FirstFields::default())
            }
        }
        deserializer.deserialize_any(Visit)
    }
}

/// fastjson's name for the type of a JSON value.
fn fastjson_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(true) => "true",
        serde_json::Value::Bool(false) => "false",
        serde_json::Value::Number(_) => "number",
        serde_json::Value::String(_) => "string",
        serde_json::Value::Array(_) => "array",
        serde_json::Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A token and secret from OPA's conformance cases (jwtbuiltins, jwtverifyhs256).
    const HS256_TOKEN: &str = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwIiwiaXNzIjoib3BhIn0.XmVoLoHI3pxMtMO_WRONMSJzGUDP9pDjy8Jp0_tdRXY";

    fn call(f: Builtin, args: Vec<Value>) -> Result<Value> {
        f(&args)
    }

    #[test]
    fn decode_returns_header_payload_and_hex_signature() {
        let v = call(decode, vec![Value::from(HS256_TOKEN)]).unwrap();
        let want = Value::from_json_str(
            r#"[{"alg":"HS256","typ":"JWT"},{"iss":"opa","sub":"0"},"5e65682e81c8de9c4cb4c3bf59138d3122731940cff690e3cbc269d3fb5d4576"]"#,
        )
        .unwrap();
        assert_eq!(v, want);
    }

    #[test]
    fn decode_errors_match_opa() {
        let e = |t: &str| call(decode, vec![Value::from(t)]).unwrap_err().to_string();
        assert_eq!(e("abc"), "encoded JWT had no period separators");
        assert_eq!(e("a.b"), "encoded JWT must have 3 sections, found 2");
        assert_eq!(
            e("eyJhbGciOiJIU^%zI1NiI+sInR5cCI6IkpXVCJ9.e30.e30"),
            "JWT header had invalid encoding: illegal base64 data at input byte 13"
        );
    }

    // Expected tokens are those of OPA's jwtencodesign conformance cases (RFC 7515 appendix A).
    const OCT_KEY: &str = r#"{"k": "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow", "kty": "oct"}"#;
    const CLAIMS: &str = r#"{"aud": ["bob", "saul"], "exp": 1300819380, "http://example.com/is_root": true, "iss": "joe", "privateParams": {"private_one": "one", "private_two": "two"}}"#;

    #[test]
    fn encode_sign_hs256_equals_opa() {
        let v = |s: &str| Value::from_json_str(s).unwrap();
        let token = call(
            encode_sign,
            vec![
                v(r#"{"alg": "HS256", "typ": "JWT"}"#),
                v(CLAIMS),
                v(OCT_KEY),
            ],
        )
        .unwrap();
        assert_eq!(
            token,
            Value::from("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhdWQiOlsiYm9iIiwic2F1bCJdLCJleHAiOjEzMDA4MTkzODAsImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlLCJpc3MiOiJqb2UiLCJwcml2YXRlUGFyYW1zIjp7InByaXZhdGVfb25lIjoib25lIiwicHJpdmF0ZV90d28iOiJ0d28ifX0.-Or2eol8bzly-Ztb0v7_7UkcKBkN_aNNpK33HK0MeOY")
        );
        let empty = call(
            encode_sign,
            vec![v(r#"{"alg": "HS256", "typ": "JWT"}"#), v("{}"), v(OCT_KEY)],
        )
        .unwrap();
        assert_eq!(empty, Value::from("eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.e30.6cvao8lnOu6FAdK68jQFcDMXOmaWNwWiYhCgijd-AD8"));
    }

    #[test]
    fn encode_sign_rs256_equals_opa_and_verifies() {
        let jwk = r#"{"d": "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ", "e": "AQAB", "kty": "RSA", "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ", "p": "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc", "q": "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc"}"#;
        let v = |s: &str| Value::from_json_str(s).unwrap();
        let token = call(
            encode_sign,
            vec![v(r#"{"alg": "RS256"}"#), v(CLAIMS), v(jwk)],
        )
        .unwrap();
        assert!(token.as_string().unwrap().ends_with(".kvCjo2z80h4YO3umCn3iayUXEnBGgw-Nk4-cYNPWagW4SAg34nZSonUt9Kpnc5h0s6LpJAnam1xuEezk-2VRPnu05foQdWTDKJAze-9vZ0wr0L_KyXLZaW0vVfehdGpPgJj_FqVfgnc-hXdL0RADfrKjApsrO7oHpv-Ii3u7oKwauzq5oQ2AXt4cp6ahu8VhOBGQiPXtV98Yw3U3NBetMX-I_qR6-UGsN6Z0pRO0bsdk1ANvMiHT6Y04x8nh4kzk5pfv71ACgnxrs1zxwg7YfYzm2tQXGceu7fwI9sqO_jz2c8RvMsg4u8q0js58F-gR1SVjmTyipnXv0tAGzpZnhg"));
        // The public half of that key verifies the token, and PS256 (randomised) round-trips.
        let public = r#"{"kty": "RSA", "e": "AQAB", "n": "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ"}"#;
        let verify_rs256 = BUILTINS
            .iter()
            .find(|b| b.0 == "io.jwt.verify_rs256")
            .unwrap()
            .2;
        assert_eq!(
            verify_rs256(&[token.clone(), Value::from(public)]).unwrap(),
            Value::from(true)
        );
        let ps = call(
            encode_sign,
            vec![v(r#"{"alg": "PS256"}"#), v(CLAIMS), v(jwk)],
        )
        .unwrap();
        let verify_ps256 = BUILTINS
            .iter()
            .find(|b| b.0 == "io.jwt.verify_ps256")
            .unwrap()
            .2;
        assert_eq!(
            verify_ps256(&[ps.clone(), Value::from(public)]).unwrap(),
            Value::from(true)
        );
        assert_eq!(
            verify_rs256(&[ps, Value::from(public)]).unwrap(),
            Value::from(false)
        );
    }

    #[test]
    fn decode_verify_checks_claims() {
        let key = r#"{"kty":"oct","k":"c2VjcmV0"}"#;
        let sign_with = |payload: &str| {
            call(
                encode_sign_raw,
                vec![
                    Value::from(r#"{"alg":"HS256"}"#),
                    Value::from(payload),
                    Value::from(key),
                ],
            )
            .unwrap()
        };
        let check = |token: &Value, constraints: &str| {
            call(
                decode_verify,
                vec![token.clone(), Value::from_json_str(constraints).unwrap()],
            )
            .unwrap()[0]
                .clone()
        };
        let token = sign_with(r#"{"iss":"me","aud":["a","b"],"exp":2000,"nbf":1000}"#);
        let at = |s: u64| format!(r#"{{"secret":"secret","time":{}}}"#, s * 1_000_000_000);
        assert_eq!(
            check(&token, &at(1500)),
            Value::from(false),
            "an aud claim needs an aud constraint"
        );
        let with = |extra: &str, s: u64| {
            format!(
                r#"{{"secret":"secret","time":{},{extra}}}"#,
                s * 1_000_000_000
            )
        };
        assert_eq!(
            check(&token, &with(r#""aud":"b""#, 1500)),
            Value::from(true)
        );
        assert_eq!(
            check(&token, &with(r#""aud":"c""#, 1500)),
            Value::from(false)
        );
        assert_eq!(
            check(&token, &with(r#""aud":"a","iss":"me""#, 1500)),
            Value::from(true)
        );
        assert_eq!(
            check(&token, &with(r#""aud":"a","iss":"you""#, 1500)),
            Value::from(false)
        );
        assert_eq!(
            check(&token, &with(r#""aud":"a""#, 2000)),
            Value::from(false),
            "expired at exp"
        );
        assert_eq!(
            check(&token, &with(r#""aud":"a""#, 999)),
            Value::from(false),
            "not yet valid"
        );
        assert_eq!(
            check(&token, &with(r#""aud":"a","alg":"HS512""#, 1500)),
            Value::from(false)
        );
        let e = call(
            decode_verify,
            vec![
                token.clone(),
                Value::from_json_str(r#"{"secret":"x","bogus":1}"#).unwrap(),
            ],
        );
        assert_eq!(
            e.unwrap_err().to_string(),
            "unknown token validation constraint: bogus"
        );
        let e = call(
            decode_verify,
            vec![token, Value::from_json_str(r#"{}"#).unwrap()],
        );
        assert_eq!(e.unwrap_err().to_string(), "no key constraint");
    }
}
