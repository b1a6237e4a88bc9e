//! Building patterns: paths, node patterns and relationship patterns.

use pest::iterators::Pair;

use super::expressions::unquote;
use super::Rule;
use super::{span, syntax_error, Builder, R};
use crate::ast::*;

impl Builder<'_> {
    pub(super) fn pattern(&self, p: Pair<Rule>) -> R<Vec<PatternPart>> {
        p.into_inner().map(|c| self.pattern_part(c)).collect()
    }

    pub(super) fn pattern_part(&self, p: Pair<Rule>) -> R<PatternPart> {
        let sp = span(&p);
        let mut path_var = None;
        let mut shortest = None;
        let mut chain = None;
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => path_var = Some(self.name(c)),
                Rule::pattern_chain => chain = Some(c),
                Rule::shortest_path => {
                    for s in c.into_inner() {
                        match s.as_rule() {
                            Rule::SHORTEST_PATH => shortest = Some(Shortest::One),
                            Rule::ALL_SHORTEST_PATHS => shortest = Some(Shortest::All),
                            Rule::pattern_chain => chain = Some(s),
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        let chain =
            chain.ok_or_else(|| syntax_error(self.text, sp.start, "empty pattern".into()))?;
        let (start, steps) = self.chain(chain)?;
        Ok(PatternPart {
            path_var,
            shortest,
            start,
            steps,
            span: sp,
        })
    }

    pub(super) fn chain(&self, p: Pair<Rule>) -> R<(NodePattern, Vec<(RelPattern, NodePattern)>)> {
        let mut inner = p.into_inner();
        let start = match inner.next() {
            Some(n) => self.node_pattern(n)?,
            None => NodePattern::default(),
        };
        let mut steps = Vec::new();
        while let (Some(r), Some(n)) = (inner.next(), inner.next()) {
            steps.push((self.rel_pattern(r)?, self.node_pattern(n)?));
        }
        Ok((start, steps))
    }

    pub(super) fn node_pattern(&self, p: Pair<Rule>) -> R<NodePattern> {
        let mut node = NodePattern {
            span: span(&p),
            ..NodePattern::default()
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::variable => node.var = Some(self.name(c)),
                Rule::node_labels => node.labels = self.labels(c),
                Rule::properties => node.props = Some(self.properties(c)?),
                _ => {}
            }
        }
        Ok(node)
    }

    pub(super) fn properties(&self, p: Pair<Rule>) -> R<Expr> {
        let inner = p
            .clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.err(&p, "expected a property map"))?;
        self.atom(inner)
    }

    pub(super) fn rel_pattern(&self, p: Pair<Rule>) -> R<RelPattern> {
        let sp = span(&p);
        let mut left = false;
        let mut right = false;
        let mut rel = RelPattern {
            var: None,
            types: Vec::new(),
            dir: Dir::Both,
            length: None,
            props: None,
            span: sp,
        };
        for c in p.into_inner() {
            match c.as_rule() {
                Rule::left_arrow => left = true,
                Rule::right_arrow => right = true,
                Rule::rel_detail => {
                    for d in c.into_inner() {
                        match d.as_rule() {
                            Rule::variable => rel.var = Some(self.name(d)),
                            Rule::rel_types => {
                                rel.types = d.into_inner().map(|t| unquote(t.as_str())).collect()
                            }
                            Rule::properties => rel.props = Some(self.properties(d)?),
                            Rule::var_length => {
                                let mut lo = None;
                                let mut hi = None;
                                let mut dots = false;
                                for v in d.clone().into_inner() {
                                    let n = || {
                                        v.as_str()
                                            .parse::<u32>()
                                            .map_err(|_| self.err(&v, "path length is too large"))
                                    };
                                    match v.as_rule() {
                                        Rule::range_lo => lo = Some(n()?),
                                        Rule::range_hi => hi = Some(n()?),
                                        Rule::range_dots => dots = true,
                                        _ => {}
                                    }
                                }
                                rel.length = Some(match (lo, dots, hi) {
                                    (Some(n), false, _) => (n, Some(n)),
                                    (lo, _, hi) => (lo.unwrap_or(1), hi),
                                });
                            }
                            _ => {}
                        }
                    }
                }
                _ => {}
            }
        }
        rel.dir = match (left, right) {
            (true, false) => Dir::In,
            (false, true) => Dir::Out,
            // `<-->` is openCypher's other spelling of `--`: either direction.
            (false, false) | (true, true) => Dir::Both,
        };
        Ok(rel)
    }
}
