use regorus::Value;

use super::cert::{certificates, decimal};
use super::der::Der;
use crate::builtins::encoding::STD_PADDED;

#[test]
fn big_numbers_print_in_decimal() {
    assert_eq!(decimal(&[]), "0");
    assert_eq!(decimal(&[0x13, 0x7d, 0x45, 0x65, 0x56, 0x8f, 0x5d, 0x35]), "1404354960355712309");
    assert_eq!(decimal(&[1, 0, 0, 0, 0, 0, 0, 0, 0]), "18446744073709551616");
}

#[test]
fn der_lengths_must_be_minimal_and_definite() {
    assert!(Der(&[0x30, 0x81, 0x01, 0x00]).any().is_none(), "a long form for a short length");
    assert!(Der(&[0x30, 0x80, 0x00, 0x00]).any().is_none(), "an indefinite length");
    assert!(Der(&[0x30, 0x05, 0x00]).any().is_none(), "a length past the end");
    assert!(Der(&[0x02, 0x02, 0x00, 0x01]).integer_bytes(0x02).is_none(), "a padded integer");
    assert_eq!(Der(&[0x02, 0x01, 0xff]).int64(0x02), Some(-1));
}

#[test]
fn bit_strings_read_as_written_and_right_align_for_signatures() {
    // A key usage of digitalSignature only: one bit, written as 0x80 with 7 unused bits.
    let (bytes, bits) = Der(&[0x03, 0x02, 0x07, 0x80]).bit_string().unwrap();
    assert_eq!((bytes.as_slice(), bits), (&[0x80u8][..], 1));
    assert_eq!(super::der::right_align(&bytes, bits), vec![0x01]);
    assert_eq!(super::der::right_align(&[0xab, 0xc0], 10), vec![0x02, 0xaf]);
    assert!(Der(&[0x03, 0x02, 0x07, 0x81]).bit_string().is_none(), "unused bits must be zero");
}

/// A P-384 certificate (made with Python's cryptography) whose fields OPA v1.22.4 reported as below.
const P384_CERT: &str = "MIICPzCCAcWgAwIBAgICBNIwCgYIKoZIzj0EAwMweDELMAkGA1UEBhMCVVMxDjAMBgNVBAoMBU9yZyBBMQ4wDAYDVQQKDAVPcmcgQjEPMA0GA1UEAwwGSXNzdWVyMRIwEAYDVQQJDAkxIE1haW4gU3QxDjAMBgNVBBEMBTEyMzQ1MRQwEgYJKoZIhvcNAQkBFgVhQGIuYzAeFw0yMDAxMDIwMzA0MDVaFw00OTEyMzEyMzU5NTlaMA8xDTALBgNVBAMMBHAzODQwdjAQBgcqhkjOPQIBBgUrgQQAIgNiAAQiZ8g8zmJBW7HrMsX12RrDsDCwQAJS1lXvbVHY+zqslPPsExP9qsjyk+evULRARnNDGJAEXI2u4KMj2BEMXx/+q47Gg0Fj8TEpMgykMga/U/zw0jHURmPRwL/Q2iW+fTejgYowgYcwgYQGA1UdEQR9MHuCDWEuZXhhbXBsZS5jb22BDm1lQGV4YW1wbGUuY29thwQKAQIDhxAgAQ24AAAAAAAAAAAAAAABhi9odHRwczovL3VzZXJAZXhhbXBsZS5jb206ODQ0My9wL2ElMjB0aD9xPTEjZnJhZ4YRdXJuOmV4YW1wbGU6dGhpbmcwCgYIKoZIzj0EAwMDaAAwZQIxAORxExBxqlnJKaRMW3xLRn0YvBWTidiCmePM08Q9cn2CuH1rSXWkOC6UneIRNeQy2wIwXq0dG43kWtmFAD7P2E72XUPmni8m0Xid+7d/16DpBAEUUHCozJKXkGo9kFXOw12q";

fn field<'a>(cert: &'a Value, name: &str) -> &'a Value {
    &cert[&Value::from(name)]
}

#[test]
fn a_certificate_reads_as_go_marshals_it() {
    let certs = certificates(&STD_PADDED.decode(P384_CERT).unwrap()).unwrap();
    let cert = &certs[0];
    let json = |text: &str| crate::json::parse(text).unwrap();
    assert_eq!(field(cert, "DNSNames"), &json(r#"["a.example.com"]"#));
    assert_eq!(field(cert, "EmailAddresses"), &json(r#"["me@example.com"]"#));
    assert_eq!(field(cert, "IPAddresses"), &json(r#"["10.1.2.3", "2001:db8::1"]"#));
    assert_eq!(field(cert, "URIStrings"), &json(r#"["https://user@example.com:8443/p/a%20th?q=1#frag", "urn:example:thing"]"#));
    assert_eq!(
        &field(cert, "URIs")[0],
        &json(r#"{"ForceQuery": false, "Fragment": "frag", "Host": "example.com:8443", "OmitHost": false, "Opaque": "",
                  "Path": "/p/a th", "RawFragment": "", "RawPath": "", "RawQuery": "q=1", "Scheme": "https", "User": {}}"#)
    );
    for (name, value) in [
        ("SignatureAlgorithm", "11"),
        ("PublicKeyAlgorithm", "3"),
        ("NotBefore", r#""2020-01-02T03:04:05Z""#),
        ("NotAfter", r#""2049-12-31T23:59:59Z""#),
        ("SerialNumber", "1234"),
        ("MaxPathLen", "0"),
        ("BasicConstraintsValid", "false"),
        ("Version", "3"),
        ("ExtraExtensions", "null"),
    ] {
        assert_eq!(field(cert, name), &json(value), "{name}");
    }
}

#[test]
fn truncated_certificates_are_errors_not_panics() {
    let der = STD_PADDED.decode(P384_CERT).unwrap();
    for cut in [1, 10, 100, der.len() / 2, der.len() - 1] {
        assert!(certificates(&der[..cut]).is_err(), "cut at {cut}");
    }
}

#[test]
fn corrupted_certificates_never_panic() {
    let der = STD_PADDED.decode(P384_CERT).unwrap();
    for i in 0..der.len() {
        for flip in [0x01, 0x80, 0xff] {
            let mut bad = der.clone();
            bad[i] ^= flip;
            let _ = certificates(&bad); // an error or a certificate, never a panic
        }
    }
}

/// A P-256 key in SEC 1 form, and the JWK OPA v1.22.4 gave for it (its public point is computed).
const EC_KEY: &str = "-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIJtgE5AMz9femn/st/6PFgufNVG9AEiu/q+KVY5zkZAhoAoGCCqGSM49
AwEHoUQDQgAE7tdgChlB9DtKTSHSkXFQwN8C8avHGb5c5kvyvOckonywwN90rtV/
RLwlkydvidJ+GmIf8gkNj1eF7jAYFSX6vQ==
-----END EC PRIVATE KEY-----
";

#[test]
fn private_keys_read_as_opa_reads_them() {
    let keys = super::keys::from_pem_data(EC_KEY).unwrap();
    assert_eq!(keys.len(), 1);
    let expected = crate::json::parse(
        r#"{"crv":"P-256","d":"m2ATkAzP196af-y3_o8WC581Ub0ASK7-r4pVjnORkCE","kty":"EC",
            "x":"7tdgChlB9DtKTSHSkXFQwN8C8avHGb5c5kvyvOckonw","y":"sMDfdK7Vf0S8JZMnb4nSfhpiH_IJDY9Xhe4wGBUl-r0"}"#,
    )
    .unwrap();
    assert_eq!(keys[0].jwk(), expected);
    // Other blocks are skipped; base64 of the PEM reads the same.
    let with_other = format!("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n{EC_KEY}");
    assert_eq!(super::keys::from_pem_data(&with_other).unwrap().len(), 1);
    let encoded = STD_PADDED.encode(EC_KEY.as_bytes());
    assert_eq!(super::keys::from_pem_data(&encoded).unwrap()[0].jwk(), expected);
    assert!(super::keys::from_pem_data("nope").unwrap().is_empty());
}

#[test]
fn pem_text_of_many_begin_lines_reads_as_nothing() {
    // Each BEGIN line without a later END used to search the rest of the text again.
    let text = "-----BEGIN CERTIFICATE-----\n".repeat(80_000);
    assert!(super::pem_certificates(&text).unwrap().is_empty());
    let with_far_end = format!("{text}-----END OTHER-----\n");
    assert!(super::pem_certificates(&with_far_end).unwrap().is_empty());
}

#[test]
fn corrupted_times_and_zero_seeds_are_errors_not_panics() {
    let mut der = STD_PADDED.decode(P384_CERT).unwrap();
    // The first UTCTime's tenth byte becomes the start of a two-byte character.
    let at = der.windows(2).position(|w| w == [0x17, 0x0d]).unwrap() + 2 + 9;
    der[at] = 0xc3;
    assert!(certificates(&der).is_err());
    let zero_seed = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n-----END PRIVATE KEY-----\n";
    assert!(super::keys::from_pem_data(zero_seed).is_err());
}
