//! `providers.aws.sign_req(request, config, time_ns)`, which regorus 0.14.1 lacks: the request
//! object of `http.send` with AWS Signature Version 4 headers added, as OPA signs it
//! (topdown/providers.go and internal/providers/aws/signing_v4.go of v1.22.4).
//!
//! The canonical request is the method as given, Go's escaped path and raw query of the URL, every
//! header lower-cased and sorted (the request's own, except `authorization`, `user-agent` and
//! `x-amzn-trace-id`, over the signature's `host`, `x-amz-date`, `x-amz-content-sha256` for `s3`
//! and `glacier`, and `x-amz-security-token` with a session token), the signed header names, and
//! the payload's SHA-256 (or `UNSIGNED-PAYLOAD` with `disable_payload_signing`). The payload is
//! `raw_body` if given, else `body` as Go's `json.Marshal` writes it. The answer is the request
//! with its headers replaced by: its own, `Authorization`, then the signature's headers (which win
//! over a request header of the same name, as in OPA).

use std::collections::BTreeMap;

use anyhow::{bail, Result};
use hmac::{Hmac, KeyInit, Mac};
use regorus::value::Object;
use regorus::Value;
use sha2::{Digest, Sha256};

use super::args::{go_quote, type_name};
use super::encoding::{go_json, hex};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[("providers.aws.sign_req", 3, sign_req)];

/// The config keys OPA requires, in the order its error messages list them.
const REQUIRED_CONFIG: [&str; 4] = ["aws_access_key", "aws_region", "aws_secret_access_key", "aws_service"];

/// The request keys `http.send` accepts, which OPA also checks here.
const REQUEST_KEYS: [&str; 28] = [
    "method", "url", "body", "enable_redirect", "force_json_decode", "force_yaml_decode", "headers", "raw_body",
    "tls_use_system_certs", "tls_ca_cert", "tls_ca_cert_file", "tls_ca_cert_env_variable", "tls_client_cert",
    "tls_client_cert_file", "tls_client_cert_env_variable", "tls_client_key", "tls_client_key_file",
    "tls_client_key_env_variable", "tls_insecure_skip_verify", "tls_server_name", "timeout", "cache", "force_cache",
    "force_cache_duration_seconds", "raise_error", "caching_mode", "max_retry_attempts", "cache_ignored_headers",
];

/// Request headers left out of the signature: proxies may change them on the way.
const UNSIGNED_HEADERS: [&str; 3] = ["authorization", "user-agent", "x-amzn-trace-id"];

fn sign_req(args: &[Value]) -> Result<Value> {
    // OPA's own checks and their order; it names the config and the time "operand 1" in type errors.
    let Value::Object(request) = &args[0] else {
        bail!("operand 1 must be object but got {}", type_name(&args[0]));
    };
    let Value::Object(config) = &args[1] else {
        bail!("operand 1 must be object but got {}", type_name(&args[1]));
    };
    let field = |object: &Object, key: &str| object.get(&Value::from(key)).cloned();
    let missing: Vec<&str> = REQUIRED_CONFIG.into_iter().filter(|k| field(config, k).is_none()).collect();
    if !missing.is_empty() {
        bail!("operand 2 missing required AWS config parameters(s): {}", go_set(&missing));
    }
    let not_text: Vec<&str> =
        REQUIRED_CONFIG.into_iter().filter(|k| !matches!(field(config, k), Some(Value::String(_)))).collect();
    if !not_text.is_empty() {
        bail!("operand 2 invalid values for required AWS config parameters(s): {}", go_set(&not_text));
    }
    let text = |object: &Object, key: &str| field(object, key).as_ref().map_or_else(String::new, plain_text);
    let credentials = Credentials {
        access_key: text(config, "aws_access_key"),
        secret_key: text(config, "aws_secret_access_key"),
        region: text(config, "aws_region"),
        session_token: text(config, "aws_session_token"),
    };
    let service = text(config, "aws_service");
    let time_ns = match &args[2] {
        // Go's json.Number.Int64: the number's text must be a whole int64 (`-1e9` is not).
        number @ Value::Number(_) => serde_json::to_string(number)?.parse::<i64>().ok(),
        other => bail!("operand 1 must be number but got {}", type_name(other)),
    };
    let Some(time_ns) = time_ns else {
        bail!("operand 3 could not convert time_ns value into a unix timestamp");
    };
    check_request_keys(request)?;
    let headers = match field(request, "headers") {
        None => BTreeMap::new(),
        Some(Value::Object(headers)) => {
            super::limits::check_printable_times(&Value::Object(headers.clone()), "the request headers", 2)?;
            headers.iter().map(|(k, v)| (plain_text(k), plain_text(v))).collect()
        }
        Some(other) => bail!("operand 0 must be object but got {}", type_name(&other)),
    };
    let url = field(request, "url");
    let method = field(request, "method");
    let mut invalid = Vec::new();
    if !matches!(method, Some(Value::String(_))) {
        invalid.push("method");
    }
    if !matches!(url, Some(Value::String(_))) {
        invalid.push("url");
    }
    if !invalid.is_empty() {
        bail!("operand 1 invalid values for required request parameters(s): {}", go_set(&invalid));
    }
    let (host, path, query) = super::uri::signed_parts(&text(request, "url"))?;
    let payload = match (field(request, "raw_body"), field(request, "body")) {
        (Some(raw), _) => plain_text(&raw).into_bytes(),
        (None, Some(body)) => {
            // Go's HTML-safe JSON: up to 6 bytes a character (`<` is `\u003c`).
            super::limits::check_printable_times(&body, "the request body", 6)?;
            go_json(&body)?.into_bytes()
        }
        (None, None) => Vec::new(),
    };
    let unsigned_payload = match field(config, "disable_payload_signing") {
        None => false,
        Some(Value::Bool(disable)) => disable,
        Some(_) => bail!("operand 2 invalid value for 'disable_payload_signing' in AWS config"),
    };
    let signature = Signature::new(time_ns, &service, &credentials, &host, unsigned_payload, &payload);
    let authorization = signature.authorization(&text(request, "method"), &path, &query, &headers);

    let mut signed_headers: BTreeMap<Value, Value> =
        headers.into_iter().map(|(k, v)| (Value::from(k), Value::from(v))).collect();
    signed_headers.insert(Value::from("Authorization"), Value::from(authorization));
    for (k, v) in signature.headers {
        signed_headers.insert(Value::from(k), Value::from(v));
    }
    let mut signed = Object::clone(request);
    signed.insert(Value::from("headers"), Value::from(signed_headers));
    Ok(Value::Object(regorus::Rc::new(signed)))
}

/// OPA's `validateHTTPRequestOperand`: only `http.send`'s keys, and `method` and `url` present.
fn check_request_keys(request: &Object) -> Result<()> {
    let mut unknown = Vec::new();
    for key in request.keys().filter(|k| !matches!(k, Value::String(s) if REQUEST_KEYS.contains(&&**s))) {
        unknown.push(match key {
            Value::String(s) => go_quote(s),
            other => {
                // A key made of shared parts can be gigabytes as text: claimed before it is printed.
                super::limits::check_printable_times(other, "a request key", 1)?;
                other.to_string()
            }
        });
    }
    if !unknown.is_empty() {
        bail!("operand 1 invalid request parameters(s): {{{}}}", unknown.join(", "));
    }
    let missing: Vec<&str> = ["method", "url"].into_iter().filter(|k| !request.contains_key(&Value::from(*k))).collect();
    if !missing.is_empty() {
        bail!("operand 1 missing required request parameters(s): {}", go_set(&missing));
    }
    Ok(())
}

/// A string's text; any other value counts as empty, as in OPA.
fn plain_text(value: &Value) -> String {
    match value {
        Value::String(s) => s.to_string(),
        _ => String::new(),
    }
}

/// An OPA set of strings as `%v` prints it: `{"a", "b"}` (the names come sorted).
fn go_set(names: &[&str]) -> String {
    format!("{{{}}}", names.iter().map(|n| go_quote(n)).collect::<Vec<_>>().join(", "))
}

struct Credentials {
    access_key: String,
    secret_key: String,
    region: String,
    /// Empty without one.
    session_token: String,
}

/// What one signature is made of: its time, scope and the headers it adds.
struct Signature<'a> {
    credentials: &'a Credentials,
    service: &'a str,
    /// `20151228` and `20151228T140825Z`.
    date: String,
    timestamp: String,
    content_sha256: String,
    headers: BTreeMap<&'static str, String>,
}

impl<'a> Signature<'a> {
    fn new(
        time_ns: i64,
        service: &'a str,
        credentials: &'a Credentials,
        host: &str,
        unsigned_payload: bool,
        payload: &[u8],
    ) -> Self {
        let (date, time) = utc_date_time(time_ns);
        let timestamp = format!("{date}T{time}Z");
        let content_sha256 =
            if unsigned_payload { "UNSIGNED-PAYLOAD".to_string() } else { hex(&Sha256::digest(payload)) };
        let mut headers = BTreeMap::from([("host", host.to_string()), ("x-amz-date", timestamp.clone())]);
        if service == "s3" || service == "glacier" {
            headers.insert("x-amz-content-sha256", content_sha256.clone());
        }
        if !credentials.session_token.is_empty() {
            headers.insert("x-amz-security-token", credentials.session_token.clone());
        }
        Signature { credentials, service, date, timestamp, content_sha256, headers }
    }

    /// The `Authorization` header of the request.
    fn authorization(&self, method: &str, path: &str, query: &str, request_headers: &BTreeMap<String, String>) -> String {
        // The signature's headers, then the request's (lower-cased) over them.
        let mut signed: BTreeMap<String, &str> = self.headers.iter().map(|(k, v)| (k.to_string(), v.as_str())).collect();
        for (name, value) in request_headers {
            let name = name.to_lowercase();
            if !UNSIGNED_HEADERS.contains(&name.as_str()) {
                signed.insert(name, value);
            }
        }
        let names = signed.keys().map(String::as_str).collect::<Vec<_>>().join(";");
        let mut canonical = format!("{method}\n{path}\n{query}\n");
        for (name, value) in &signed {
            canonical.push_str(&format!("{name}:{value}\n"));
        }
        canonical.push_str(&format!("\n{names}\n{}", self.content_sha256));

        let Credentials { access_key, secret_key, region, .. } = self.credentials;
        let scope = format!("{}/{region}/{}/aws4_request", self.date, self.service);
        let to_sign = format!("AWS4-HMAC-SHA256\n{}\n{scope}\n{}", self.timestamp, hex(&Sha256::digest(&canonical)));
        let mut key = hmac_sha256(format!("AWS4{secret_key}").as_bytes(), &self.date);
        for part in [region.as_str(), self.service, "aws4_request"] {
            key = hmac_sha256(&key, part);
        }
        let signature = hex(&hmac_sha256(&key, &to_sign));
        format!("AWS4-HMAC-SHA256 Credential={access_key}/{scope},SignedHeaders={names},Signature={signature}")
    }
}

fn hmac_sha256(key: &[u8], message: &str) -> Vec<u8> {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(key).expect("HMAC takes a key of any length");
    mac.update(message.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// `time_ns` after the Unix epoch in UTC, as `YYYYMMDD` and `HHMMSS`.
fn utc_date_time(time_ns: i64) -> (String, String) {
    let seconds = time_ns.div_euclid(1_000_000_000);
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    // Days to the proleptic Gregorian calendar, counting in 400-year eras from 0000-03-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era = (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 { month_from_march + 3 } else { month_from_march - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let (hour, minute, second) = (second_of_day / 3_600, second_of_day / 60 % 60, second_of_day % 60);
    (format!("{year:04}{month:02}{day:02}"), format!("{hour:02}{minute:02}{second:02}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(extra: (&str, Value)) -> Value {
        let mut request = Object::new();
        request.insert(Value::from("method"), Value::from("get"));
        request.insert(Value::from("url"), Value::from("http://example.com/a%2Fb?x=1"));
        request.insert(Value::from(extra.0), extra.1);
        Value::Object(regorus::Rc::new(request))
    }

    fn config() -> Value {
        let mut config = Object::new();
        for key in REQUIRED_CONFIG {
            config.insert(Value::from(key), Value::from("v"));
        }
        Value::Object(regorus::Rc::new(config))
    }

    #[test]
    fn a_body_or_headers_too_large_to_write_out_are_refused_before_any_copy() {
        // A million references to one 100 KB string: 100 GB of text, a few MB of value.
        let big = Value::from("x".repeat(100_000));
        let many = Value::from(vec![big.clone(); 1_000_000]);
        let headers: std::collections::BTreeMap<Value, Value> =
            (0..1_000_000).map(|i| (Value::from(format!("h{i}")), big.clone())).collect();
        for extra in [("body", many), ("headers", Value::from(headers))] {
            let name = extra.0;
            let error = super::super::limits::with_memory_limit(64 << 20, || sign_req(&[request(extra), config(), Value::from(0)]))
                .expect_err(name);
            assert!(error.to_string().contains("memory"), "{name}: {error}");
        }
    }

    #[test]
    fn an_unknown_key_too_large_to_print_is_refused_before_it_is_printed() {
        // A million references to one 100 KB string as a key: 100 GB once printed in the error.
        let key = Value::from(vec![Value::from("x".repeat(100_000)); 1_000_000]);
        let error = super::super::limits::with_memory_limit(64 << 20, || sign_req(&[request((" ", Value::Null)), config(), Value::from(0)]))
            .unwrap_err();
        assert!(error.to_string().contains("invalid request parameters(s): {\" \"}"), "{error}");
        let Value::Object(mut fields) = request((" ", Value::Null)) else { unreachable!() };
        let fields = regorus::Rc::make_mut(&mut fields);
        fields.remove(&Value::from(" "));
        fields.insert(key, Value::Null);
        let object = Value::Object(regorus::Rc::new(fields.clone()));
        let error = super::super::limits::with_memory_limit(64 << 20, || sign_req(&[object, config(), Value::from(0)]))
            .unwrap_err();
        assert!(error.to_string().contains("memory"), "{error}");
    }

    #[test]
    fn the_scope_comes_from_the_config_and_time_and_the_host_from_the_url() {
        let signed = sign_req(&[request(("headers", Value::new_object())), config(), Value::from(0)]).unwrap();
        let authorization = signed["headers"]["Authorization"].as_string().unwrap().to_string();
        assert!(authorization.starts_with("AWS4-HMAC-SHA256 Credential=v/19700101/v/v/aws4_request,SignedHeaders=host;x-amz-date,"));
        assert_eq!(signed["headers"]["host"], Value::from("example.com"));
    }

    #[test]
    fn dates_are_utc_calendar_days() {
        assert_eq!(utc_date_time(1_451_311_705_000_000_000), ("20151228".into(), "140825".into()));
        assert_eq!(utc_date_time(0), ("19700101".into(), "000000".into()));
        assert_eq!(utc_date_time(-1), ("19691231".into(), "235959".into()));
        assert_eq!(utc_date_time(951_782_400_000_000_000), ("20000229".into(), "000000".into()));
        assert_eq!(utc_date_time(i64::MAX), ("22620411".into(), "234716".into()));
    }
}
