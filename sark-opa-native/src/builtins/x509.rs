//! `crypto.x509.parse_certificates` and `crypto.x509.parse_certificate_request`: certificates and
//! certificate requests as OPA returns them, Go's `x509.Certificate` (plus OPA's `URIStrings`) and
//! `x509.CertificateRequest` as JSON, parsed by the rules of Go's `crypto/x509` ([`cert`]) from the text
//! forms OPA accepts: PEM, base64 of DER (certificates may follow each other), or base64 of PEM.

mod cert;
mod der;
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
];

/// Each certificate becomes some sixty fields: the values take about ten times the DER's size.
const VALUE_BYTES_PER_TEXT_BYTE: u128 = 16;

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
