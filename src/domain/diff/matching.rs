//! Which node of the newer version is which node of the older one.
//!
//! Versions of one design share ids (the editor keeps them, an export and
//! its re-import keep them), so ids decide when most are shared. Two
//! independent imports of the same infrastructure do not share ids; their
//! nodes are paired by kind, name and the chain of containers they sit in.
//! A group of look-alikes is paired only where that is certain: first those
//! whose identifying facts (a block, a zone) agree, then the rest only when
//! exactly as many are left on each side, in file order. Anything else stays
//! unmatched and is listed, never guessed.

use crate::domain::model::{container_in, Diagram, KindTag, Node, NodeId, NodeKind};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// How nodes were paired.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Matching {
    Id,
    /// By kind, name and containment.
    Structure,
}

impl Matching {
    pub fn describe(self) -> &'static str {
        match self {
            Matching::Id => "by id",
            Matching::Structure => "by kind, name and containment",
        }
    }
}

/// Which matching to use: ids when most are shared, else structure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Strategy {
    #[default]
    Auto,
    Id,
    Structure,
}

impl Strategy {
    pub fn parse(text: &str) -> Option<Strategy> {
        match text {
            "auto" => Some(Strategy::Auto),
            "id" => Some(Strategy::Id),
            "structure" => Some(Strategy::Structure),
            _ => None,
        }
    }
}

/// The pairs found, in both directions.
#[derive(Clone, Debug, Default)]
pub struct NodeMatch {
    pub old_to_new: HashMap<NodeId, NodeId>,
    pub new_to_old: HashMap<NodeId, NodeId>,
}

impl NodeMatch {
    fn pair(&mut self, old: &NodeId, new: &NodeId) {
        self.old_to_new.insert(old.clone(), new.clone());
        self.new_to_old.insert(new.clone(), old.clone());
    }

    /// Old ids that differ from their partner's, for rewriting references.
    pub fn renamed(&self) -> BTreeMap<NodeId, NodeId> {
        let mut renamed = BTreeMap::new();
        for (old, new) in &self.old_to_new {
            if old != new {
                renamed.insert(old.clone(), new.clone());
            }
        }
        renamed
    }
}

/// Pairs the nodes of two versions.
pub fn match_nodes(old: &Diagram, new: &Diagram, strategy: Strategy) -> (Matching, NodeMatch) {
    let matching = match strategy {
        Strategy::Id => Matching::Id,
        Strategy::Structure => Matching::Structure,
        Strategy::Auto => {
            let by_id: HashMap<&NodeId, KindTag> = new
                .nodes
                .iter()
                .map(|node| (&node.id, node.tag()))
                .collect();
            let shared = old
                .nodes
                .iter()
                .filter(|node| by_id.get(&node.id) == Some(&node.tag()))
                .count();
            let smaller = old.nodes.len().min(new.nodes.len());
            if smaller == 0 || shared * 2 >= smaller {
                Matching::Id
            } else {
                Matching::Structure
            }
        }
    };
    let pairs = match matching {
        Matching::Id => by_id(old, new),
        Matching::Structure => by_structure(old, new),
    };
    (matching, pairs)
}

fn by_id(old: &Diagram, new: &Diagram) -> NodeMatch {
    let tags: HashMap<&NodeId, KindTag> = new
        .nodes
        .iter()
        .map(|node| (&node.id, node.tag()))
        .collect();
    let mut pairs = NodeMatch::default();
    for node in &old.nodes {
        // The same id on a node of another kind is a different thing.
        if tags.get(&node.id) == Some(&node.tag()) {
            pairs.pair(&node.id, &node.id);
        }
    }
    pairs
}

/// What makes a node recognisable without its id: its kind, its name and
/// the kinds and names of the boxes it sits in.
type Key<'a> = (KindTag, &'a str, Vec<(KindTag, &'a str)>);

fn keys(diagram: &Diagram) -> Vec<Key<'_>> {
    let lookup: HashMap<&NodeId, &Node> = diagram.nodes.iter().map(|n| (&n.id, n)).collect();
    diagram
        .nodes
        .iter()
        .map(|node| {
            let mut chain = Vec::new();
            let mut at = node;
            // Containment is at most VPC > subnet > resource; the bound
            // keeps a hostile file's loop of containers finite.
            for _ in 0..8 {
                let Some(container) = container_in(at, |id| lookup.get(id).copied())
                    .and_then(|id| lookup.get(id).copied())
                else {
                    break;
                };
                chain.push((container.tag(), container.name.as_str()));
                at = container;
            }
            (node.tag(), node.name.as_str(), chain)
        })
        .collect()
}

/// The facts that tell look-alikes apart: a network's or subnet's block and
/// zone.
fn identity(node: &Node) -> String {
    match &node.kind {
        NodeKind::Vpc(vpc) => vpc.cidr.to_string(),
        NodeKind::Subnet(subnet) => format!("{} {}", subnet.cidr, subnet.az),
        _ => String::new(),
    }
}

fn by_structure(old: &Diagram, new: &Diagram) -> NodeMatch {
    let mut groups: HashMap<Key, (Vec<&Node>, Vec<&Node>)> = HashMap::new();
    for (key, node) in keys(old).into_iter().zip(&old.nodes) {
        groups.entry(key).or_default().0.push(node);
    }
    for (key, node) in keys(new).into_iter().zip(&new.nodes) {
        groups.entry(key).or_default().1.push(node);
    }
    let mut pairs = NodeMatch::default();
    for (olds, news) in groups.values() {
        if let ([old], [new]) = (olds.as_slice(), news.as_slice()) {
            pairs.pair(&old.id, &new.id);
            continue;
        }
        let new_identities: Vec<String> = news.iter().map(|node| identity(node)).collect();
        let mut left_old: Vec<&Node> = Vec::new();
        let mut taken = vec![false; news.len()];
        for node in olds {
            let wanted = identity(node);
            let same = (0..news.len()).find(|&at| !taken[at] && new_identities[at] == wanted);
            match same {
                Some(at) => {
                    taken[at] = true;
                    pairs.pair(&node.id, &news[at].id);
                }
                None => left_old.push(node),
            }
        }
        let left_new: Vec<&Node> = news
            .iter()
            .zip(&taken)
            .filter(|(_, taken)| !**taken)
            .map(|(node, _)| *node)
            .collect();
        if left_old.len() == left_new.len() {
            for (old, new) in left_old.iter().zip(&left_new) {
                pairs.pair(&old.id, &new.id);
            }
        }
    }
    pairs
}
