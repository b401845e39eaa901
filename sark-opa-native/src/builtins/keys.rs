//! Keys for the `io.jwt.*` builtins: reading them from JWKs, JWK sets, PEM public keys and PEM
//! certificates, and signing and verifying with them, with OPA's rules (internal/jwx and
//! topdown/tokens.go) for what is accepted, what is an error and what merely fails to verify.
//!
//! Keys are kept as the raw numbers the text gave. OPA (Go) accepts any numbers when it reads a
//! JWK and only a verification with a bad key fails; building the RustCrypto key at that point
//! reproduces this: a key the crates reject verifies nothing.

use anyhow::{anyhow, bail, Result};
use hmac::{Hmac, KeyInit, Mac};
use rsa::pkcs1v15::Pkcs1v15Sign;
use rsa::{BoxedUint, PrivateKey as RsaPrivateKey, PublicKey as RsaPublicKey};
use serde_json::{Map, Value as Json};
use sha2::{Digest, Sha256, Sha384, Sha512};
use x509_cert::der::{Decode, Encode};
use x509_cert::spki::{ObjectIdentifier, SubjectPublicKeyInfoOwned};

use super::crypto::constant_time_eq;
use super::encoding::{go_json_error, pem_decode, URL_RAW};

/// The NIST curves OPA signs and verifies with.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Curve {
    P256,
    P384,
    P521,
}

impl Curve {
    /// Bytes of a coordinate, of a private scalar, and of each half of a JWS signature.
    fn size(self) -> usize {
        match self {
            Curve::P256 => 32,
            Curve::P384 => 48,
            Curve::P521 => 66,
        }
    }
}

/// What a key is made of.
#[derive(Clone, Debug)]
pub(super) enum Material {
    Rsa {
        n: Vec<u8>,
        e: Vec<u8>,
    },
    RsaPrivate {
        n: Vec<u8>,
        e: Vec<u8>,
        d: Vec<u8>,
        p: Vec<u8>,
        q: Vec<u8>,
    },
    Ec {
        curve: Curve,
        x: Vec<u8>,
        y: Vec<u8>,
    },
    EcPrivate {
        curve: Curve,
        d: Vec<u8>,
    },
    /// A symmetric (`oct`) key; a JWK without `k` gives an empty one.
    Oct(Vec<u8>),
    /// An Ed25519 public key (32 bytes when valid).
    Ed25519 {
        x: Vec<u8>,
    },
    /// An Ed25519 private key: its 32-byte seed.
    Ed25519Private {
        d: Vec<u8>,
    },
    /// A key OPA reads but never verifies with: X25519, DSA, P-224, or a certificate's key of an
    /// algorithm Go does not know.
    Unusable,
}

impl Material {
    /// Go's type name of the key, for OPA's "invalid key type" messages.
    fn go_type(&self) -> &'static str {
        match self {
            Material::Rsa { .. } => "*rsa.PublicKey",
            Material::RsaPrivate { .. } => "*rsa.PrivateKey",
            Material::Ec { .. } => "*ecdsa.PublicKey",
            Material::EcPrivate { .. } => "*ecdsa.PrivateKey",
            Material::Oct(_) => "[]uint8",
            Material::Ed25519 { .. } => "ed25519.PublicKey",
            Material::Ed25519Private { .. } => "ed25519.PrivateKey",
            Material::Unusable => "<nil>",
        }
    }
}

/// A key with the JWK attributes OPA uses when choosing keys: `alg` ("" when absent) and `kid`.
#[derive(Clone, Debug)]
pub(super) struct Key {
    pub alg: String,
    pub kid: String,
    pub material: Material,
}

/// A JWS algorithm.
#[derive(Clone, Copy, Debug)]
pub(super) struct Algorithm {
    pub hash: Hash,
    pub scheme: Scheme,
}

#[derive(Clone, Copy, Debug)]
pub(super) enum Hash {
    Sha256,
    Sha384,
    Sha512,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) enum Scheme {
    Hmac,
    RsaPkcs1,
    RsaPss,
    Ecdsa,
    /// Ed25519 (`EdDSA`), which hashes inside the signature scheme.
    EdDsa,
}

/// The thirteen JWS algorithms OPA signs and verifies with ("none" is not among them).
pub(super) fn algorithm(name: &str) -> Option<Algorithm> {
    if name == "EdDSA" {
        return Some(Algorithm { hash: Hash::Sha512, scheme: Scheme::EdDsa });
    }
    let hash = match name.get(2..)? {
        "256" => Hash::Sha256,
        "384" => Hash::Sha384,
        "512" => Hash::Sha512,
        _ => return None,
    };
    let scheme = match &name[..2] {
        "HS" => Scheme::Hmac,
        "RS" => Scheme::RsaPkcs1,
        "PS" => Scheme::RsaPss,
        "ES" => Scheme::Ecdsa,
        _ => return None,
    };
    Some(Algorithm { hash, scheme })
}

impl Hash {
    fn digest(self, data: &[u8]) -> Vec<u8> {
        match self {
            Hash::Sha256 => Sha256::digest(data).to_vec(),
            Hash::Sha384 => Sha384::digest(data).to_vec(),
            Hash::Sha512 => Sha512::digest(data).to_vec(),
        }
    }

    fn hmac(self, key: &[u8], data: &[u8]) -> Vec<u8> {
        fn run<M: Mac + KeyInit>(key: &[u8], data: &[u8]) -> Vec<u8> {
            let mut mac =
                <M as KeyInit>::new_from_slice(key).expect("HMAC takes keys of any length");
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        match self {
            Hash::Sha256 => run::<Hmac<Sha256>>(key, data),
            Hash::Sha384 => run::<Hmac<Sha384>>(key, data),
            Hash::Sha512 => run::<Hmac<Sha512>>(key, data),
        }
    }

    fn pkcs1(self) -> Pkcs1v15Sign {
        match self {
            Hash::Sha256 => Pkcs1v15Sign::new::<Sha256>(),
            Hash::Sha384 => Pkcs1v15Sign::new::<Sha384>(),
            Hash::Sha512 => Pkcs1v15Sign::new::<Sha512>(),
        }
    }

    fn len(self) -> usize {
        match self {
            Hash::Sha256 => 32,
            Hash::Sha384 => 48,
            Hash::Sha512 => 64,
        }
    }
}

/// RSASSA-PSS verification accepting any salt length, as Go's verifier does by default.
fn pss_verify(hash: Hash, key: &RsaPublicKey, digest: &[u8], signature: &[u8]) -> bool {
    fn with<D: Digest + sha2::digest::FixedOutputReset>(
        key: &RsaPublicKey,
        digest: &[u8],
        signature: &[u8],
    ) -> bool {
        let scheme = rsa::Pss::<D> {
            blinded: true,
            digest: D::new(),
            salt_len: None,
        };
        key.verify(scheme, digest, signature).is_ok()
    }
    match hash {
        Hash::Sha256 => with::<Sha256>(key, digest, signature),
        Hash::Sha384 => with::<Sha384>(key, digest, signature),
        Hash::Sha512 => with::<Sha512>(key, digest, signature),
    }
}

/// Verifies `signature` over `input`. `Ok(false)`: the signature does not verify with this key;
/// `Err`: the key is of the wrong kind for the algorithm. OPA treats the two alike except when
/// `io.jwt.decode_verify` checks with a `secret`, where the second is an error.
pub(super) fn verify(
    alg: Algorithm,
    key: &Material,
    input: &[u8],
    signature: &[u8],
) -> Result<bool> {
    match (alg.scheme, key) {
        (Scheme::Hmac, Material::Oct(secret)) => {
            Ok(constant_time_eq(&alg.hash.hmac(secret, input), signature))
        }
        (Scheme::Hmac, _) => bail!("incorrect symmetric key type"),
        (Scheme::RsaPkcs1 | Scheme::RsaPss, Material::Rsa { n, e }) => {
            let Some(public) = rsa_public(n, e) else {
                return Ok(false);
            };
            let digest = alg.hash.digest(input);
            Ok(if alg.scheme == Scheme::RsaPkcs1 {
                public.verify(alg.hash.pkcs1(), &digest, signature).is_ok()
            } else {
                pss_verify(alg.hash, &public, &digest, signature)
            })
        }
        (Scheme::Ecdsa, Material::Ec { curve, x, y }) => Ok(ecdsa_verify(
            *curve,
            x,
            y,
            &alg.hash.digest(input),
            signature,
        )),
        (Scheme::EdDsa, Material::Ed25519 { x }) => Ok(ed25519_verify(x, input, signature)),
        _ => bail!("incorrect public key type"),
    }
}

/// Go accepts RSA keys from 1024 bits (since Go 1.24) up to 16384 bits.
fn rsa_public(n: &[u8], e: &[u8]) -> Option<RsaPublicKey> {
    let n = BoxedUint::from_be_slice_vartime(n);
    let e = BoxedUint::from_be_slice_vartime(e);
    RsaPublicKey::new_with_size_limits(n, e, 1024..=16384).ok()
}

/// `bytes` as a big-endian number of exactly `size` bytes, if it fits.
fn fixed(bytes: &[u8], size: usize) -> Option<Vec<u8>> {
    let start = bytes.iter().position(|b| *b != 0).unwrap_or(bytes.len());
    let digits = &bytes[start..];
    (digits.len() <= size).then(|| {
        let mut out = vec![0; size - digits.len()];
        out.extend_from_slice(digits);
        out
    })
}

/// ECDSA as OPA checks JWS signatures: the signature's first half is r, the rest s, whatever the
/// curve; a point off the curve or an out-of-range r or s does not verify.
fn ecdsa_verify(curve: Curve, x: &[u8], y: &[u8], digest: &[u8], signature: &[u8]) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let size = curve.size();
    let (r, s) = signature.split_at(signature.len() / 2);
    let (Some(x), Some(y), Some(r), Some(s)) = (
        fixed(x, size),
        fixed(y, size),
        fixed(r, size),
        fixed(s, size),
    ) else {
        return false;
    };
    let mut point = Vec::with_capacity(1 + 2 * size);
    point.push(4);
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    let rs = [r, s].concat();
    match curve {
        Curve::P256 => {
            let (Ok(key), Ok(sig)) = (
                p256::ecdsa::VerifyingKey::from_sec1_bytes(&point),
                p256::ecdsa::Signature::from_slice(&rs),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
        Curve::P384 => {
            let (Ok(key), Ok(sig)) = (
                p384::ecdsa::VerifyingKey::from_sec1_bytes(&point),
                p384::ecdsa::Signature::from_slice(&rs),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
        Curve::P521 => {
            let (Ok(key), Ok(sig)) = (
                p521::ecdsa::VerifyingKey::from_sec1_bytes(&point),
                p521::ecdsa::Signature::from_slice(&rs),
            ) else {
                return false;
            };
            key.verify_prehash(digest, &sig).is_ok()
        }
    }
}

/// Signs `input` as OPA's `io.jwt.encode_sign*` do. RSA and ECDSA signatures are randomised (PSS
/// salt, RSA blinding); ECDSA nonces follow RFC 6979, which verifiers cannot tell from Go's.
/// A key that is not 32 bytes, or not a point of the curve, verifies nothing.
fn ed25519_verify(x: &[u8], input: &[u8], signature: &[u8]) -> bool {
    let (Ok(key), Ok(signature)) =
        (ed25519_compact::PublicKey::from_slice(x), ed25519_compact::Signature::from_slice(signature))
    else {
        return false;
    };
    key.verify(input, &signature).is_ok()
}

pub(super) fn sign(alg: Algorithm, key: &Material, input: &[u8]) -> Result<Vec<u8>> {
    let wrong = |wanted: &str| anyhow!("invalid key type {}. {wanted} is required", key.go_type());
    match alg.scheme {
        Scheme::EdDsa => {
            let Material::Ed25519Private { d } = key else {
                return Err(wrong("ed25519.PrivateKey"));
            };
            let seed = ed25519_compact::Seed::from_slice(d)
                .map_err(|_| anyhow!("ed25519: bad private key length: {}", d.len()))?;
            let pair = ed25519_compact::KeyPair::try_from_seed(seed)
                .map_err(|_| anyhow!("ed25519: an all-zero seed is not supported here"))?;
            Ok(pair.sk.sign(input, None).to_vec())
        }
        Scheme::Hmac => match key {
            Material::Oct(secret) if secret.is_empty() => {
                bail!("missing key while signing payload")
            }
            Material::Oct(secret) => Ok(alg.hash.hmac(secret, input)),
            _ => Err(wrong("[]byte")),
        },
        Scheme::RsaPkcs1 | Scheme::RsaPss => {
            let Material::RsaPrivate { n, e, d, p, q } = key else {
                return Err(wrong("*rsa.PrivateKey"));
            };
            let private = RsaPrivateKey::from_components(
                BoxedUint::from_be_slice_vartime(n),
                BoxedUint::from_be_slice_vartime(e),
                BoxedUint::from_be_slice_vartime(d),
                vec![
                    BoxedUint::from_be_slice_vartime(p),
                    BoxedUint::from_be_slice_vartime(q),
                ],
            )
            .map_err(|e| anyhow!("crypto/rsa: {e}"))?;
            let digest = alg.hash.digest(input);
            let signed = if alg.scheme == Scheme::RsaPkcs1 {
                private.sign(alg.hash.pkcs1(), &digest)
            } else {
                // Go's PSSSaltLengthAuto when signing: the longest salt the key allows.
                let bits = n.len() * 8
                    - n.iter()
                        .position(|b| *b != 0)
                        .map_or(n.len() * 8, |i| i * 8 + n[i].leading_zeros() as usize);
                let salt = (bits - 1).div_ceil(8).saturating_sub(alg.hash.len() + 2);
                match alg.hash {
                    Hash::Sha256 => private.sign(rsa::Pss::<Sha256>::new_with_salt(salt), &digest),
                    Hash::Sha384 => private.sign(rsa::Pss::<Sha384>::new_with_salt(salt), &digest),
                    Hash::Sha512 => private.sign(rsa::Pss::<Sha512>::new_with_salt(salt), &digest),
                }
            };
            signed.map_err(|e| anyhow!("crypto/rsa: {e}"))
        }
        Scheme::Ecdsa => {
            let Material::EcPrivate { curve, d } = key else {
                return Err(wrong("*ecdsa.PrivateKey"));
            };
            let digest = alg.hash.digest(input);
            let failed =
                |e: &dyn std::fmt::Display| anyhow!("failed to sign payload using ecdsa: {e}");
            use p256::ecdsa::signature::hazmat::PrehashSigner;
            match curve {
                Curve::P256 => {
                    let k = p256::ecdsa::SigningKey::from_slice(d).map_err(|e| failed(&e))?;
                    let s: p256::ecdsa::Signature =
                        k.sign_prehash(&digest).map_err(|e| failed(&e))?;
                    Ok(s.to_bytes().to_vec())
                }
                Curve::P384 => {
                    let k = p384::ecdsa::SigningKey::from_slice(d).map_err(|e| failed(&e))?;
                    let s: p384::ecdsa::Signature =
                        k.sign_prehash(&digest).map_err(|e| failed(&e))?;
                    Ok(s.to_bytes().to_vec())
                }
                Curve::P521 => {
                    let k = p521::ecdsa::SigningKey::from_slice(d).map_err(|e| failed(&e))?;
                    let s: p521::ecdsa::Signature =
                        k.sign_prehash(&digest).map_err(|e| failed(&e))?;
                    Ok(s.to_bytes().to_vec())
                }
            }
        }
    }
}

// ---- Reading keys -------------------------------------------------------------------------------

/// The keys of a `cert` constraint or of the key argument of `io.jwt.verify_*`: a PEM certificate,
/// a PEM public key, a JWK or a JWK set (OPA's getKeysFromCertOrJWK).
pub(super) fn keys_from_cert_or_jwk(text: &str) -> Result<Vec<Key>> {
    if let Some((pem, rest)) = pem_decode(text) {
        if !rest.is_empty() {
            bail!("extra data after a PEM certificate block");
        }
        let material = match pem.label.as_str() {
            "CERTIFICATE" => certificate_key(&pem.body)
                .map_err(|e| anyhow!("failed to parse a PEM certificate: {e}"))?,
            "PUBLIC KEY" => public_key_info(&pem.body)
                .map_err(|e| anyhow!("failed to parse a PEM public key: {e}"))?,
            _ => bail!("failed to extract a Key from the PEM certificate"),
        };
        return Ok(vec![Key {
            alg: String::new(),
            kid: String::new(),
            material,
        }]);
    }
    parse_jwk_set(text).map_err(|e| anyhow!("failed to parse a JWK key (set): {e}"))
}

fn certificate_key(der: &[u8]) -> Result<Material> {
    let cert = x509_cert::Certificate::from_der(der)
        .map_err(|e| anyhow!("x509: malformed certificate ({e})"))?;
    // Go parses any certificate; a key of an algorithm it does not know is left empty.
    Ok(
        spki_material(cert.tbs_certificate().subject_public_key_info())
            .unwrap_or(Material::Unusable),
    )
}

fn public_key_info(der: &[u8]) -> Result<Material> {
    let info = SubjectPublicKeyInfoOwned::from_der(der)
        .map_err(|e| anyhow!("x509: malformed public key ({e})"))?;
    spki_material(&info)
}

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const DSA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10040.4.1");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const X25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.110");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const SECP224R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.33");

/// The key in a SubjectPublicKeyInfo, for the algorithms Go's x509.ParsePKIXPublicKey knows.
fn spki_material(info: &SubjectPublicKeyInfoOwned) -> Result<Material> {
    let bits = info.subject_public_key.raw_bytes();
    let oid = info.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        let key: rsa::pkcs1::RsaPublicKey<rsa::pkcs1::UintRef<'_>> =
            rsa::pkcs1::RsaPublicKey::from_der(bits)
                .map_err(|e| anyhow!("x509: invalid RSA public key ({e})"))?;
        return Ok(Material::Rsa {
            n: key.modulus.as_bytes().to_vec(),
            e: key.public_exponent.as_bytes().to_vec(),
        });
    }
    if oid == EC_PUBLIC_KEY {
        let curve = info
            .algorithm
            .parameters
            .as_ref()
            .and_then(|p| p.to_der().ok())
            .and_then(|der| ObjectIdentifier::from_der(&der).ok())
            .ok_or_else(|| anyhow!("x509: invalid ECDSA parameters"))?;
        let curve = match curve {
            c if c == SECP256R1 => Curve::P256,
            c if c == SECP384R1 => Curve::P384,
            c if c == SECP521R1 => Curve::P521,
            c if c == SECP224R1 => return Ok(Material::Unusable),
            _ => bail!("x509: unsupported elliptic curve"),
        };
        let size = curve.size();
        if bits.len() != 1 + 2 * size || bits[0] != 4 {
            bail!("x509: failed to unmarshal elliptic curve point");
        }
        return Ok(Material::Ec {
            curve,
            x: bits[1..1 + size].to_vec(),
            y: bits[1 + size..].to_vec(),
        });
    }
    if oid == ED25519 {
        return Ok(Material::Ed25519 { x: bits.to_vec() });
    }
    if oid == DSA || oid == X25519 {
        return Ok(Material::Unusable);
    }
    bail!("x509: unknown public key algorithm")
}

/// A JWK or a JWK set, read the way OPA's jwk.ParseString reads it (with Go's encoding/json:
/// field names match case-insensitively, `null` is as good as absent). In a set, keys whose `alg`
/// OPA does not know are left out.
pub(super) fn parse_jwk_set(text: &str) -> Result<Vec<Key>> {
    let json: Json = serde_json::from_str(text)
        .map_err(|e| anyhow!("failed to unmarshal JWK Set: {}", go_json_error(&e, text)))?;
    let empty = Map::new();
    let top = match &json {
        Json::Object(o) => o,
        Json::Null => &empty,
        other => bail!("failed to unmarshal JWK Set: json: cannot unmarshal {} into Go value of type jwk.RawKeySetJSON", json_kind(other)),
    };
    let listed = match field(top, "keys") {
        None | Some(Json::Null) => Vec::new(),
        Some(Json::Array(items)) => items.iter().collect(),
        Some(other) => bail!(
            "failed to unmarshal JWK Set: json: cannot unmarshal {} into Go struct field RawKeySetJSON.keys of type []jwk.RawKeyJSON",
            json_kind(other)
        ),
    };
    if listed.is_empty() {
        let raw = RawKey::read(top).map_err(|e| anyhow!("failed to unmarshal JWK: {e}"))?;
        return Ok(vec![raw
            .generate()
            .map_err(|e| anyhow!("failed to generate key: {e}"))?]);
    }
    let mut raws = Vec::with_capacity(listed.len());
    for item in listed {
        let raw = match item {
            Json::Object(o) => RawKey::read(o),
            Json::Null => RawKey::read(&empty),
            other => Err(anyhow!(
                "json: cannot unmarshal {} into Go value of type jwk.RawKeyJSON",
                json_kind(other)
            )),
        };
        raws.push(raw.map_err(|e| anyhow!("failed to unmarshal JWK Set: {e}"))?);
    }
    raws.into_iter()
        .filter(|raw| raw.alg.as_deref() != Some(UNSUPPORTED))
        .map(|raw| {
            raw.generate()
                .map_err(|e| anyhow!("failed to generate key: {e}"))
        })
        .collect()
}

/// The `alg` OPA gives a JWK whose algorithm it does not know.
const UNSUPPORTED: &str = "unsupported";

fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "bool",
        Json::Number(_) => "number",
        Json::String(_) => "string",
        Json::Array(_) => "array",
        Json::Object(_) => "object",
    }
}

/// A member of a JSON object as Go's encoding/json finds a struct field: exact name first, then
/// any name equal ignoring ASCII case.
fn field<'a>(o: &'a Map<String, Json>, name: &str) -> Option<&'a Json> {
    o.get(name).or_else(|| {
        o.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    })
}

/// The members of a JWK that OPA reads, before it checks they make a key.
#[derive(Default)]
struct RawKey {
    alg: Option<String>,
    kid: String,
    kty: String,
    crv: String,
    params: std::collections::BTreeMap<&'static str, Vec<u8>>,
}

impl RawKey {
    fn read(o: &Map<String, Json>) -> Result<RawKey> {
        let mut raw = RawKey::default();
        let type_error = |name: &str, v: &Json, want: &str| {
            anyhow!(
                "json: cannot unmarshal {} into Go struct field RawKeyJSON.{name} of type {want}",
                json_kind(v)
            )
        };
        let text = |name: &str| -> Result<Option<String>> {
            match field(o, name) {
                None | Some(Json::Null) => Ok(None),
                Some(Json::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(type_error(name, other, "string")),
            }
        };
        // An unknown algorithm is not an error, it marks the key unsupported; so does a non-string.
        raw.alg = match field(o, "alg") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) if algorithm(s).is_some() || s == "none" => Some(s.clone()),
            Some(_) => Some(UNSUPPORTED.to_string()),
        };
        raw.kid = text("kid")?.unwrap_or_default();
        raw.kty = match field(o, "kty") {
            None => String::new(),
            Some(Json::String(s)) if matches!(s.as_str(), "EC" | "oct" | "RSA" | "OKP") => s.clone(),
            Some(Json::String(_)) | Some(_) => bail!("unknown signature algorithm"),
        };
        text("use")?;
        raw.crv = text("crv")?.unwrap_or_default();
        match field(o, "key_ops") {
            None | Some(Json::Null) => {}
            Some(Json::Array(ops)) => {
                for op in ops {
                    match op.as_str() {
                        Some(
                            "sign" | "verify" | "encrypt" | "decrypt" | "wrapKey" | "unwrapKey"
                            | "deriveKey" | "deriveBits",
                        ) => {}
                        Some(_) => bail!("unknown key operation"),
                        None => bail!("invalid key operation"),
                    }
                }
            }
            Some(_) => bail!("invalid key operation"),
        }
        match field(o, "privateParams") {
            None | Some(Json::Null) | Some(Json::Object(_)) => {}
            Some(other) => {
                return Err(type_error(
                    "privateParams",
                    other,
                    "map[string]interface {}",
                ))
            }
        }
        for name in ["n", "e", "d", "p", "q", "dp", "dq", "qi", "x", "y", "k"] {
            match field(o, name) {
                None => {}
                // `null` still yields an (empty) value: Go calls the field's UnmarshalJSON.
                Some(Json::Null) => {
                    raw.params.insert(name, Vec::new());
                }
                Some(Json::String(s)) => {
                    let bytes = URL_RAW.decode(s).map_err(|e| {
                        anyhow!("failed to unmarshal JSON: failed to decode from base64: {e}")
                    })?;
                    raw.params.insert(name, bytes);
                }
                Some(other) => {
                    bail!("failed to unmarshal JSON: json: cannot unmarshal {} into Go value of type string", json_kind(other))
                }
            }
        }
        Ok(raw)
    }

    /// The key the members describe (OPA's RawKeyJSON.GenerateKey).
    fn generate(mut self) -> Result<Key> {
        let mut take = |name: &str| self.params.remove(name);
        let material = match self.kty.as_str() {
            "RSA" => {
                let public = |n: Option<Vec<u8>>, e: Option<Vec<u8>>| match (n, e) {
                    (Some(n), Some(e)) => Ok((n, e)),
                    _ => Err(anyhow!("missing mandatory key parameters N or E")),
                };
                let (n, e) = (take("n"), take("e"));
                match take("d") {
                    None => {
                        let (n, e) = public(n, e)
                            .map_err(|e| anyhow!("failed to generate key from JWK: {e}"))?;
                        Material::Rsa { n, e }
                    }
                    Some(d) => {
                        let (n, e) = public(n, e).map_err(|e| anyhow!("failed to generate key from JWK: failed to generate public key: {e}"))?;
                        let (Some(p), Some(q)) = (take("p"), take("q")) else {
                            bail!("failed to generate key from JWK: missing mandatory key parameters D, P or Q");
                        };
                        Material::RsaPrivate { n, e, d, p, q }
                    }
                }
            }
            "EC" => {
                let d = take("d");
                let wrap = |e: anyhow::Error| {
                    if d.is_some() {
                        anyhow!(
                            "failed to generate key from JWK: failed to generate public key: {e}"
                        )
                    } else {
                        anyhow!("failed to generate key from JWK: {e}")
                    }
                };
                let (x, y) = match (take("x"), take("y")) {
                    (Some(x), Some(y)) if !self.crv.is_empty() => (x, y),
                    _ => {
                        return Err(wrap(anyhow!(
                            "missing mandatory key parameters X, Y or Crv"
                        )))
                    }
                };
                let curve = match self.crv.as_str() {
                    "P-256" => Curve::P256,
                    "P-384" => Curve::P384,
                    "P-521" => Curve::P521,
                    other => return Err(wrap(anyhow!("invalid curve name {other}"))),
                };
                match d {
                    None => Material::Ec { curve, x, y },
                    Some(d) if d.len() == curve.size() => Material::EcPrivate { curve, d },
                    Some(_) => bail!("failed to generate key from JWK: failed to generate private key. Incorrect D value"),
                }
            }
            "oct" => Material::Oct(take("k").unwrap_or_default()),
            "OKP" => {
                let (x, d) = (take("x"), take("d"));
                match (self.crv.as_str(), x, d) {
                    ("Ed25519", _, Some(d)) => Material::Ed25519Private { d },
                    ("Ed25519", Some(x), None) => Material::Ed25519 { x },
                    ("Ed25519", None, None) => bail!("failed to generate key from JWK: missing mandatory key parameter X"),
                    // X25519 keys agree on secrets; they sign nothing.
                    _ => Material::Unusable,
                }
            }
            _ => bail!("unrecognized key type"),
        };
        Ok(Key {
            alg: self.alg.unwrap_or_default(),
            kid: self.kid,
            material,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwk_sets_and_single_jwks_are_read() {
        let keys =
            parse_jwk_set(r#"{"kty":"oct","k":"c2VjcmV0","kid":"a","alg":"HS256"}"#).unwrap();
        assert!(
            matches!(&keys[..], [Key { alg, kid, material: Material::Oct(k) }] if alg == "HS256" && kid == "a" && k == b"secret")
        );
        let set = r#"{"keys":[{"kty":"oct","k":"AA","alg":"XX1"},{"KTY":"oct","k":"AQ"}]}"#;
        let keys = parse_jwk_set(set).unwrap();
        assert_eq!(keys.len(), 1, "the key with an unknown alg is left out");
        assert!(matches!(&keys[0].material, Material::Oct(k) if k == &[1]));
    }

    #[test]
    fn jwk_errors_read_like_opa() {
        let error = |text: &str| parse_jwk_set(text).unwrap_err().to_string();
        assert_eq!(error(r#"{"kty":"RSA","e":"AQAB"}"#), "failed to generate key: failed to generate key from JWK: missing mandatory key parameters N or E");
        assert_eq!(
            error(r#"{"kty":"EC","crv":"P-1","x":"AA","y":"AA"}"#),
            "failed to generate key: failed to generate key from JWK: invalid curve name P-1"
        );
        assert_eq!(
            error(r#"{"n":"AA"}"#),
            "failed to generate key: unrecognized key type"
        );
        assert!(error("nope").starts_with("failed to unmarshal JWK Set: invalid character 'o'"));
        assert!(
            error(r#"{"kty":"oct","k":"AA=="}"#).contains("illegal base64 data at input byte 2")
        );
    }

    #[test]
    fn hmac_signs_and_verifies() {
        let alg = algorithm("HS256").unwrap();
        let key = Material::Oct(b"secret".to_vec());
        let sig = sign(alg, &key, b"a.b").unwrap();
        assert!(verify(alg, &key, b"a.b", &sig).unwrap());
        assert!(!verify(alg, &key, b"a.c", &sig).unwrap());
        assert!(
            verify(algorithm("RS256").unwrap(), &key, b"a.b", &sig).is_err(),
            "a secret is no RSA key"
        );
        assert!(sign(alg, &Material::Oct(Vec::new()), b"a.b").is_err());
    }

    #[test]
    fn eddsa_signs_and_verifies_with_okp_jwks() {
        // RFC 8037's example key (A.1): the seed `d` and its public key `x`.
        let private = parse_jwk_set(r#"{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#).unwrap();
        let public = parse_jwk_set(r#"{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}"#).unwrap();
        let alg = algorithm("EdDSA").unwrap();
        let input = b"eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc";
        let signature = sign(alg, &private[0].material, input).unwrap();
        // RFC 8037 A.4's signature of this input.
        assert_eq!(URL_RAW.encode(&signature), "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg");
        assert!(verify(alg, &public[0].material, input, &signature).unwrap());
        let mut tampered = signature.clone();
        tampered[0] ^= 1;
        assert!(!verify(alg, &public[0].material, input, &tampered).unwrap());
        let short_key = Material::Ed25519 { x: vec![1; 31] };
        assert!(!verify(alg, &short_key, input, &signature).unwrap());
        assert!(sign(alg, &public[0].material, input).unwrap_err().to_string().contains("ed25519.PrivateKey is required"));
    }

    #[test]
    fn ecdsa_signs_and_verifies_on_every_curve() {
        // Private and public JWKs of one key per curve would be long; derive the public point instead.
        for (name, d) in [
            ("ES256", vec![7u8; 32]),
            ("ES384", vec![7u8; 48]),
            ("ES512", [vec![1u8], vec![7u8; 65]].concat()),
        ] {
            let alg = algorithm(name).unwrap();
            let (curve, point) = match name {
                "ES256" => (
                    Curve::P256,
                    p256::ecdsa::SigningKey::from_slice(&d)
                        .unwrap()
                        .verifying_key()
                        .to_sec1_point(false)
                        .as_bytes()
                        .to_vec(),
                ),
                "ES384" => (
                    Curve::P384,
                    p384::ecdsa::SigningKey::from_slice(&d)
                        .unwrap()
                        .verifying_key()
                        .to_sec1_point(false)
                        .as_bytes()
                        .to_vec(),
                ),
                _ => (
                    Curve::P521,
                    p521::ecdsa::SigningKey::from_slice(&d)
                        .unwrap()
                        .verifying_key()
                        .to_sec1_point(false)
                        .as_bytes()
                        .to_vec(),
                ),
            };
            let size = curve.size();
            let public = Material::Ec {
                curve,
                x: point[1..1 + size].to_vec(),
                y: point[1 + size..].to_vec(),
            };
            let sig = sign(alg, &Material::EcPrivate { curve, d }, b"header.payload").unwrap();
            assert_eq!(sig.len(), 2 * size);
            assert!(
                verify(alg, &public, b"header.payload", &sig).unwrap(),
                "{name}"
            );
            assert!(
                !verify(alg, &public, b"header.payloaD", &sig).unwrap(),
                "{name}"
            );
        }
    }
}
