//! A small Gherkin reader for the subset the openCypher TCK uses: `Feature`,
//! `Background`, `Scenario`, `Scenario Outline` with `Examples`, steps
//! (`Given`/`And`/`When`/`Then`/`But`), doc strings (`"""`) and data tables.
//! Tags and comments are skipped. Outlines are expanded here, one scenario
//! per example row, with `<name>` placeholders replaced in step text, doc
//! strings and tables.

/// One step with its argument.
#[derive(Clone, Debug)]
pub struct Step {
    /// The text after the keyword, e.g. `executing query:`.
    pub text: String,
    /// A doc string argument.
    pub doc: Option<String>,
    /// A data table argument (rows of cells, unescaped).
    pub table: Option<Vec<Vec<String>>>,
    /// Line of the step in the file.
    pub line: usize,
}

/// A runnable scenario (an outline already expanded).
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The scenario's name as written (placeholders left in).
    pub name: String,
    /// For an expanded outline, the 1-based example number.
    pub example: Option<usize>,
    /// Background steps, then the scenario's steps.
    pub steps: Vec<Step>,
    /// Line of the `Scenario` keyword.
    pub line: usize,
}

impl Scenario {
    /// `name` or `name (example N)`: the scenario's id within its feature.
    pub fn id(&self) -> String {
        match self.example {
            Some(n) => format!("{} (example {n})", self.name),
            None => self.name.clone(),
        }
    }
}

struct RawScenario {
    name: String,
    outline: bool,
    steps: Vec<Step>,
    examples: Vec<Vec<Vec<String>>>,
    line: usize,
}

/// Splits a table row into cells, undoing Gherkin's escapes (`\|`, `\\`, `\n`).
pub fn split_row(line: &str) -> Vec<String> {
    let body = line.trim();
    let body = body.strip_prefix('|').unwrap_or(body);
    let mut cells = Vec::new();
    let mut cur = String::new();
    let mut chars = body.chars();
    let mut pending = false;
    while let Some(c) = chars.next() {
        pending = true;
        match c {
            '\\' => match chars.next() {
                Some('|') => cur.push('|'),
                Some('\\') => cur.push('\\'),
                Some('n') => cur.push('\n'),
                Some(other) => {
                    cur.push('\\');
                    cur.push(other);
                }
                None => cur.push('\\'),
            },
            '|' => {
                cells.push(cur.trim().to_string());
                cur.clear();
                pending = false;
            }
            c => cur.push(c),
        }
    }
    if pending && !cur.trim().is_empty() {
        cells.push(cur.trim().to_string());
    }
    cells
}

fn keyword_text(line: &str) -> Option<&str> {
    for kw in ["Given ", "When ", "Then ", "And ", "But "] {
        if let Some(rest) = line.strip_prefix(kw) {
            return Some(rest.trim());
        }
    }
    None
}

/// Parses a feature file into its scenarios, outlines expanded.
pub fn parse(text: &str) -> Result<Vec<Scenario>, String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut background: Vec<Step> = Vec::new();
    let mut raws: Vec<RawScenario> = Vec::new();
    // Where steps go: None before any section, Some(true) for the background.
    let mut in_background = false;
    let mut in_examples = false;
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i].trim();
        let lineno = i + 1;
        i += 1;
        if line.is_empty() || line.starts_with('#') || line.starts_with('@') {
            continue;
        }
        if line.starts_with("Feature:") {
            continue;
        }
        if line.starts_with("Background:") {
            in_background = true;
            in_examples = false;
            continue;
        }
        if let Some(rest) = line
            .strip_prefix("Scenario Outline:")
            .or_else(|| line.strip_prefix("Scenario Template:"))
        {
            raws.push(RawScenario {
                name: rest.trim().to_string(),
                outline: true,
                steps: Vec::new(),
                examples: Vec::new(),
                line: lineno,
            });
            in_background = false;
            in_examples = false;
            continue;
        }
        if let Some(rest) = line.strip_prefix("Scenario:") {
            raws.push(RawScenario {
                name: rest.trim().to_string(),
                outline: false,
                steps: Vec::new(),
                examples: Vec::new(),
                line: lineno,
            });
            in_background = false;
            in_examples = false;
            continue;
        }
        if line.starts_with("Examples:") || line.starts_with("Scenarios:") {
            let raw = raws
                .last_mut()
                .ok_or_else(|| format!("line {lineno}: Examples outside a scenario"))?;
            raw.examples.push(Vec::new());
            in_examples = true;
            continue;
        }
        if line.starts_with('|') {
            if in_examples {
                let raw = raws.last_mut().ok_or("table outside a scenario")?;
                if let Some(t) = raw.examples.last_mut() {
                    t.push(split_row(line));
                }
                continue;
            }
            let steps = if in_background {
                &mut background
            } else {
                &mut raws.last_mut().ok_or("table outside a scenario")?.steps
            };
            let step = steps
                .last_mut()
                .ok_or_else(|| format!("line {lineno}: table without a step"))?;
            step.table
                .get_or_insert_with(Vec::new)
                .push(split_row(line));
            continue;
        }
        if line.starts_with("\"\"\"") {
            let indent = lines[i - 1].len() - lines[i - 1].trim_start().len();
            let mut doc = Vec::new();
            loop {
                let Some(l) = lines.get(i) else {
                    return Err(format!("line {lineno}: doc string never closed"));
                };
                i += 1;
                if l.trim() == "\"\"\"" {
                    break;
                }
                let cut = l.len() - l.trim_start().len();
                doc.push(&l[cut.min(indent)..]);
            }
            let steps = if in_background {
                &mut background
            } else {
                &mut raws
                    .last_mut()
                    .ok_or("doc string outside a scenario")?
                    .steps
            };
            let step = steps
                .last_mut()
                .ok_or_else(|| format!("line {lineno}: doc string without a step"))?;
            step.doc = Some(doc.join("\n"));
            continue;
        }
        if let Some(text) = keyword_text(line) {
            let step = Step {
                text: text.to_string(),
                doc: None,
                table: None,
                line: lineno,
            };
            if in_background {
                background.push(step);
            } else {
                raws.last_mut()
                    .ok_or_else(|| format!("line {lineno}: step outside a scenario"))?
                    .steps
                    .push(step);
            }
            continue;
        }
        return Err(format!("line {lineno}: cannot read {line:?}"));
    }

    let mut out = Vec::new();
    for raw in raws {
        let mut steps = background.clone();
        steps.extend(raw.steps.iter().cloned());
        if !raw.outline {
            out.push(Scenario {
                name: raw.name,
                example: None,
                steps,
                line: raw.line,
            });
            continue;
        }
        let mut n = 0;
        for table in &raw.examples {
            let Some((header, rows)) = table.split_first() else {
                continue;
            };
            for row in rows {
                n += 1;
                let subst = |s: &str| {
                    let mut s = s.to_string();
                    for (k, v) in header.iter().zip(row) {
                        s = s.replace(&format!("<{k}>"), v);
                    }
                    s
                };
                let steps = steps
                    .iter()
                    .map(|st| Step {
                        text: subst(&st.text),
                        doc: st.doc.as_deref().map(subst),
                        table: st.table.as_ref().map(|t| {
                            t.iter()
                                .map(|r| r.iter().map(|c| subst(c)).collect())
                                .collect()
                        }),
                        line: st.line,
                    })
                    .collect();
                out.push(Scenario {
                    name: raw.name.clone(),
                    example: Some(n),
                    steps,
                    line: raw.line,
                });
            }
        }
    }
    Ok(out)
}
