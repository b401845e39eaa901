//! `crypto.x509.parse_certificates` and `crypto.x509.parse_certificate_request`: certificates and
//! certificate requests as OPA returns them, Go's `x509.Certificate` (plus OPA's `URIStrings`) and
//! `x509.CertificateRequest` as JSON, parsed by the rules of Go's `crypto/x509` ([`cert`]) from the text
//! forms OPA accepts: PEM, base64 of DER (certificates may follow each other), or base64 of PEM.

mod cert;
mod der;
mod keys;
#[cfg(test)]
mod tests;

use anyhow::{anyhow, bail, Result};
use regorus::Value;

use super::args::string;
use super::encoding::{pem_decode, STD_PADDED};
use super::Builtin;

pub(super) const BUILTINS: &[(&str, u8, Builtin)] = &[
    ("crypto.x509.parse_certificates", 1, parse_certificates),
    ("crypto.x509.parse_certificate_request", 1, parse_certificate_request),
    ("crypto.parse_private_keys", 1, parse_private_keys),
    ("crypto.x509.parse_rsa_private_key", 1, parse_rsa_private_key),
    ("crypto.x509.parse_keypair", 2, parse_keypair),
];

/// Memory the values take per byte of text, at the peak: measured 37-49 for the densest inputs (millions of
/// empty name attributes or request attributes).
const VALUE_BYTES_PER_TEXT_BYTE: u128 = 64;

fn parse_certificates(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    claim(text)?;
    Ok(Value::from(cert::certificates(&der_of(text)?)?))
}

fn claim(text: &str) -> Result<()> {
    super::limits::claim(text.len() as u128 * VALUE_BYTES_PER_TEXT_BYTE, || {
        format!("X.509 data of {} bytes, read into values,", text.len())
    })
}

/// OPA's `crypto.x509.parse_certificate_request`: PEM (a CERTIFICATE REQUEST block), or base64 of
/// DER or of such PEM.
fn parse_certificate_request(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    claim(text)?;
    let mut der = if text.starts_with("-----BEGIN CERTIFICATE REQUEST-----") {
        text.as_bytes().to_vec()
    } else {
        STD_PADDED.decode(text)?
    };
    if let Some((block, _)) = std::str::from_utf8(&der).ok().and_then(pem_decode) {
        if block.label != "CERTIFICATE REQUEST" {
            bail!("invalid PEM-encoded certificate signing request");
        }
        der = block.body;
    }
    cert::certificate_request(&der)
}

/// OPA's `getX509CertsFromString`: the DER of the certificates in `text`.
fn der_of(text: &str) -> Result<Vec<u8>> {
    if text.starts_with("-----BEGIN") {
        return pem_certificates(text);
    }
    let decoded = STD_PADDED.decode(text)?;
    if decoded.starts_with(b"-----BEGIN") {
        let pem = std::str::from_utf8(&decoded).map_err(|_| anyhow!("PEM text is not UTF-8"))?;
        return pem_certificates(pem);
    }
    Ok(decoded)
}

/// The bodies of the PEM blocks in `text`, which must all be certificates, joined.
fn pem_certificates(text: &str) -> Result<Vec<u8>> {
    let mut der = Vec::new();
    let mut rest = text;
    while let Some((block, after)) = pem_decode(rest) {
        if block.label != "CERTIFICATE" {
            bail!("PEM block type is '{}', expected CERTIFICATE", block.label);
        }
        der.extend_from_slice(&block.body);
        rest = after;
    }
    Ok(der)
}

/// `crypto.parse_private_keys`: every private key in the PEM text (or its base64), as Go's structures;
/// `null` for an empty text.
fn parse_private_keys(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    if text.is_empty() {
        return Ok(Value::Null);
    }
    claim(text)?;
    Ok(Value::from(keys::from_pem_data(text)?.iter().map(keys::PrivateKey::go_value).collect::<Vec<_>>()))
}

/// `crypto.x509.parse_rsa_private_key`: the first private key of PEM text (or of base64 of it) as a JWK,
/// whatever its algorithm (as in OPA); `null` when there is none.
fn parse_rsa_private_key(args: &[Value]) -> Result<Value> {
    let text = string(args, 0)?;
    if text.is_empty() {
        bail!("input PEM data was empty");
    }
    claim(text)?;
    let pem = if text.starts_with("-----BEGIN") {
        text.to_string()
    } else {
        String::from_utf8_lossy(&STD_PADDED.decode(text)?).into_owned()
    };
    Ok(keys::from_pem_data(&pem)?.first().map_or(Value::Null, keys::PrivateKey::jwk))
}

/// `crypto.x509.parse_keypair(cert, key)`: Go's `tls.Certificate` of a certificate chain and its private
/// key (each PEM, or base64 of PEM or of DER), as Go's `tls.X509KeyPair` makes it: the key must match
/// the first certificate's public key.
fn parse_keypair(args: &[Value]) -> Result<Value> {
    let (cert_text, key_text) = (string(args, 0)?, string(args, 1)?);
    claim(cert_text)?;
    claim(key_text)?;
    let cert_pem = pem_text(cert_text, "CERTIFICATE")?;
    let key_pem = pem_text(key_text, "PRIVATE KEY")?;

    let (mut chain, mut skipped) = (Vec::new(), Vec::new());
    let mut rest = cert_pem.as_str();
    while let Some((block, after)) = pem_decode(rest) {
        rest = after;
        if block.label == "CERTIFICATE" {
            chain.push(block.body);
        } else {
            skipped.push(block.label);
        }
    }
    if chain.is_empty() {
        match skipped.as_slice() {
            [] => bail!("tls: failed to find any PEM data in certificate input"),
            [only] if only.ends_with("PRIVATE KEY") => bail!("tls: failed to find certificate PEM data in certificate input, but did find a private key; PEM inputs may have been switched"),
            _ => bail!("tls: failed to find \"CERTIFICATE\" PEM block in certificate input after skipping PEM blocks of the following types: [{}]", skipped.join(" ")),
        }
    }
    skipped.clear();
    let mut rest = key_pem.as_str();
    let key_der = loop {
        let Some((block, after)) = pem_decode(rest) else {
            match skipped.as_slice() {
                [] => bail!("tls: failed to find any PEM data in key input"),
                [only] if only == "CERTIFICATE" => bail!("tls: found a certificate rather than a key in the PEM for the private key"),
                _ => bail!("tls: failed to find PEM block with type ending in \"PRIVATE KEY\" in key input after skipping PEM blocks of the following types: [{}]", skipped.join(" ")),
            }
        };
        rest = after;
        if block.label == "PRIVATE KEY" || block.label.ends_with(" PRIVATE KEY") {
            break block.body;
        }
        skipped.push(block.label);
    };
    let mut leaf = cert::certificate_alone(&chain[0])?;
    // The leaf is Go's plain x509.Certificate, without the URIStrings OPA adds to parse_certificates.
    leaf.as_object_mut()?.remove(&Value::from("URIStrings"));
    let key = keys::any_der(&key_der)?;
    let algorithm = &leaf[&Value::from("PublicKeyAlgorithm")];
    if !matches!(algorithm, Value::Number(_)) || *algorithm == Value::from(0) || *algorithm == Value::from(2) {
        bail!("tls: unknown public key algorithm");
    }
    if *algorithm != Value::from(key.algorithm()) {
        bail!("tls: private key type does not match public key type");
    }
    if leaf[&Value::from("PublicKey")] != key.public_value() {
        bail!("tls: private key does not match public key");
    }
    let chain: Vec<Value> = chain.iter().map(|der| Value::from(STD_PADDED.encode(der))).collect();
    let fields = [
        ("Certificate", Value::from(chain)),
        ("PrivateKey", key.go_value()),
        ("SupportedSignatureAlgorithms", Value::Null),
        ("OCSPStaple", Value::Null),
        ("SignedCertificateTimestamps", Value::Null),
        ("Leaf", leaf),
    ];
    Ok(Value::from(fields.into_iter().map(|(k, v)| (Value::from(k), v)).collect::<std::collections::BTreeMap<_, _>>()))
}

/// OPA's input rule for `parse_keypair`: PEM as it is; else base64, of PEM or of DER (which becomes a
/// PEM block labelled `label`).
fn pem_text(text: &str, label: &str) -> Result<String> {
    if text.starts_with("-----BEGIN") {
        return Ok(text.to_string());
    }
    let decoded = STD_PADDED.decode(text)?;
    if decoded.starts_with(b"-----BEGIN") {
        return String::from_utf8(decoded).map_err(|_| anyhow!("PEM text is not UTF-8"));
    }
    let body = STD_PADDED.encode(&decoded);
    let lines: Vec<&str> = body.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).expect("base64 is ASCII")).collect();
    Ok(format!("-----BEGIN {label}-----\n{}\n-----END {label}-----\n", lines.join("\n")))
}
