//! Private keys from PEM as OPA returns them: `crypto.parse_private_keys` gives Go's key structures as
//! JSON (`rsa.PrivateKey`, `ecdsa.PrivateKey`, `ed25519.PrivateKey`), `crypto.x509.parse_rsa_private_key`
//! the first key as a JWK. Blocks are read as Go reads them: `RSA PRIVATE KEY` (PKCS #1), `PRIVATE KEY`
//! (PKCS #8) and `EC PRIVATE KEY` (SEC 1); other blocks are skipped.

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::cert::{b64, n, object, s, unsigned};
use super::der::*;
use crate::builtins::encoding::{pem_decode, STD_PADDED, URL_RAW};

/// A private key, with the numbers Go and JWKs print (big-endian, unsigned).
pub enum PrivateKey {
    Rsa { n: Vec<u8>, e: i64, d: Vec<u8>, p: Vec<u8>, q: Vec<u8>, dp: Vec<u8>, dq: Vec<u8>, qinv: Vec<u8> },
    Ec { curve: &'static str, size: usize, x: Vec<u8>, y: Vec<u8>, d: Vec<u8> },
    Ed25519 { seed: Vec<u8>, public: Vec<u8> },
}

/// OPA's `getPrivateKeysFromPEMData`: the text (or its base64 decoding) read block by block.
pub fn from_pem_data(text: &str) -> Result<Vec<PrivateKey>> {
    let decoded = STD_PADDED.decode(text).ok().and_then(|bytes| String::from_utf8(bytes).ok());
    let mut rest = decoded.as_deref().unwrap_or(text);
    let mut keys = Vec::new();
    while let Some((block, after)) = pem_decode(rest) {
        rest = after;
        match block.label.as_str() {
            "RSA PRIVATE KEY" => keys.push(pkcs1(&block.body)?),
            "PRIVATE KEY" => keys.push(pkcs8(&block.body)?),
            "EC PRIVATE KEY" => keys.push(sec1(&block.body, None)?),
            _ => {}
        }
    }
    Ok(keys)
}

/// Go's `ParsePKCS1PrivateKey`.
fn pkcs1(der: &[u8]) -> Result<PrivateKey> {
    let malformed = "x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)";
    let mut seq = need(Der(der).read(SEQUENCE), malformed)?;
    let version = need(seq.int64(INTEGER), malformed)?;
    if version > 1 {
        bail!("x509: unsupported private key version");
    }
    let mut number = || -> Result<Vec<u8>> {
        let bytes = need(seq.integer_bytes(INTEGER), malformed)?;
        if bytes[0] & 0x80 != 0 {
            bail!("x509: private key contains zero or negative value");
        }
        Ok(bytes.iter().skip_while(|&&b| b == 0).copied().collect())
    };
    let (n_, e, d, p, q, dp, dq, qinv) = (number()?, number()?, number()?, number()?, number()?, number()?, number()?, number()?);
    let e = e.iter().try_fold(0i64, |acc, &b| if acc >> 55 == 0 { Some(acc << 8 | i64::from(b)) } else { None });
    let Some(e) = e.filter(|&e| e > 1 && e <= i64::from(i32::MAX)) else {
        bail!("x509: invalid RSA public exponent");
    };
    // Go validates the key (its primes multiply to the modulus, and the exponents agree).
    let components = |bytes: &[u8]| rsa::BoxedUint::from_be_slice_vartime(bytes);
    rsa::PrivateKey::from_components(components(&n_), components(&e.to_be_bytes()), components(&d), vec![components(&p), components(&q)])
        .map_err(|e| anyhow!("crypto/rsa: invalid private key: {e}"))?;
    Ok(PrivateKey::Rsa { n: n_, e, d, p, q, dp, dq, qinv })
}

/// Go's `ParsePKCS8PrivateKey`, for RSA, ECDSA and Ed25519 keys.
fn pkcs8(der: &[u8]) -> Result<PrivateKey> {
    let malformed = "x509: failed to parse private key (use ParseECPrivateKey instead for this key format)";
    let mut seq = need(Der(der).read(SEQUENCE), malformed)?;
    need(seq.int64(INTEGER), malformed)?;
    let mut algorithm = need(seq.read(SEQUENCE), malformed)?;
    let oid = need(algorithm.oid(), malformed)?;
    let key = need(seq.read(OCTET_STRING), malformed)?.0;
    match oid.as_slice() {
        [1, 2, 840, 113549, 1, 1, 1] => pkcs1(key).map_err(|e| anyhow!("x509: failed to parse RSA private key embedded in PKCS#8: {e}")),
        [1, 2, 840, 10045, 2, 1] => {
            let curve = algorithm.oid();
            sec1(key, curve).map_err(|e| anyhow!("x509: failed to parse EC private key embedded in PKCS#8: {e}"))
        }
        [1, 3, 101, 112] => {
            let seed = need(Der(key).read(OCTET_STRING), "x509: invalid Ed25519 private key")?.0;
            let seed = ed25519_compact::Seed::from_slice(seed).map_err(|_| anyhow!("x509: invalid Ed25519 private key length: {}", seed.len()))?;
            let pair = ed25519_compact::KeyPair::try_from_seed(seed)
                .map_err(|_| anyhow!("x509: an all-zero Ed25519 seed is not supported here"))?;
            Ok(PrivateKey::Ed25519 { seed: seed.to_vec(), public: pair.pk.to_vec() })
        }
        _ => bail!("x509: PKCS#8 wrapping contained private key with unknown algorithm: {}", oid.iter().map(u64::to_string).collect::<Vec<_>>().join(".")),
    }
}

/// Go's `parseECPrivateKey`: the curve from the key or from the PKCS #8 wrapping, the public point
/// computed from the scalar.
fn sec1(der: &[u8], wrapping_curve: Option<Vec<u64>>) -> Result<PrivateKey> {
    let malformed = "x509: failed to parse EC private key";
    let mut seq = need(Der(der).read(SEQUENCE), malformed)?;
    if need(seq.int64(INTEGER), malformed)? != 1 {
        bail!("x509: unknown EC private key version");
    }
    let scalar = need(seq.read(OCTET_STRING), malformed)?.0;
    let named = match need(seq.optional(context_constructed(0)), malformed)? {
        Some(mut params) => Some(need(params.oid(), malformed)?),
        None => None,
    };
    let curve = named.or(wrapping_curve).ok_or_else(|| anyhow!("x509: unknown elliptic curve"))?;
    macro_rules! point {
        ($crate_:ident, $name:literal, $size:literal) => {{
            let mut padded = vec![0u8; $size.max(scalar.len())];
            let offset = padded.len() - scalar.len();
            padded[offset..].copy_from_slice(scalar);
            let secret = $crate_::SecretKey::from_slice(&padded[padded.len() - $size..]).map_err(|_| anyhow!("x509: invalid elliptic curve private key value"))?;
            use $crate_::elliptic_curve::sec1::ToSec1Point;
            let point = secret.public_key().to_sec1_point(false);
            let bytes = point.as_bytes();
            PrivateKey::Ec { curve: $name, size: $size, x: bytes[1..1 + $size].to_vec(), y: bytes[1 + $size..].to_vec(), d: padded[padded.len() - $size..].to_vec() }
        }};
    }
    Ok(match curve.as_slice() {
        [1, 2, 840, 10045, 3, 1, 7] => point!(p256, "P-256", 32),
        [1, 3, 132, 0, 34] => point!(p384, "P-384", 48),
        [1, 3, 132, 0, 35] => point!(p521, "P-521", 66),
        _ => bail!("x509: unknown elliptic curve"),
    })
}

/// Go's `tls` `parsePrivateKey`: PKCS #1, then PKCS #8, then SEC 1.
pub fn any_der(der: &[u8]) -> Result<PrivateKey> {
    pkcs1(der).or_else(|_| pkcs8(der)).or_else(|_| sec1(der, None)).map_err(|_| anyhow!("tls: failed to parse private key"))
}


impl PrivateKey {
    /// The key as Go's `json.Marshal` writes it.
    pub fn go_value(&self) -> Value {
        match self {
            PrivateKey::Rsa { n: modulus, e, d, p, q, dp, dq, qinv } => object([
                ("N", unsigned(modulus)),
                ("E", n(*e)),
                ("D", unsigned(d)),
                ("Primes", Value::from(vec![unsigned(p), unsigned(q)])),
                (
                    "Precomputed",
                    object([("Dp", unsigned(dp)), ("Dq", unsigned(dq)), ("Qinv", unsigned(qinv)), ("CRTValues", Value::from(Vec::<Value>::new()))]),
                ),
            ]),
            PrivateKey::Ec { x, y, d, .. } => object([
                ("Curve", Value::from(std::collections::BTreeMap::<Value, Value>::new())),
                ("X", unsigned(x)),
                ("Y", unsigned(y)),
                ("D", unsigned(d)),
            ]),
            PrivateKey::Ed25519 { seed, public } => b64(&[seed.as_slice(), public].concat()),
        }
    }

    /// The public half, as Go marshals the public key of a certificate.
    pub fn public_value(&self) -> Value {
        match self {
            PrivateKey::Rsa { n: modulus, e, .. } => object([("N", unsigned(modulus)), ("E", n(*e))]),
            PrivateKey::Ec { x, y, .. } => object([
                ("Curve", Value::from(std::collections::BTreeMap::<Value, Value>::new())),
                ("X", unsigned(x)),
                ("Y", unsigned(y)),
            ]),
            PrivateKey::Ed25519 { public, .. } => b64(public),
        }
    }

    /// Go's `PublicKeyAlgorithm` number of the key.
    pub fn algorithm(&self) -> i64 {
        match self {
            PrivateKey::Rsa { .. } => 1,
            PrivateKey::Ec { .. } => 3,
            PrivateKey::Ed25519 { .. } => 4,
        }
    }

    /// The key as a JWK (jwx's `jwk.Import`): numbers in unpadded base64url, minimal for RSA, the
    /// curve's size for EC.
    pub fn jwk(&self) -> Value {
        let u = |bytes: &[u8]| s(&URL_RAW.encode(bytes));
        match self {
            PrivateKey::Rsa { n: modulus, e, d, p, q, dp, dq, qinv } => {
                let exponent: Vec<u8> = e.to_be_bytes().into_iter().skip_while(|&b| b == 0).collect();
                object([
                    ("kty", s("RSA")),
                    ("n", u(modulus)),
                    ("e", u(&exponent)),
                    ("d", u(d)),
                    ("p", u(p)),
                    ("q", u(q)),
                    ("dp", u(dp)),
                    ("dq", u(dq)),
                    ("qi", u(qinv)),
                ])
            }
            PrivateKey::Ec { curve, size, x, y, d } => {
                let pad = |bytes: &[u8]| {
                    let mut out = vec![0u8; size.saturating_sub(bytes.len())];
                    out.extend_from_slice(bytes);
                    out
                };
                object([("kty", s("EC")), ("crv", s(curve)), ("x", u(&pad(x))), ("y", u(&pad(y))), ("d", u(&pad(d)))])
            }
            PrivateKey::Ed25519 { seed, public } => {
                object([("kty", s("OKP")), ("crv", s("Ed25519")), ("x", u(public)), ("d", u(seed))])
            }
        }
    }
}
