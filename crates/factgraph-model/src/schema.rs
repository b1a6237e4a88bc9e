//! The schema: which labels and relationship types exist, which properties
//! each carries with which type, and which labels a relationship may connect.
//!
//! factgraph checks every insert against it, so a typo in a label or a string
//! where a date belongs is an error at the point of entry, not a silent
//! dangling fact. An *open* schema (used for ad-hoc graphs and the openCypher
//! conformance suite) accepts any label, type and property.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::props::Props;
use super::value::{PropType, Value};

/// The property every node may carry to name it stably across loads.
pub const KEY_PROPERTY: &str = "key";

/// A property declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PropDef {
    /// The declared type.
    pub ty: PropType,
    /// Whether every element must carry it.
    pub required: bool,
    /// One line for humans.
    pub description: String,
}

/// A node label declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LabelDef {
    /// What a node of this label stands for.
    pub description: String,
    /// Declared properties by name.
    pub properties: BTreeMap<String, PropDef>,
}

/// A relationship type declaration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelTypeDef {
    /// What a relationship of this type states.
    pub description: String,
    /// Labels allowed at the start node; empty means any label.
    pub from: Vec<String>,
    /// Labels allowed at the end node; empty means any label.
    pub to: Vec<String>,
    /// Declared properties by name.
    pub properties: BTreeMap<String, PropDef>,
}

/// A schema violation.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaError {
    /// The label is not declared.
    #[error("unknown label :{label}{}", did_you_mean(.suggestion))]
    UnknownLabel {
        /// The label given.
        label: String,
        /// The closest declared label, if any is close.
        suggestion: Option<String>,
    },
    /// The relationship type is not declared.
    #[error("unknown relationship type :{rel_type}{}", did_you_mean(.suggestion))]
    UnknownRelType {
        /// The type given.
        rel_type: String,
        /// The closest declared type, if any is close.
        suggestion: Option<String>,
    },
    /// A node without any label.
    #[error("a node needs at least one label in this schema")]
    NoLabel,
    /// The property is declared on none of the element's labels or types.
    #[error("property {key:?} is not declared for {owner}{}", did_you_mean(.suggestion))]
    UnknownProperty {
        /// `:Label` or `[:TYPE]`.
        owner: String,
        /// The property name.
        key: String,
        /// The closest declared property, if any is close.
        suggestion: Option<String>,
    },
    /// The value does not have the declared type.
    #[error("property {key:?} of {owner} must be {expected}, got {found} {value}")]
    WrongType {
        /// `:Label` or `[:TYPE]`.
        owner: String,
        /// The property name.
        key: String,
        /// The declared type.
        expected: PropType,
        /// The type of the value given.
        found: String,
        /// The value given.
        value: String,
    },
    /// A required property is missing.
    #[error("{owner} requires property {key:?}")]
    MissingProperty {
        /// `:Label` or `[:TYPE]`.
        owner: String,
        /// The property name.
        key: String,
    },
    /// A relationship connects labels its type does not allow.
    #[error("[:{rel_type}] cannot {side} a node labelled {found}; allowed: {allowed}")]
    BadEndpoint {
        /// The relationship type.
        rel_type: String,
        /// `start at` or `end at`.
        side: &'static str,
        /// The labels of the offending node, as `:A:B`.
        found: String,
        /// The allowed labels, as `:A|:B`.
        allowed: String,
    },
}

fn did_you_mean(suggestion: &Option<String>) -> String {
    suggestion
        .as_ref()
        .map(|s| format!(" (did you mean {s}?)"))
        .unwrap_or_default()
}

/// The closest name to `given` among `names`, when it is close enough to be a typo.
pub fn closest<'a>(given: &str, names: impl IntoIterator<Item = &'a str>) -> Option<String> {
    let lower = given.to_lowercase();
    names
        .into_iter()
        .map(|n| (strsim::damerau_levenshtein(&lower, &n.to_lowercase()), n))
        .filter(|(d, n)| *d <= (n.len() / 3).max(1))
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n.to_string())
}

/// Labels, relationship types and their properties.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schema {
    /// When true, anything is accepted and nothing below is enforced.
    pub open: bool,
    /// Declared labels.
    pub labels: BTreeMap<String, LabelDef>,
    /// Declared relationship types.
    pub rel_types: BTreeMap<String, RelTypeDef>,
}

fn labels_text<L: AsRef<str>>(labels: &[L]) -> String {
    if labels.is_empty() {
        "(no label)".to_string()
    } else {
        labels.iter().map(|l| format!(":{}", l.as_ref())).collect()
    }
}

impl Schema {
    /// A schema that accepts everything.
    pub fn open() -> Schema {
        Schema {
            open: true,
            labels: BTreeMap::new(),
            rel_types: BTreeMap::new(),
        }
    }

    /// Checks a node's labels and properties.
    pub fn check_node<L: AsRef<str>>(
        &self,
        labels: &[L],
        props: &Props,
    ) -> Result<(), SchemaError> {
        if self.open {
            return Ok(());
        }
        if labels.is_empty() {
            return Err(SchemaError::NoLabel);
        }
        let mut defs = Vec::with_capacity(labels.len());
        for label in labels {
            let label = label.as_ref();
            defs.push(
                self.labels
                    .get(label)
                    .ok_or_else(|| SchemaError::UnknownLabel {
                        label: label.to_string(),
                        suggestion: closest(label, self.labels.keys().map(String::as_str))
                            .map(|s| format!(":{s}")),
                    })?,
            );
        }
        // Built only for an error message: this runs for every stored element.
        let owner = || labels_text(labels);
        for (key, value) in props {
            let decl = defs.iter().find_map(|d| d.properties.get(key));
            check_property(&owner, key, value, decl, || {
                defs.iter()
                    .flat_map(|d| d.properties.keys().map(String::as_str))
            })?;
        }
        for def in defs {
            check_required(&owner, &def.properties, props)?;
        }
        Ok(())
    }

    /// Checks that a relationship type exists (before its endpoints are known).
    pub fn check_rel_type(&self, rel_type: &str) -> Result<Option<&RelTypeDef>, SchemaError> {
        if self.open {
            return Ok(None);
        }
        self.rel_types
            .get(rel_type)
            .map(Some)
            .ok_or_else(|| SchemaError::UnknownRelType {
                rel_type: rel_type.to_string(),
                suggestion: closest(rel_type, self.rel_types.keys().map(String::as_str))
                    .map(|s| format!(":{s}")),
            })
    }

    /// Checks a relationship's type, endpoints and properties.
    pub fn check_edge<L: AsRef<str>, M: AsRef<str>>(
        &self,
        rel_type: &str,
        from_labels: &[L],
        to_labels: &[M],
        props: &Props,
    ) -> Result<(), SchemaError> {
        let Some(def) = self.check_rel_type(rel_type)? else {
            return Ok(());
        };
        fn endpoint_ok<L: AsRef<str>>(allowed: &[String], found: &[L]) -> bool {
            allowed.is_empty()
                || found
                    .iter()
                    .any(|l| allowed.iter().any(|a| a == l.as_ref()))
        }
        let bad_endpoint =
            |side: &'static str, allowed: &[String], found: String| SchemaError::BadEndpoint {
                rel_type: rel_type.to_string(),
                side,
                found,
                allowed: allowed
                    .iter()
                    .map(|a| format!(":{a}"))
                    .collect::<Vec<_>>()
                    .join("|"),
            };
        if !endpoint_ok(&def.from, from_labels) {
            return Err(bad_endpoint(
                "start at",
                &def.from,
                labels_text(from_labels),
            ));
        }
        if !endpoint_ok(&def.to, to_labels) {
            return Err(bad_endpoint("end at", &def.to, labels_text(to_labels)));
        }
        check_edge_props(rel_type, def, props)
    }

    /// Checks a relationship's type and properties, not its endpoints: for
    /// callers that have checked the same type between the same label sets.
    pub fn check_edge_properties(&self, rel_type: &str, props: &Props) -> Result<(), SchemaError> {
        match self.check_rel_type(rel_type)? {
            Some(def) => check_edge_props(rel_type, def, props),
            None => Ok(()),
        }
    }

    /// The declared type of a node property under any of `labels` (`Any` in an open schema).
    pub fn node_property_type(&self, labels: &[&str], key: &str) -> Option<&PropType> {
        labels
            .iter()
            .filter_map(|l| self.labels.get(*l))
            .find_map(|d| d.properties.get(key))
            .map(|p| &p.ty)
    }

    /// The declared type of a relationship property.
    pub fn edge_property_type(&self, rel_type: &str, key: &str) -> Option<&PropType> {
        self.rel_types
            .get(rel_type)
            .and_then(|d| d.properties.get(key))
            .map(|p| &p.ty)
    }

    /// Converts values to their stored form (integers given for float
    /// properties become floats). Call after a successful check.
    pub fn coerce_node_props(&self, labels: &[&str], props: &mut Props) {
        for (key, value) in props.iter_mut() {
            if let Some(ty) = self.node_property_type(labels, key) {
                *value = ty.coerce(std::mem::replace(value, Value::Null));
            }
        }
    }

    /// Like [`Schema::coerce_node_props`] for a relationship.
    pub fn coerce_edge_props(&self, rel_type: &str, props: &mut Props) {
        for (key, value) in props.iter_mut() {
            if let Some(ty) = self.edge_property_type(rel_type, key) {
                *value = ty.coerce(std::mem::replace(value, Value::Null));
            }
        }
    }
}

fn check_edge_props(rel_type: &str, def: &RelTypeDef, props: &Props) -> Result<(), SchemaError> {
    // Built only for an error message: this runs for every stored relationship.
    let owner = || format!("[:{rel_type}]");
    for (key, value) in props {
        check_property(&owner, key, value, def.properties.get(key), || {
            def.properties.keys().map(String::as_str)
        })?;
    }
    check_required(&owner, &def.properties, props)
}

fn check_property<'a, I: Iterator<Item = &'a str>>(
    owner: &dyn Fn() -> String,
    key: &str,
    value: &Value,
    decl: Option<&PropDef>,
    declared: impl FnOnce() -> I,
) -> Result<(), SchemaError> {
    let Some(decl) = decl else {
        return Err(SchemaError::UnknownProperty {
            owner: owner(),
            key: key.to_string(),
            suggestion: closest(key, declared()),
        });
    };
    if decl.ty.accepts(value) {
        Ok(())
    } else {
        Err(SchemaError::WrongType {
            owner: owner(),
            key: key.to_string(),
            expected: decl.ty.clone(),
            found: value
                .value_type()
                .map(|t| t.to_string())
                .unwrap_or_else(|| "NULL".into()),
            value: value.to_string(),
        })
    }
}

fn check_required(
    owner: &dyn Fn() -> String,
    declared: &BTreeMap<String, PropDef>,
    props: &Props,
) -> Result<(), SchemaError> {
    match declared
        .iter()
        .find(|(k, d)| d.required && !props.contains_key(k))
    {
        Some((key, _)) => Err(SchemaError::MissingProperty {
            owner: owner(),
            key: key.clone(),
        }),
        None => Ok(()),
    }
}

impl fmt::Display for Schema {
    /// A readable listing: each label with its properties, each type with its endpoints.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.open {
            return writeln!(f, "open schema: any label, relationship type and property");
        }
        writeln!(f, "Node labels:")?;
        for (name, def) in &self.labels {
            writeln!(f, "  :{name}  {}", def.description)?;
            write_props(f, &def.properties)?;
        }
        writeln!(f, "Relationship types:")?;
        for (name, def) in &self.rel_types {
            let side = |labels: &[String]| {
                if labels.is_empty() {
                    "*".to_string()
                } else {
                    labels.join("|")
                }
            };
            writeln!(
                f,
                "  ({})-[:{name}]->({})  {}",
                side(&def.from),
                side(&def.to),
                def.description
            )?;
            write_props(f, &def.properties)?;
        }
        Ok(())
    }
}

fn write_props(f: &mut fmt::Formatter<'_>, props: &BTreeMap<String, PropDef>) -> fmt::Result {
    for (key, p) in props {
        writeln!(
            f,
            "      {key}: {}{}",
            p.ty,
            if p.required { " (required)" } else { "" }
        )?;
    }
    Ok(())
}
