//! Turning field text and JSON into stored values, and back to JSON.

use serde::Deserialize;
use serde_json::Value as Json;

use crate::model::{Date, PropType, Provenance, Temporal, Value};

use super::header::Scalar;

/// A value of `scalar` type from CSV text; `None` when it does not parse.
pub(crate) fn parse_scalar(text: &str, scalar: Scalar) -> Option<Value> {
    Some(match scalar {
        Scalar::Str => Value::String(text.to_string()),
        Scalar::Int => Value::Int(text.trim().parse().ok()?),
        Scalar::Float => Value::Float(parse_float(text.trim())?),
        Scalar::Bool => {
            let t = text.trim();
            if t.eq_ignore_ascii_case("true") {
                Value::Bool(true)
            } else if t.eq_ignore_ascii_case("false") {
                Value::Bool(false)
            } else {
                return None;
            }
        }
        Scalar::Date => Value::Date(Date::parse(text.trim()).ok()?),
        Scalar::LocalTime
        | Scalar::Time
        | Scalar::LocalDateTime
        | Scalar::DateTime
        | Scalar::Duration => Value::Temporal(Temporal::parse(&scalar.prop_type(), text)?),
    })
}

/// Rust's float syntax, which also reads `NaN`, `Infinity` and `-Infinity`
/// as the exports write them.
fn parse_float(t: &str) -> Option<f64> {
    t.parse().ok()
}

/// How a column is read when its header gives no type: the schema's type
/// when it is a scalar or a list of scalars, else string.
pub(crate) fn scalar_of(ty: Option<&PropType>) -> (Scalar, bool) {
    let scalar = |t: &PropType| match t {
        PropType::Int => Some(Scalar::Int),
        PropType::Float => Some(Scalar::Float),
        PropType::Bool => Some(Scalar::Bool),
        PropType::Date => Some(Scalar::Date),
        PropType::String => Some(Scalar::Str),
        PropType::LocalTime => Some(Scalar::LocalTime),
        PropType::Time => Some(Scalar::Time),
        PropType::LocalDateTime => Some(Scalar::LocalDateTime),
        PropType::DateTime => Some(Scalar::DateTime),
        PropType::Duration => Some(Scalar::Duration),
        _ => None,
    };
    match ty {
        Some(PropType::List(inner)) => match scalar(inner) {
            Some(s) => (s, true),
            None => (Scalar::Str, false),
        },
        Some(t) => (scalar(t).unwrap_or(Scalar::Str), false),
        None => (Scalar::Str, false),
    }
}

/// One source as the provenance column and JSON lines write it.
#[derive(Deserialize)]
struct ProvenanceIn {
    document: String,
    sentence: u32,
    start: u32,
    end: u32,
    #[serde(default = "default_method")]
    method: String,
}

fn default_method() -> String {
    "import".into()
}

impl From<ProvenanceIn> for Provenance {
    fn from(p: ProvenanceIn) -> Provenance {
        Provenance {
            document: p.document.into(),
            sentence: p.sentence,
            start: p.start,
            end: p.end,
            method: p.method.into(),
        }
    }
}

const PROVENANCE_SHAPE: &str =
    "provenance must be a JSON array of {\"document\", \"sentence\", \"start\", \"end\", \"method\"} objects";

/// Reads the provenance column's JSON text.
pub(crate) fn parse_provenance(text: &str) -> Result<Vec<Provenance>, String> {
    let list: Vec<ProvenanceIn> =
        serde_json::from_str(text).map_err(|e| format!("{PROVENANCE_SHAPE}: {e}"))?;
    Ok(list.into_iter().map(Provenance::from).collect())
}

/// Reads a JSON provenance array.
pub(crate) fn json_provenance(v: &Json) -> Result<Vec<Provenance>, String> {
    let list: Vec<ProvenanceIn> =
        Vec::deserialize(v).map_err(|e| format!("{PROVENANCE_SHAPE}: {e}"))?;
    Ok(list.into_iter().map(Provenance::from).collect())
}

/// The JSON type name of `v`, for messages.
fn json_kind(v: &Json) -> &'static str {
    match v {
        Json::Null => "null",
        Json::Bool(_) => "a boolean",
        Json::Number(_) => "a number",
        Json::String(_) => "a string",
        Json::Array(_) => "an array",
        Json::Object(_) => "an object",
    }
}

/// A JSON property value as a stored value, read as the schema's type `ty`
/// when it declares one (dates and non-finite floats are strings in JSON).
/// `None` for null (no property).
pub(crate) fn json_value(v: &Json, ty: Option<&PropType>) -> Result<Option<Value>, String> {
    if v.is_null() {
        return Ok(None);
    }
    Ok(Some(json_item(v, ty)?))
}

fn json_item(v: &Json, ty: Option<&PropType>) -> Result<Value, String> {
    let wrong = |expected: &PropType| format!("{v} is not {expected} (it is {})", json_kind(v));
    match (ty, v) {
        (_, Json::Null) => Ok(Value::Null),
        (Some(PropType::Date), Json::String(s)) => {
            Date::parse(s).map(Value::Date).map_err(|e| e.to_string())
        }
        (
            Some(
                t @ (PropType::LocalTime
                | PropType::Time
                | PropType::LocalDateTime
                | PropType::DateTime
                | PropType::Duration),
            ),
            Json::String(s),
        ) => Temporal::parse(t, s)
            .map(Value::Temporal)
            .ok_or_else(|| format!("{s:?} is not a valid {t}")),
        (Some(PropType::Float), Json::String(s)) => match s.as_str() {
            "NaN" => Ok(Value::Float(f64::NAN)),
            "Infinity" => Ok(Value::Float(f64::INFINITY)),
            "-Infinity" => Ok(Value::Float(f64::NEG_INFINITY)),
            _ => Err(wrong(&PropType::Float)),
        },
        (Some(PropType::Int), Json::Number(n)) => n
            .as_i64()
            .map(Value::Int)
            .ok_or_else(|| format!("{n} is not a 64-bit INTEGER")),
        (Some(PropType::List(inner)), Json::Array(items)) => items
            .iter()
            .map(|i| json_item(i, Some(inner)))
            .collect::<Result<Vec<_>, _>>()
            .map(Value::List),
        (_, Json::Bool(b)) => Ok(Value::Bool(*b)),
        (_, Json::Number(n)) => match n.as_i64() {
            Some(i) => Ok(Value::Int(i)),
            None if n.is_u64() => Err(format!("{n} is too large for a 64-bit integer")),
            None => n
                .as_f64()
                .map(Value::Float)
                .ok_or_else(|| format!("{n} is not a number factgraph can store")),
        },
        (_, Json::String(s)) => Ok(Value::String(s.clone())),
        (ty, Json::Array(items)) => {
            let inner = match ty {
                Some(PropType::List(inner)) => Some(&**inner),
                _ => None,
            };
            items
                .iter()
                .map(|i| json_item(i, inner))
                .collect::<Result<Vec<_>, _>>()
                .map(Value::List)
        }
        (_, Json::Object(_)) => Err(
            "a JSON object cannot be stored as a property (maps are not property values)".into(),
        ),
    }
}

/// A stored value as JSON: dates as text at their precision, non-finite
/// floats as the text `NaN`, `Infinity`, `-Infinity`.
pub(crate) fn value_json(v: &Value) -> Json {
    match v {
        Value::Null => Json::Null,
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(i) => Json::from(*i),
        Value::Float(x) if x.is_finite() => Json::from(*x),
        Value::Float(x) if x.is_nan() => Json::from("NaN"),
        Value::Float(x) if *x > 0.0 => Json::from("Infinity"),
        Value::Float(_) => Json::from("-Infinity"),
        Value::String(s) => Json::from(s.as_str()),
        Value::Date(d) => Json::from(d.to_string()),
        Value::Temporal(t) => Json::from(t.iso()),
        Value::List(items) => Json::Array(items.iter().map(value_json).collect()),
    }
}

/// The type a JSON value suggests, for schema inference (dates stay strings).
pub(crate) fn json_type(v: &Json) -> Option<PropType> {
    Some(match v {
        Json::Null | Json::Object(_) => return None,
        Json::Bool(_) => PropType::Bool,
        Json::Number(n) if n.is_i64() => PropType::Int,
        Json::Number(_) => PropType::Float,
        Json::String(_) => PropType::String,
        Json::Array(items) => {
            let mut inner: Option<PropType> = None;
            for t in items.iter().filter_map(json_type) {
                inner = Some(match inner {
                    None => t,
                    Some(prev) => merge_types(prev, t),
                });
            }
            PropType::List(Box::new(inner.unwrap_or(PropType::Any)))
        }
    })
}

/// The type of a property seen with both types.
pub(crate) fn merge_types(a: PropType, b: PropType) -> PropType {
    match (a, b) {
        (a, b) if a == b => a,
        (PropType::Int, PropType::Float) | (PropType::Float, PropType::Int) => PropType::Float,
        (PropType::List(a), PropType::List(b)) => match (*a, *b) {
            (PropType::Any, t) | (t, PropType::Any) => PropType::List(Box::new(t)),
            (a, b) => PropType::List(Box::new(merge_types(a, b))),
        },
        _ => PropType::Any,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_scalars() {
        assert_eq!(parse_scalar(" 42 ", Scalar::Int), Some(Value::Int(42)));
        assert_eq!(parse_scalar("19x4", Scalar::Int), None);
        assert_eq!(parse_scalar("TRUE", Scalar::Bool), Some(Value::Bool(true)));
        assert_eq!(parse_scalar("yes", Scalar::Bool), None);
        assert!(matches!(parse_scalar("NaN", Scalar::Float), Some(Value::Float(x)) if x.is_nan()));
        assert_eq!(
            parse_scalar("-Infinity", Scalar::Float),
            Some(Value::Float(f64::NEG_INFINITY))
        );
        assert_eq!(
            parse_scalar("1e20", Scalar::Float),
            Some(Value::Float(1e20))
        );
        assert_eq!(parse_scalar("1,5", Scalar::Float), None);
        assert_eq!(
            parse_scalar("2022-02", Scalar::Date),
            Some(Value::Date(Date::ym(2022, 2).unwrap()))
        );
    }

    #[test]
    fn json_values_follow_the_schema_type() {
        let date = json_value(&Json::from("2022-02"), Some(&PropType::Date)).unwrap();
        assert_eq!(date, Some(Value::Date(Date::ym(2022, 2).unwrap())));
        let s = json_value(&Json::from("2022-02"), None).unwrap();
        assert_eq!(s, Some(Value::from("2022-02")));
        let f = json_value(&serde_json::json!(1.0), None).unwrap();
        assert!(matches!(f, Some(Value::Float(x)) if x == 1.0));
        assert!(json_value(&serde_json::json!({"a": 1}), None).is_err());
        assert_eq!(json_value(&Json::Null, None).unwrap(), None);
        assert_eq!(
            json_type(&serde_json::json!([1, 2.5])),
            Some(PropType::List(Box::new(PropType::Float)))
        );
    }
}
