//! X.509 certificates and certificate requests as OPA returns them: Go's `x509.Certificate` and
//! `x509.CertificateRequest` marshalled to JSON (every exported field, Go's zero values included:
//! `null` for an absent list, `-1` for an absent path length, byte strings in base64, big integers as
//! numbers). Parsing follows Go's `crypto/x509/parser.go`: the same fields, the same checks, errors
//! worded as Go words them.

use std::collections::{BTreeMap, HashSet};

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::der::*;
use crate::builtins::encoding::STD_PADDED;

pub(super) fn s(text: &str) -> Value {
    Value::from(text)
}

pub(super) fn n(number: i64) -> Value {
    Value::from(number)
}

pub(super) fn b64(bytes: &[u8]) -> Value {
    Value::from(STD_PADDED.encode(bytes))
}

/// A Go slice: `null` when nil.
fn list(items: Option<Vec<Value>>) -> Value {
    items.map_or(Value::Null, Value::from)
}

pub(super) fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::from(fields.into_iter().map(|(k, v)| (Value::from(k), v)).collect::<BTreeMap<_, _>>())
}

fn oid_value(arcs: &[u64]) -> Value {
    Value::from(arcs.iter().map(|&a| Value::from(a)).collect::<Vec<_>>())
}

fn oid_text(arcs: &[u64]) -> String {
    arcs.iter().map(u64::to_string).collect::<Vec<_>>().join(".")
}

/// A big integer from its two's-complement bytes, as a number of any size.
pub(super) fn big(bytes: &[u8]) -> Value {
    let negative = bytes.first().is_some_and(|b| b & 0x80 != 0);
    let magnitude = if negative {
        // Two's complement back to the magnitude.
        let mut m: Vec<u8> = bytes.iter().map(|b| !b).collect();
        for byte in m.iter_mut().rev() {
            let (sum, carry) = byte.overflowing_add(1);
            *byte = sum;
            if !carry {
                break;
            }
        }
        m
    } else {
        bytes.to_vec()
    };
    let text = format!("{}{}", if negative { "-" } else { "" }, decimal(&magnitude));
    crate::json::parse(&text).unwrap_or(Value::Null)
}

/// A big integer from its unsigned big-endian bytes.
pub(super) fn unsigned(bytes: &[u8]) -> Value {
    big(&[&[0u8][..], bytes].concat())
}

/// An unsigned big-endian number in decimal.
pub(super) fn decimal(magnitude: &[u8]) -> String {
    let mut limbs: Vec<u32> = Vec::new(); // base 2^32, most significant first
    for chunk in magnitude.rchunks(4).rev() {
        limbs.push(chunk.iter().fold(0u32, |n, &b| n << 8 | u32::from(b)));
    }
    let mut parts = Vec::new(); // base 10^9, least significant first
    while limbs.iter().any(|&l| l != 0) {
        let mut remainder = 0u64;
        for limb in limbs.iter_mut() {
            let value = remainder << 32 | u64::from(*limb);
            *limb = (value / 1_000_000_000) as u32;
            remainder = value % 1_000_000_000;
        }
        parts.push(remainder as u32);
    }
    let Some(last) = parts.pop() else { return "0".to_string() };
    let mut out = last.to_string();
    for part in parts.iter().rev() {
        out.push_str(&format!("{part:09}"));
    }
    out
}

/// Go's `parseASN1String`: the string types a name or SAN may hold.
fn asn1_string(tag: u8, value: &[u8]) -> Result<String> {
    let text = || String::from_utf8(value.to_vec()).map_err(|_| anyhow!("invalid UTF-8 string"));
    match tag {
        0x14 => Ok(value.iter().map(|&b| char::from(b)).collect()), // T61String, as Latin-1
        0x13 => {
            if !value.iter().all(|&b| b.is_ascii_alphanumeric() || b" '()+,-./:=?*&".contains(&b)) {
                bail!("invalid PrintableString");
            }
            text()
        }
        0x0c => text(),
        0x1e => {
            if !value.len().is_multiple_of(2) {
                bail!("invalid BMPString");
            }
            let mut units: Vec<u16> = value.chunks(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
            if units.last() == Some(&0) {
                units.pop();
            }
            String::from_utf16(&units).map_err(|_| anyhow!("invalid BMPString"))
        }
        0x16 => {
            if !value.is_ascii() {
                bail!("invalid IA5String");
            }
            text()
        }
        0x12 => {
            if !value.iter().all(|&b| b.is_ascii_digit() || b == b' ') {
                bail!("invalid NumericString");
            }
            text()
        }
        _ => bail!("unsupported string type: {tag}"),
    }
}

/// Go's `pkix.Name` filled from an RDN sequence.
fn name(raw: &[u8]) -> Result<Value> {
    let malformed = "x509: invalid RDNSequence";
    let mut seq = need(Der(raw).read(SEQUENCE), malformed)?;
    let mut names = Vec::new();
    let mut fields: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    let (mut common_name, mut serial_number) = (String::new(), String::new());
    while !seq.is_empty() {
        let mut set = need(seq.read(SET), "x509: invalid RDNSequence: invalid RDN")?;
        while !set.is_empty() {
            let mut atav = need(set.read(SEQUENCE), "x509: invalid RDNSequence: invalid attribute")?;
            let oid = need(atav.oid(), "x509: invalid RDNSequence: invalid attribute type")?;
            let (tag, _, value) = need(atav.any(), "x509: invalid RDNSequence: invalid attribute value")?;
            let value = asn1_string(tag, value).map_err(|e| anyhow!("x509: invalid RDNSequence: invalid attribute value: {e}"))?;
            names.push(object([("Type", oid_value(&oid)), ("Value", s(&value))]));
            if let [2, 5, 4, arc] = oid.as_slice() {
                let field = match arc {
                    3 => {
                        common_name = value;
                        continue;
                    }
                    5 => {
                        serial_number = value;
                        continue;
                    }
                    6 => "Country",
                    7 => "Locality",
                    8 => "Province",
                    9 => "StreetAddress",
                    10 => "Organization",
                    11 => "OrganizationalUnit",
                    17 => "PostalCode",
                    _ => continue,
                };
                fields.entry(field).or_default().push(value);
            }
        }
    }
    let mut out: BTreeMap<Value, Value> = BTreeMap::new();
    for field in ["Country", "Organization", "OrganizationalUnit", "Locality", "Province", "StreetAddress", "PostalCode"] {
        let values = fields.remove(field).map(|v| v.iter().map(|t| s(t)).collect());
        out.insert(s(field), list(values));
    }
    out.insert(s("CommonName"), s(&common_name));
    out.insert(s("SerialNumber"), s(&serial_number));
    out.insert(s("Names"), list((!names.is_empty()).then_some(names)));
    out.insert(s("ExtraNames"), Value::Null);
    Ok(Value::from(out))
}

/// An AlgorithmIdentifier: its OID and its parameters' whole encoding (empty when absent).
fn algorithm_identifier(der: Der) -> Result<(Vec<u64>, Vec<u8>)> {
    let mut der = der;
    let oid = need(der.oid(), "x509: malformed OID")?;
    let params = der.any().map(|(_, whole, _)| whole.to_vec()).unwrap_or_default();
    Ok((oid, params))
}

/// Go's `SignatureAlgorithm` number for an AlgorithmIdentifier.
fn signature_algorithm(oid: &[u64], params: &[u8]) -> i64 {
    const RSA: [u64; 6] = [1, 2, 840, 113549, 1, 1];
    const ECDSA: [u64; 6] = [1, 2, 840, 10045, 4, 3];
    match oid {
        [1, 2, 840, 113549, 1, 1, last] => match last {
            2 => 1,
            4 => 2,
            5 => 3,
            11 => 4,
            12 => 5,
            13 => 6,
            10 => pss_algorithm(params),
            _ => 0,
        },
        [1, 3, 14, 3, 2, 29] => 3,
        [1, 2, 840, 10040, 4, 3] => 7,
        [2, 16, 840, 1, 101, 3, 4, 3, 2] => 8,
        [1, 2, 840, 10045, 4, 1] => 9,
        [a, b, c, d, e, f, last] if [*a, *b, *c, *d, *e, *f] == ECDSA => match last {
            2 => 10,
            3 => 11,
            4 => 12,
            _ => 0,
        },
        [1, 3, 101, 112] => 16,
        _ => {
            let _ = RSA;
            0
        }
    }
}

/// RSASSA-PSS with SHA-256/384/512, MGF1 of the same hash and a salt of the hash's length (the only
/// PSS parameters Go recognises); anything else is unknown (0).
fn pss_algorithm(params: &[u8]) -> i64 {
    let parse = || -> Option<i64> {
        let mut seq = Der(params).read(SEQUENCE)?;
        let mut hash = seq.read(context_constructed(0))?.read(SEQUENCE)?;
        let hash_oid = hash.oid()?;
        let mut mgf = seq.read(context_constructed(1))?.read(SEQUENCE)?;
        if mgf.oid()? != [1, 2, 840, 113549, 1, 1, 8] {
            return None;
        }
        let mut mgf_hash = mgf.read(SEQUENCE)?;
        if mgf_hash.oid()? != hash_oid {
            return None;
        }
        let salt = seq.read(context_constructed(2))?.int64(INTEGER)?;
        let trailer = match seq.optional(context_constructed(3))? {
            Some(mut t) => t.int64(INTEGER)?,
            None => 1,
        };
        let (algorithm, length) = match hash_oid.as_slice() {
            [2, 16, 840, 1, 101, 3, 4, 2, 1] => (13, 32),
            [2, 16, 840, 1, 101, 3, 4, 2, 2] => (14, 48),
            [2, 16, 840, 1, 101, 3, 4, 2, 3] => (15, 64),
            _ => return None,
        };
        (salt == length && trailer == 1).then_some(algorithm)
    };
    parse().unwrap_or(0)
}

/// Go's `PublicKeyAlgorithm` number and the key as Go marshals it.
fn public_key(spki: Der) -> Result<(i64, Value)> {
    let mut spki = spki;
    let ai = need(spki.read(SEQUENCE), "x509: malformed public key algorithm identifier")?;
    let (oid, params) = algorithm_identifier(ai)?;
    let (key, bits) = need(spki.bit_string(), "x509: malformed subjectPublicKey")?;
    if bits % 8 != 0 {
        bail!("x509: malformed subjectPublicKey");
    }
    match oid.as_slice() {
        [1, 2, 840, 113549, 1, 1, 1] => {
            if !matches!(params.as_slice(), [] | [0x05, 0x00]) {
                bail!("x509: RSA key missing NULL parameters");
            }
            let mut seq = need(Der(&key).read(SEQUENCE), "x509: invalid RSA public key")?;
            let modulus = need(seq.integer_bytes(INTEGER), "x509: invalid RSA modulus")?;
            let exponent = need(seq.int64(INTEGER), "x509: invalid RSA public exponent")?;
            if modulus[0] & 0x80 != 0 {
                bail!("x509: RSA modulus is not a positive number");
            }
            if exponent <= 0 || exponent > i64::from(i32::MAX) {
                bail!("x509: RSA public exponent is not a positive number");
            }
            Ok((1, object([("N", big(modulus)), ("E", n(exponent))])))
        }
        [1, 2, 840, 10045, 2, 1] => {
            let curve = need(Der(&params).oid(), "x509: invalid ECDSA parameters")?;
            let size = match curve.as_slice() {
                [1, 3, 132, 0, 33] => 28,
                [1, 2, 840, 10045, 3, 1, 7] => 32,
                [1, 3, 132, 0, 34] => 48,
                [1, 3, 132, 0, 35] => 66,
                _ => bail!("x509: unsupported elliptic curve"),
            };
            if key.len() != 1 + 2 * size || key[0] != 4 || !on_curve(&curve, &key) {
                bail!("x509: failed to unmarshal elliptic curve point");
            }
            let point = (unsigned(&key[1..1 + size]), unsigned(&key[1 + size..]));
            Ok((3, object([("Curve", Value::from(BTreeMap::<Value, Value>::new())), ("X", point.0), ("Y", point.1)])))
        }
        [1, 3, 101, 112] => {
            if !params.is_empty() {
                bail!("x509: Ed25519 key encoded with illegal parameters");
            }
            if key.len() != 32 {
                bail!("x509: wrong Ed25519 public key size");
            }
            Ok((4, b64(&key)))
        }
        [1, 2, 840, 10040, 4, 1] => {
            let y = need(Der(&key).integer_bytes(INTEGER), "x509: invalid DSA public key")?;
            let mut p = need(Der(&params).read(SEQUENCE), "x509: invalid DSA parameters")?;
            let (pp, q, g) = (p.integer_bytes(INTEGER), p.integer_bytes(INTEGER), p.integer_bytes(INTEGER));
            let (Some(pp), Some(q), Some(g)) = (pp, q, g) else { bail!("x509: invalid DSA parameters") };
            // Go's dsa.PublicKey embeds its Parameters, so JSON flattens them.
            Ok((2, object([("P", big(pp)), ("Q", big(q)), ("G", big(g)), ("Y", big(y))])))
        }
        _ => Ok((0, Value::Null)),
    }
}

/// Whether an uncompressed point lies on the named curve (Go refuses a certificate whose key does not).
fn on_curve(curve: &[u64], point: &[u8]) -> bool {
    match curve {
        [1, 2, 840, 10045, 3, 1, 7] => p256::PublicKey::from_sec1_bytes(point).is_ok(),
        [1, 3, 132, 0, 34] => p384::PublicKey::from_sec1_bytes(point).is_ok(),
        [1, 3, 132, 0, 35] => p521::PublicKey::from_sec1_bytes(point).is_ok(),
        // P-224: no curve arithmetic here; Go checks it, a malformed P-224 key is taken as given.
        _ => true,
    }
}

/// A UTCTime or GeneralizedTime as Go marshals a `time.Time` (RFC 3339, in the zone written).
fn time(der: &mut Der) -> Result<String> {
    let (tag, _, value) = need(der.any(), "x509: malformed validity")?;
    let text = std::str::from_utf8(value).ok().filter(|t| t.is_ascii()).ok_or_else(|| {
        anyhow!("x509: malformed {}", if tag == GENERALIZED_TIME { "GeneralizedTime" } else { "UTCTime" })
    })?;
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let (year, rest) = match tag {
        UTC_TIME if text.len() >= 11 && digits(&text[..10]) => {
            let yy: i32 = text[..2].parse()?;
            (if yy >= 50 { 1900 + yy } else { 2000 + yy }, &text[2..])
        }
        GENERALIZED_TIME if text.len() >= 13 && digits(&text[..12]) => (text[..4].parse()?, &text[4..]),
        UTC_TIME => bail!("x509: malformed UTCTime"),
        GENERALIZED_TIME => bail!("x509: malformed GeneralizedTime"),
        _ => bail!("x509: malformed validity"),
    };
    let field = |i: usize| -> u32 { rest[i..i + 2].parse().unwrap_or(99) };
    let (month, day, hour, minute) = (field(0), field(2), field(4), field(6));
    let (second, zone) = if rest.len() >= 10 && digits(&rest[8..10]) { (field(8), &rest[10..]) } else { bail!("x509: malformed time") };
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    };
    if day == 0 || day > days_in_month || hour > 23 || minute > 59 || second > 59 {
        bail!("x509: malformed time");
    }
    let offset = match zone {
        "Z" => "Z".to_string(),
        // Go refuses a zero offset written as one, and hours or minutes out of range.
        z if z.len() == 5
            && (z.starts_with('+') || z.starts_with('-'))
            && digits(&z[1..])
            && &z[1..] != "0000"
            && z[1..3] < *"24"
            && z[3..] < *"60" =>
        {
            format!("{}{}:{}", &z[..1], &z[1..3], &z[3..])
        }
        _ => bail!("x509: malformed time"),
    };
    Ok(format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}{offset}"))
}

/// The fields that come from extensions, with Go's zero values where an extension is absent.
struct Extensions {
    fields: BTreeMap<&'static str, Value>,
    /// The lists extensions add to, each `null` in `fields` until it has an item.
    lists: BTreeMap<&'static str, Vec<Value>>,
    list: Option<Vec<Value>>,
}

const EXTENSION_FIELDS: [&str; 31] = [
    "KeyUsage",
    "IsCA",
    "MaxPathLen",
    "MaxPathLenZero",
    "BasicConstraintsValid",
    "DNSNames",
    "EmailAddresses",
    "IPAddresses",
    "URIs",
    "URIStrings",
    "PermittedDNSDomainsCritical",
    "PermittedDNSDomains",
    "ExcludedDNSDomains",
    "PermittedIPRanges",
    "ExcludedIPRanges",
    "PermittedEmailAddresses",
    "ExcludedEmailAddresses",
    "PermittedURIDomains",
    "ExcludedURIDomains",
    "CRLDistributionPoints",
    "AuthorityKeyId",
    "SubjectKeyId",
    "ExtKeyUsage",
    "UnknownExtKeyUsage",
    "Policies",
    "PolicyIdentifiers",
    "PolicyMappings",
    "OCSPServer",
    "IssuingCertificateURL",
    "UnhandledCriticalExtensions",
    "InhibitAnyPolicy",
];

impl Extensions {
    fn new() -> Extensions {
        let mut fields: BTreeMap<&'static str, Value> = EXTENSION_FIELDS.iter().map(|&f| (f, Value::Null)).collect();
        for (field, value) in [
            ("KeyUsage", n(0)),
            ("IsCA", Value::from(false)),
            ("MaxPathLen", n(0)),
            ("MaxPathLenZero", Value::from(false)),
            ("BasicConstraintsValid", Value::from(false)),
            ("PermittedDNSDomainsCritical", Value::from(false)),
            ("InhibitAnyPolicy", n(0)),
            ("InhibitAnyPolicyZero", Value::from(false)),
            ("InhibitPolicyMapping", n(0)),
            ("InhibitPolicyMappingZero", Value::from(false)),
            ("RequireExplicitPolicy", n(0)),
            ("RequireExplicitPolicyZero", Value::from(false)),
        ] {
            fields.insert(field, value);
        }
        Extensions { fields, lists: BTreeMap::new(), list: None }
    }

    fn set(&mut self, field: &'static str, value: Value) {
        self.fields.insert(field, value);
    }

    fn push(&mut self, field: &'static str, value: Value) {
        self.lists.entry(field).or_default().push(value);
    }

    /// Every field, lists included.
    fn into_fields(mut self) -> BTreeMap<&'static str, Value> {
        for (field, items) in self.lists {
            self.fields.insert(field, Value::from(items));
        }
        self.fields
    }

    /// Reads the `[3]` extensions of a certificate (or a request's extension request) and applies them.
    fn read(&mut self, mut extensions: Der, certificate: bool) -> Result<()> {
        let mut seen = HashSet::new();
        let mut list = Vec::new();
        let mut unhandled_critical = Vec::new();
        while !extensions.is_empty() {
            let mut ext = need(extensions.read(SEQUENCE), "x509: malformed extension")?;
            let oid = need(ext.oid(), "x509: malformed extension OID field")?;
            let critical = if ext.peek_tag() == Some(BOOLEAN) {
                need(ext.boolean(), "x509: malformed extension critical field")?
            } else {
                false
            };
            let value = need(ext.read(OCTET_STRING), "x509: malformed extension value field")?.0;
            if !seen.insert(oid.clone()) {
                bail!("x509: certificate contains duplicate extension with OID {}", crate::builtins::args::go_quote(&oid_text(&oid)));
            }
            list.push(object([("Id", oid_value(&oid)), ("Critical", Value::from(critical)), ("Value", b64(value))]));
            let handled = self.apply(&oid, critical, value, certificate)?;
            if critical && !handled {
                unhandled_critical.push(oid_value(&oid));
            }
        }
        if !unhandled_critical.is_empty() {
            self.set("UnhandledCriticalExtensions", Value::from(unhandled_critical));
        }
        // Go appends to a nil slice: an empty list of extensions stays null.
        self.list = (!list.is_empty()).then_some(list);
        Ok(())
    }

    /// One extension (Go's `processExtensions`); false when Go leaves it unhandled.
    fn apply(&mut self, oid: &[u64], critical: bool, value: &[u8], certificate: bool) -> Result<bool> {
        match oid {
            [2, 5, 29, 15] => {
                let (bits, length) = need(Der(value).bit_string(), "x509: invalid key usage")?;
                let usage = (0..9).filter(|&i| i < length && bits[i / 8] & (0x80 >> (i % 8)) != 0).fold(0i64, |u, i| u | 1 << i);
                self.set("KeyUsage", n(usage));
            }
            [2, 5, 29, 19] => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid basic constraints")?;
                let is_ca = if seq.peek_tag() == Some(BOOLEAN) { need(seq.boolean(), "x509: invalid basic constraints")? } else { false };
                let max_path_len = if seq.peek_tag() == Some(INTEGER) { need(seq.int64(INTEGER), "x509: invalid basic constraints")? } else { -1 };
                self.set("IsCA", Value::from(is_ca));
                self.set("MaxPathLen", n(max_path_len));
                self.set("BasicConstraintsValid", Value::from(true));
                self.set("MaxPathLenZero", Value::from(max_path_len == 0));
            }
            [2, 5, 29, 17] => {
                let found = self.subject_alt_names(value)?;
                return Ok(found);
            }
            [2, 5, 29, 30] if certificate => return self.name_constraints(value, critical),
            [2, 5, 29, 31] if certificate => {
                let mut points = need(Der(value).read(SEQUENCE), "x509: invalid CRL distribution points")?;
                while !points.is_empty() {
                    let mut point = need(points.read(SEQUENCE), "x509: invalid CRL distribution point")?;
                    let Some(mut name) = need(point.optional(context_constructed(0)), "x509: invalid CRL distribution point")? else {
                        continue;
                    };
                    let mut full = need(name.read(context_constructed(0)), "x509: invalid CRL distribution point")?;
                    while full.peek_tag() == Some(context(6)) {
                        let uri = need(full.read(context(6)), "x509: invalid CRL distribution point")?;
                        self.push("CRLDistributionPoints", s(&String::from_utf8_lossy(uri.0)));
                    }
                }
            }
            [2, 5, 29, 35] if certificate => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid authority key identifier")?;
                if let Some(id) = need(seq.optional(context(0)), "x509: invalid authority key identifier")? {
                    self.set("AuthorityKeyId", b64(id.0));
                }
            }
            [2, 5, 29, 36] if certificate => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid policy constraints extension")?;
                for (tag, field, zero) in [(context(0), "RequireExplicitPolicy", "RequireExplicitPolicyZero"), (context(1), "InhibitPolicyMapping", "InhibitPolicyMappingZero")] {
                    if seq.peek_tag() == Some(tag) {
                        let v = need(seq.int64(tag), "x509: invalid policy constraints extension")?;
                        self.set(field, n(v));
                        self.set(zero, Value::from(v == 0));
                    }
                }
            }
            [2, 5, 29, 37] if certificate => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid extended key usages")?;
                while !seq.is_empty() {
                    let usage = need(seq.oid(), "x509: invalid extended key usages")?;
                    match ext_key_usage(&usage) {
                        Some(known) => self.push("ExtKeyUsage", n(known)),
                        None => self.push("UnknownExtKeyUsage", oid_value(&usage)),
                    }
                }
            }
            [2, 5, 29, 14] if certificate => {
                if critical {
                    bail!("x509: subject key identifier incorrectly marked critical");
                }
                let id = need(Der(value).read(OCTET_STRING), "x509: invalid subject key identifier")?;
                self.set("SubjectKeyId", b64(id.0));
            }
            [2, 5, 29, 32] if certificate => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid certificate policies")?;
                let mut identifiers = Vec::new();
                while !seq.is_empty() {
                    let mut policy = need(seq.read(SEQUENCE), "x509: invalid certificate policies")?;
                    let oid = need(policy.oid(), "x509: invalid certificate policies")?;
                    self.push("Policies", s(&oid_text(&oid)));
                    identifiers.push(oid_value(&oid));
                }
                self.set("PolicyIdentifiers", Value::from(identifiers));
            }
            [2, 5, 29, 33] if certificate => {
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid policy mappings extension")?;
                while !seq.is_empty() {
                    let mut mapping = need(seq.read(SEQUENCE), "x509: invalid policy mappings extension")?;
                    let issuer = need(mapping.oid(), "x509: invalid policy mappings extension")?;
                    let subject = need(mapping.oid(), "x509: invalid policy mappings extension")?;
                    self.push(
                        "PolicyMappings",
                        object([("IssuerDomainPolicy", s(&oid_text(&issuer))), ("SubjectDomainPolicy", s(&oid_text(&subject)))]),
                    );
                }
            }
            [2, 5, 29, 54] if certificate => {
                let v = need(Der(value).int64(INTEGER), "x509: invalid inhibit any policy extension")?;
                self.set("InhibitAnyPolicy", n(v));
                self.set("InhibitAnyPolicyZero", Value::from(v == 0));
            }
            [2, 5, 29, _] => return Ok(false),
            [1, 3, 6, 1, 5, 5, 7, 1, 1] if certificate => {
                if critical {
                    bail!("x509: authority info access incorrectly marked critical");
                }
                let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid authority info access")?;
                while !seq.is_empty() {
                    let mut access = need(seq.read(SEQUENCE), "x509: invalid authority info access")?;
                    let method = need(access.oid(), "x509: invalid authority info access")?;
                    if access.peek_tag() != Some(context(6)) {
                        continue;
                    }
                    let location = String::from_utf8_lossy(need(access.read(context(6)), "x509: invalid authority info access")?.0).into_owned();
                    match method.as_slice() {
                        [1, 3, 6, 1, 5, 5, 7, 48, 1] => self.push("OCSPServer", s(&location)),
                        [1, 3, 6, 1, 5, 5, 7, 48, 2] => self.push("IssuingCertificateURL", s(&location)),
                        _ => {}
                    }
                }
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// Go's `parseSANExtension`; false (unhandled) when it holds none of the four kinds Go keeps.
    fn subject_alt_names(&mut self, value: &[u8]) -> Result<bool> {
        let mut seq = need(Der(value).read(SEQUENCE), "x509: invalid subject alternative names")?;
        let mut found = false;
        while !seq.is_empty() {
            let (tag, _, data) = need(seq.any(), "x509: invalid subject alternative name")?;
            let ia5 = |what: &str| -> Result<String> {
                if !data.is_ascii() {
                    bail!("x509: SAN {what} is malformed");
                }
                Ok(String::from_utf8_lossy(data).into_owned())
            };
            match tag & 0x1f {
                1 if tag & 0xc0 == 0x80 => {
                    self.push("EmailAddresses", s(&ia5("rfc822Name")?));
                    found = true;
                }
                2 if tag & 0xc0 == 0x80 => {
                    self.push("DNSNames", s(&ia5("dNSName")?));
                    found = true;
                }
                6 if tag & 0xc0 == 0x80 => {
                    let text = ia5("uniformResourceIdentifier")?;
                    let url = super::super::uri::go_url_struct(&text)
                        .map_err(|e| anyhow!("x509: cannot parse URI {}: {e}", crate::builtins::args::go_quote(&text)))?;
                    self.push("URIs", url);
                    self.push("URIStrings", s(&text));
                    found = true;
                }
                7 if tag & 0xc0 == 0x80 => {
                    if data.len() != 4 && data.len() != 16 {
                        bail!("x509: cannot parse IP address of length {}", data.len());
                    }
                    self.push("IPAddresses", s(&ip_text(data)));
                    found = true;
                }
                _ => {}
            }
        }
        Ok(found)
    }

    /// Go's `parseNameConstraintsExtension`, for the DNS, IP, email and URI constraints it keeps.
    fn name_constraints(&mut self, value: &[u8], critical: bool) -> Result<bool> {
        let malformed = "x509: invalid NameConstraints extension";
        let mut seq = need(Der(value).read(SEQUENCE), malformed)?;
        let permitted = need(seq.optional(context_constructed(0)), malformed)?;
        let excluded = need(seq.optional(context_constructed(1)), malformed)?;
        if permitted.is_none() && excluded.is_none() {
            bail!("x509: empty name constraints extension");
        }
        let mut unhandled = false;
        for (subtrees, prefix) in [(permitted, "Permitted"), (excluded, "Excluded")] {
            let Some(mut subtrees) = subtrees else { continue };
            while !subtrees.is_empty() {
                let mut subtree = need(subtrees.read(SEQUENCE), malformed)?;
                let (tag, _, data) = need(subtree.any(), malformed)?;
                let text = || String::from_utf8_lossy(data).into_owned();
                let field: &'static str = match (prefix, tag) {
                    ("Permitted", 0x82) => "PermittedDNSDomains",
                    ("Excluded", 0x82) => "ExcludedDNSDomains",
                    ("Permitted", 0x81) => "PermittedEmailAddresses",
                    ("Excluded", 0x81) => "ExcludedEmailAddresses",
                    ("Permitted", 0x86) => "PermittedURIDomains",
                    ("Excluded", 0x86) => "ExcludedURIDomains",
                    (_, 0x87) => {
                        let half = data.len() / 2;
                        if data.len() != 8 && data.len() != 32 {
                            bail!("x509: IP constraint contained value of length {}", data.len());
                        }
                        let network = object([("IP", s(&ip_text(&data[..half]))), ("Mask", b64(&data[half..]))]);
                        self.push(if prefix == "Permitted" { "PermittedIPRanges" } else { "ExcludedIPRanges" }, network);
                        continue;
                    }
                    _ => {
                        unhandled = true;
                        continue;
                    }
                };
                self.push(field, s(&text()));
            }
        }
        self.set("PermittedDNSDomainsCritical", Value::from(critical));
        Ok(!unhandled)
    }
}

/// Go's `ExtKeyUsage` number for an extended key usage OID.
fn ext_key_usage(oid: &[u64]) -> Option<i64> {
    Some(match oid {
        [2, 5, 29, 37, 0] => 0,
        [1, 3, 6, 1, 5, 5, 7, 3, n @ 1..=9] => *n as i64,
        [1, 3, 6, 1, 4, 1, 311, 10, 3, 3] => 10,
        [2, 16, 840, 1, 113730, 4, 1] => 11,
        [1, 3, 6, 1, 4, 1, 311, 2, 1, 22] => 12,
        [1, 3, 6, 1, 4, 1, 311, 61, 1, 1] => 13,
        _ => return None,
    })
}

/// Go's `net.IP.String()`: dotted IPv4 (also for IPv4-mapped IPv6), else RFC 5952 IPv6.
fn ip_text(bytes: &[u8]) -> String {
    match bytes.len() {
        4 => std::net::Ipv4Addr::new(bytes[0], bytes[1], bytes[2], bytes[3]).to_string(),
        16 => {
            let octets: [u8; 16] = bytes.try_into().expect("16 bytes");
            let v6 = std::net::Ipv6Addr::from(octets);
            match v6.to_ipv4_mapped() {
                Some(v4) => v4.to_string(),
                None => v6.to_string(),
            }
        }
        _ => format!("?{}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()),
    }
}

/// Go's `ParseCertificates`: the certificates of `der`, one after the other.
pub fn certificates(mut der: &[u8]) -> Result<Vec<Value>> {
    let mut certs = Vec::new();
    while !der.is_empty() {
        let (cert, used) = certificate(der)?;
        certs.push(cert);
        der = &der[used..];
    }
    Ok(certs)
}

/// Go's `ParseCertificate`: exactly one certificate.
pub fn certificate_alone(der: &[u8]) -> Result<Value> {
    let (cert, used) = certificate(der)?;
    if used != der.len() {
        bail!("x509: trailing data");
    }
    Ok(cert)
}

/// One certificate at the start of `der`, and the bytes it took.
fn certificate(der: &[u8]) -> Result<(Value, usize)> {
    let mut input = Der(der);
    let (raw, cert) = need(input.element(SEQUENCE), "x509: malformed certificate")?;
    let mut cert = Der(cert);
    let (raw_tbs, tbs) = need(cert.element(SEQUENCE), "x509: malformed tbs certificate")?;
    let mut tbs = Der(tbs);
    let version = match need(tbs.optional(context_constructed(0)), "x509: malformed version")? {
        Some(mut v) => need(v.int64(INTEGER), "x509: malformed version")?,
        None => 0,
    };
    if version < 0 {
        bail!("x509: malformed version");
    }
    let version = version + 1;
    if version > 3 {
        bail!("x509: invalid version");
    }
    let serial = need(tbs.integer_bytes(INTEGER), "x509: malformed serial number")?;
    if serial[0] & 0x80 != 0 {
        bail!("x509: negative serial number");
    }
    let (_, inner_ai) = need(tbs.element(SEQUENCE), "x509: malformed signature algorithm identifier")?;
    let (_, outer_ai) = need(cert.element(SEQUENCE), "x509: malformed algorithm identifier")?;
    if inner_ai != outer_ai {
        bail!("x509: inner and outer signature algorithm identifiers don't match");
    }
    let (sig_oid, sig_params) = algorithm_identifier(Der(inner_ai))?;
    let (raw_issuer, _) = need(tbs.element(SEQUENCE), "x509: malformed issuer")?;
    let issuer = name(raw_issuer)?;
    let mut validity = need(tbs.read(SEQUENCE), "x509: malformed validity")?;
    let not_before = time(&mut validity)?;
    let not_after = time(&mut validity)?;
    let (raw_subject, _) = need(tbs.element(SEQUENCE), "x509: malformed issuer")?;
    let subject = name(raw_subject)?;
    let (raw_spki, spki) = need(tbs.element(SEQUENCE), "x509: malformed spki")?;
    let (public_key_algorithm, public_key) = public_key(Der(spki))?;
    let mut extensions = Extensions::new();
    if version > 1 {
        for tag in [context(1), context(2)] {
            if tbs.peek_tag() == Some(tag) {
                need(tbs.read(tag), "x509: malformed unique ID")?;
            }
        }
        if version == 3 {
            if let Some(mut exts) = need(tbs.optional(context_constructed(3)), "x509: malformed extensions")? {
                let list = need(exts.read(SEQUENCE), "x509: malformed extensions")?;
                extensions.read(list, true)?;
            }
        }
    }
    let (signature, bits) = need(cert.bit_string(), "x509: malformed signature")?;
    let signature = right_align(&signature, bits);

    let extension_list = extensions.list.take();
    let mut out: BTreeMap<Value, Value> = BTreeMap::new();
    for (field, value) in extensions.into_fields() {
        out.insert(s(field), value);
    }
    for (field, value) in [
        ("Raw", b64(raw)),
        ("RawTBSCertificate", b64(raw_tbs)),
        ("RawSubjectPublicKeyInfo", b64(raw_spki)),
        ("RawSubject", b64(raw_subject)),
        ("RawIssuer", b64(raw_issuer)),
        ("Signature", b64(&signature)),
        ("SignatureAlgorithm", n(signature_algorithm(&sig_oid, &sig_params))),
        ("PublicKeyAlgorithm", n(public_key_algorithm)),
        ("PublicKey", public_key),
        ("Version", n(version)),
        ("SerialNumber", big(serial)),
        ("Issuer", issuer),
        ("Subject", subject),
        ("NotBefore", s(&not_before)),
        ("NotAfter", s(&not_after)),
        ("Extensions", list(extension_list)),
        ("ExtraExtensions", Value::Null),
    ] {
        out.insert(s(field), value);
    }
    Ok((Value::from(out), raw.len()))
}

/// Go's `ParseCertificateRequest` (PKCS #10), as Go marshals the `x509.CertificateRequest`. Only the
/// subject alternative names are read out of the requested extensions, as in Go.
pub fn certificate_request(der: &[u8]) -> Result<Value> {
    let structure = |what: &str| anyhow!("asn1: structure error: {what}");
    let mut input = Der(der);
    let (raw, csr) = input.element(SEQUENCE).ok_or_else(|| structure("tags don't match (16) certificateRequest"))?;
    if !input.is_empty() {
        bail!("x509: trailing data after X.509 certificate request");
    }
    let mut csr = Der(csr);
    let (raw_tbs, tbs) = csr.element(SEQUENCE).ok_or_else(|| structure("malformed TBSCertificateRequest"))?;
    let mut tbs = Der(tbs);
    let version = tbs.int64(INTEGER).ok_or_else(|| structure("malformed version"))?;
    let (raw_subject, _) = tbs.element(SEQUENCE).ok_or_else(|| structure("malformed subject"))?;
    let subject = name(raw_subject)?;
    let (raw_spki, spki) = tbs.element(SEQUENCE).ok_or_else(|| structure("malformed public key"))?;
    let mut attributes_der = tbs.read(context_constructed(0)).ok_or_else(|| structure("malformed attributes"))?;
    let ai = csr.read(SEQUENCE).ok_or_else(|| structure("malformed signature algorithm"))?;
    let (sig_oid, sig_params) = algorithm_identifier(ai)?;
    let (signature, bits) = csr.bit_string().ok_or_else(|| structure("malformed signature"))?;
    let signature = right_align(&signature, bits);
    let (public_key_algorithm, public_key) = public_key(Der(spki))?;

    let mut attributes = Vec::new();
    let mut extensions = Extensions::new();
    let mut requested: Option<Vec<Value>> = None;
    let mut seen = HashSet::new();
    while !attributes_der.is_empty() {
        let (_, attribute) = attributes_der.element(SEQUENCE).ok_or_else(|| structure("malformed attribute"))?;
        if let Some(value) = attribute_value(attribute) {
            attributes.push(value);
        }
        // The extension request (PKCS #9): its first value is the list of requested extensions.
        let mut attribute = Der(attribute);
        if attribute.oid().as_deref() != Some(&[1, 2, 840, 113549, 1, 9, 14]) {
            continue;
        }
        let Some(Some(mut values)) = attribute.optional(SET) else { continue };
        let Some(mut list) = values.read(SEQUENCE) else { continue };
        while !list.is_empty() {
            let mut ext = need(list.read(SEQUENCE), "x509: malformed extension")?;
            let oid = need(ext.oid(), "x509: malformed extension OID field")?;
            let critical = if ext.peek_tag() == Some(BOOLEAN) { need(ext.boolean(), "x509: malformed extension")? } else { false };
            let value = need(ext.read(OCTET_STRING), "x509: malformed extension value field")?.0;
            if !seen.insert(oid.clone()) {
                bail!("x509: certificate request contains duplicate requested extensions");
            }
            requested.get_or_insert_with(Vec::new).push(object([
                ("Id", oid_value(&oid)),
                ("Critical", Value::from(critical)),
                ("Value", b64(value)),
            ]));
            if oid == [2, 5, 29, 17] {
                extensions.subject_alt_names(value)?;
            }
        }
    }
    let fields = extensions.into_fields();
    let field = |name: &str| fields.get(name).cloned().unwrap_or(Value::Null);
    let mut out: BTreeMap<Value, Value> = BTreeMap::new();
    for (name, value) in [
        ("Raw", b64(raw)),
        ("RawTBSCertificateRequest", b64(raw_tbs)),
        ("RawSubjectPublicKeyInfo", b64(raw_spki)),
        ("RawSubject", b64(raw_subject)),
        ("Version", n(version)),
        ("Signature", b64(&signature)),
        ("SignatureAlgorithm", n(signature_algorithm(&sig_oid, &sig_params))),
        ("PublicKeyAlgorithm", n(public_key_algorithm)),
        ("PublicKey", public_key),
        ("Subject", subject),
        ("Attributes", list((!attributes.is_empty()).then_some(attributes))),
        ("Extensions", list(requested)),
        ("ExtraExtensions", Value::Null),
        ("DNSNames", field("DNSNames")),
        ("EmailAddresses", field("EmailAddresses")),
        ("IPAddresses", field("IPAddresses")),
        ("URIs", field("URIs")),
    ] {
        out.insert(s(name), value);
    }
    Ok(Value::from(out))
}

/// A request attribute as Go's deprecated `Attributes` field reads it (`pkix.AttributeTypeAndValueSET`):
/// its type and each value as a list of (type, value) pairs; `None`, and the attribute is left out, when
/// its values do not have that shape (a challenge password, a plain string, does not).
fn attribute_value(attribute: &[u8]) -> Option<Value> {
    let mut attribute = Der(attribute);
    let oid = attribute.oid()?;
    let mut values = attribute.read(SET)?;
    let mut sets = Vec::new();
    while !values.is_empty() {
        let mut pairs_der = values.read(SEQUENCE)?;
        let mut pairs = Vec::new();
        while !pairs_der.is_empty() {
            let mut pair = pairs_der.read(SEQUENCE)?;
            let pair_oid = pair.oid()?;
            let (tag, _, contents) = pair.any()?;
            let value = match tag {
                BOOLEAN => Value::from(Der(&[BOOLEAN, 1, *contents.first()?][..]).boolean()?),
                OCTET_STRING => b64(contents),
                INTEGER if contents.len() <= MAX_INTEGER_BYTES => big(contents),
                INTEGER => return None,
                _ => s(&asn1_string(tag, contents).ok()?),
            };
            pairs.push(object([("Type", oid_value(&pair_oid)), ("Value", value)]));
        }
        sets.push(Value::from(pairs));
    }
    Some(object([("Type", oid_value(&oid)), ("Value", Value::from(sets))]))
}
