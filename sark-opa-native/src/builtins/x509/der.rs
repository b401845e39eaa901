//! A DER reader with the checks of Go's `cryptobyte` (definite, minimal lengths; one-byte tags), which
//! `crypto/x509` parses with: what it refuses, the certificate parser here refuses too.

use anyhow::{bail, Result};

pub const BOOLEAN: u8 = 0x01;
pub const INTEGER: u8 = 0x02;
pub const BIT_STRING: u8 = 0x03;
pub const OCTET_STRING: u8 = 0x04;
pub const OID: u8 = 0x06;
pub const UTC_TIME: u8 = 0x17;
pub const GENERALIZED_TIME: u8 = 0x18;
pub const SEQUENCE: u8 = 0x30;
pub const SET: u8 = 0x31;

/// The longest INTEGER read: twice Go's largest RSA key (16,384 bits). Go reads serial numbers of any
/// length, but printing an integer in decimal takes time that grows with the square of its length, and a
/// megabyte-long serial would hold the thread for minutes.
pub const MAX_INTEGER_BYTES: usize = 4096;

/// A context-specific tag `[n]`, primitive.
pub const fn context(n: u8) -> u8 {
    0x80 | n
}

/// A context-specific tag `[n]`, constructed.
pub const fn context_constructed(n: u8) -> u8 {
    0xa0 | n
}

/// The unread rest of a DER encoding.
#[derive(Clone, Copy, Debug)]
pub struct Der<'a>(pub &'a [u8]);

impl<'a> Der<'a> {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn peek_tag(&self) -> Option<u8> {
        self.0.first().copied()
    }

    /// The next element: its tag, its whole encoding and its contents.
    pub fn any(&mut self) -> Option<(u8, &'a [u8], &'a [u8])> {
        let bytes = self.0;
        let (&tag, rest) = bytes.split_first()?;
        if tag & 0x1f == 0x1f {
            return None; // multi-byte tags: cryptobyte does not read them
        }
        let (&first, rest) = rest.split_first()?;
        let (length, header) = if first < 0x80 {
            (usize::from(first), 2)
        } else {
            let count = usize::from(first & 0x7f);
            // Indefinite lengths, more than four length bytes, and non-minimal lengths are refused.
            if count == 0 || count > 4 || rest.len() < count {
                return None;
            }
            let length = rest[..count].iter().fold(0usize, |n, &b| n << 8 | usize::from(b));
            if length < 0x80 || rest[0] == 0 {
                return None;
            }
            (length, 2 + count)
        };
        let end = header.checked_add(length)?;
        if bytes.len() < end {
            return None;
        }
        self.0 = &bytes[end..];
        Some((tag, &bytes[..end], &bytes[header..end]))
    }

    /// The next element if it has `tag`: its whole encoding and its contents.
    pub fn element(&mut self, tag: u8) -> Option<(&'a [u8], &'a [u8])> {
        if self.peek_tag() != Some(tag) {
            return None;
        }
        self.any().map(|(_, whole, contents)| (whole, contents))
    }

    /// The contents of the next element, which must have `tag`.
    pub fn read(&mut self, tag: u8) -> Option<Der<'a>> {
        self.element(tag).map(|(_, contents)| Der(contents))
    }

    /// The contents of the next element if it has `tag`; `Some(None)` when another (or no) element is next.
    pub fn optional(&mut self, tag: u8) -> Option<Option<Der<'a>>> {
        if self.peek_tag() == Some(tag) {
            self.read(tag).map(Some)
        } else {
            Some(None)
        }
    }

    /// An INTEGER's two's-complement bytes (minimal, as DER requires), of at most [`MAX_INTEGER_BYTES`].
    pub fn integer_bytes(&mut self, tag: u8) -> Option<&'a [u8]> {
        let Der(bytes) = self.read(tag)?;
        if bytes.len() > MAX_INTEGER_BYTES {
            return None;
        }
        let minimal = match bytes {
            [] => false,
            [0, next, ..] => next & 0x80 != 0,
            [0xff, next, ..] => next & 0x80 == 0,
            _ => true,
        };
        minimal.then_some(bytes)
    }

    /// An INTEGER that fits an i64.
    pub fn int64(&mut self, tag: u8) -> Option<i64> {
        let bytes = self.integer_bytes(tag)?;
        if bytes.len() > 8 {
            return None;
        }
        let negative = bytes[0] & 0x80 != 0;
        Some(bytes.iter().fold(if negative { -1i64 } else { 0 }, |n, &b| n << 8 | i64::from(b)))
    }

    pub fn boolean(&mut self) -> Option<bool> {
        match self.read(BOOLEAN)?.0 {
            [0] => Some(false),
            [0xff] => Some(true),
            _ => None,
        }
    }

    /// An OBJECT IDENTIFIER's arcs (each below 2^63, as Go's `asn1.ObjectIdentifier` holds them).
    pub fn oid(&mut self) -> Option<Vec<u64>> {
        oid_arcs(self.read(OID)?.0)
    }

    /// A BIT STRING's bytes as written (bit 0 is the first byte's high bit) and its length in bits.
    pub fn bit_string(&mut self) -> Option<(Vec<u8>, usize)> {
        let Der(bytes) = self.read(BIT_STRING)?;
        let (&unused, data) = bytes.split_first()?;
        if unused > 7 || (data.is_empty() && unused != 0) || data.last().is_some_and(|last| last & ((1 << unused) - 1) != 0) {
            return None;
        }
        Some((data.to_vec(), data.len() * 8 - usize::from(unused)))
    }
}

/// A BIT STRING's bytes right-aligned, as Go's `BitString.RightAlign` gives them (the unused low bits of
/// the last byte shifted out): how Go stores a signature.
pub fn right_align(bytes: &[u8], bits: usize) -> Vec<u8> {
    let shift = (bytes.len() * 8 - bits) as u32;
    if shift == 0 {
        return bytes.to_vec();
    }
    let mut out = Vec::with_capacity(bytes.len());
    let mut carry = 0u8;
    for &byte in bytes {
        out.push(carry | byte >> shift);
        carry = byte << (8 - shift);
    }
    out
}

/// The arcs of an OID's contents, or `None` when malformed.
pub fn oid_arcs(bytes: &[u8]) -> Option<Vec<u64>> {
    if bytes.is_empty() {
        return None;
    }
    let mut arcs = Vec::new();
    let mut value: u64 = 0;
    let mut started = false;
    for (i, &b) in bytes.iter().enumerate() {
        if !started && b == 0x80 {
            return None; // not minimal
        }
        started = true;
        if value > (u64::MAX >> 8) {
            return None;
        }
        value = value << 7 | u64::from(b & 0x7f);
        if b & 0x80 == 0 {
            if value > i64::MAX as u64 {
                return None;
            }
            if arcs.is_empty() {
                let first = (value / 40).min(2);
                arcs.push(first);
                arcs.push(value - first * 40);
            } else {
                arcs.push(value);
            }
            value = 0;
            started = false;
        } else if i == bytes.len() - 1 {
            return None;
        }
    }
    Some(arcs)
}

/// Fails with `message` when a read came back empty.
pub fn need<T>(value: Option<T>, message: &str) -> Result<T> {
    match value {
        Some(value) => Ok(value),
        None => bail!("{message}"),
    }
}
