//! What an import made of each resource: drawn as a node, folded into the
//! node it configures, or not drawn and why. Nothing is dropped unlisted.

/// What became of one resource.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Drawn as the node with its logical id.
    Mapped,
    /// Part of another node (a route of its table, a rule of its group).
    Folded(String),
    /// Drawn as an other resource (a type stackdraw does not model, or a
    /// placeholder for what is not known before a deploy), which the
    /// analysis does not look inside; with the reason.
    Other(String),
    /// Not drawn, with the reason.
    NotDrawn(String),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    pub logical_id: String,
    pub resource_type: String,
    /// The file it is declared in, when the import read several (a
    /// Terraform module's `.tf` files); empty for one template.
    pub file: String,
    pub line: usize,
    pub outcome: Outcome,
}

impl Item {
    /// Where it is declared: `network.tf, line 12`, or `line 12`.
    pub fn place(&self) -> String {
        if self.file.is_empty() {
            format!("line {}", self.line)
        } else {
            format!("{}, line {}", self.file, self.line)
        }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub items: Vec<Item>,
    /// Parameters without a value (given or default): what depends on them
    /// is unknown.
    pub missing_parameters: Vec<String>,
    /// Terraform variables without a value (given or default).
    pub missing_variables: Vec<String>,
    /// Nodes drawn for what the template refers to but does not create (a
    /// certificate given by its ARN): their id and what they stand for.
    pub stand_ins: Vec<(String, String)>,
}

impl Report {
    pub fn push(&mut self, logical_id: &str, resource_type: &str, line: usize, outcome: Outcome) {
        self.items.push(Item {
            logical_id: logical_id.to_string(),
            resource_type: resource_type.to_string(),
            file: String::new(),
            line,
            outcome,
        });
    }

    pub fn stand_in(&mut self, node: &str, what: &str) {
        self.stand_ins.push((node.to_string(), what.to_string()));
    }

    pub fn missing_parameter(&mut self, name: &str) {
        self.missing_parameters.push(name.to_string());
    }

    pub fn count(&self, matches: impl Fn(&Outcome) -> bool) -> usize {
        self.items
            .iter()
            .filter(|item| matches(&item.outcome))
            .count()
    }

    /// The report as lines for a terminal: a summary, then every resource
    /// not drawn as a node of its own.
    pub fn text(&self) -> String {
        let mapped = self.count(|o| *o == Outcome::Mapped);
        let folded = self.count(|o| matches!(o, Outcome::Folded(_)));
        let other = self.count(|o| matches!(o, Outcome::Other(_)));
        let not_drawn = self.count(|o| matches!(o, Outcome::NotDrawn(_)));
        let mut out = format!(
            "imported {} resources: {mapped} drawn, {folded} folded into the nodes they configure, {other} drawn as other resources (not analysed), {not_drawn} not drawn\n",
            self.items.len()
        );
        for item in &self.items {
            let (what, why) = match &item.outcome {
                Outcome::NotDrawn(why) => ("not drawn", why),
                Outcome::Other(why) => ("other resource", why),
                _ => continue,
            };
            out.push_str(&format!(
                "  {what}: {} ({}, {}): {why}\n",
                item.logical_id,
                item.resource_type,
                item.place()
            ));
        }
        for (node, what) in &self.stand_ins {
            out.push_str(&format!("  drawn outside the template: {node}, {what}\n"));
        }
        for name in &self.missing_parameters {
            out.push_str(&format!(
                "  parameter {name} has no value: what depends on it is unknown (give it with --param {name}=VALUE)\n"
            ));
        }
        for name in &self.missing_variables {
            out.push_str(&format!(
                "  variable {name} has no value: what depends on it is unknown (give it with --var {name}=VALUE)\n"
            ));
        }
        out
    }
}

/// Tabs and line breaks inside a field would break the line format.
fn field(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

impl Report {
    /// The report as lines of tab-separated fields, for the worker to hand
    /// to the app: `drawn`, `folded` (with what into) and `not-drawn` (with
    /// why) items with their logical id, type, line and file; `stand-in` nodes
    /// with what they stand for; `parameter`s without a value.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        for item in &self.items {
            let (what, detail) = match &item.outcome {
                Outcome::Mapped => ("drawn", String::new()),
                Outcome::Folded(into) => ("folded", field(into)),
                Outcome::NotDrawn(why) => ("not-drawn", field(why)),
                Outcome::Other(why) => ("other", field(why)),
            };
            out.push_str(&format!(
                "{what}\t{}\t{}\t{}\t{detail}\t{}\n",
                field(&item.logical_id),
                field(&item.resource_type),
                item.line,
                field(&item.file)
            ));
        }
        for (node, what) in &self.stand_ins {
            out.push_str(&format!("stand-in\t{}\t{}\n", field(node), field(what)));
        }
        for name in &self.missing_parameters {
            out.push_str(&format!("parameter\t{}\n", field(name)));
        }
        for name in &self.missing_variables {
            out.push_str(&format!("variable\t{}\n", field(name)));
        }
        out
    }

    /// A report from [`Report::encode`]'s lines; lines it does not know are
    /// skipped.
    pub fn decode(text: &str) -> Report {
        let mut report = Report::default();
        for line in text.lines() {
            let fields: Vec<&str> = line.split('\t').collect();
            match fields.as_slice() {
                [what, id, kind, at, detail, rest @ ..] if rest.len() <= 1 => {
                    let outcome = match *what {
                        "drawn" => Outcome::Mapped,
                        "folded" => Outcome::Folded((*detail).to_string()),
                        "not-drawn" => Outcome::NotDrawn((*detail).to_string()),
                        "other" => Outcome::Other((*detail).to_string()),
                        _ => continue,
                    };
                    report.push(id, kind, at.parse().unwrap_or(0), outcome);
                    if let (Some(file), Some(item)) = (rest.first(), report.items.last_mut()) {
                        item.file = (*file).to_string();
                    }
                }
                ["stand-in", node, what] => report.stand_in(node, what),
                ["parameter", name] => report.missing_parameter(name),
                ["variable", name] => report.missing_variables.push((*name).to_string()),
                _ => {}
            }
        }
        report
    }
}
