//! Invocations: an AWS service acting on a resource on another's behalf
//! (SNS delivering a topic's messages to a queue, a load balancer invoking a
//! Lambda function with a request). No packet travels a
//! route the diagram draws, so reachability has no say; a policy does. Each
//! is drawn as a relationship line and gets a verdict of its own: allowed,
//! or denied and by what.

use super::index::Index;
use super::rules_network::replace_node;
use super::Diagnostic;
use crate::domain::edit::relate::{Link, LinkKind};
use crate::domain::model::*;

/// The verdict of one invocation, on its relationship line.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct InvocationVerdict {
    /// The relationship line's key (`relate::Link::key`, the canvas's
    /// `data-link-id`).
    pub link: String,
    pub from: NodeId,
    pub to: NodeId,
    /// What is invoked, in words: `SNS delivers "orders" to "jobs"`.
    pub description: String,
    pub allowed: bool,
    /// What allows it, or what denies it and why.
    pub reason: String,
}

/// Every invocation the diagram draws, in the diagram's order.
pub fn evaluate(ix: &Index) -> Vec<InvocationVerdict> {
    let mut out = Vec::new();
    for node in ix.nodes() {
        if let NodeKind::LoadBalancer(alb) = &node.kind {
            let functions = alb
                .target_groups
                .iter()
                .filter(|group| group.target_type == TargetType::Lambda)
                .filter_map(|group| group.target.as_ref().map(|t| &t.service));
            invoked_functions(ix, node, functions, &mut out);
        }
        if let NodeKind::HttpApi(api) = &node.kind {
            let functions = api.routes.iter().map(|route| &route.target);
            invoked_functions(ix, node, functions, &mut out);
        }
        if let NodeKind::LambdaFunction(function) = &node.kind {
            polled_queues(ix, node, function, &mut out);
        }
        let NodeKind::SnsTopic(topic) = &node.kind else {
            continue;
        };
        for subscription in &topic.subscriptions {
            let Some(queue_node) = ix.node(&subscription.queue) else {
                continue;
            };
            let NodeKind::SqsQueue(queue) = &queue_node.kind else {
                continue;
            };
            let link = Link {
                what: LinkKind::Subscription,
                from: node.id.clone(),
                to: queue_node.id.clone(),
            };
            let (allowed, reason) = delivery(node, topic, queue_node, queue, subscription);
            out.push(InvocationVerdict {
                link: link.key(),
                from: node.id.clone(),
                to: queue_node.id.clone(),
                description: format!("SNS delivers {:?} to {:?}", node.name, queue_node.name),
                allowed,
                reason,
            });
        }
    }
    out
}

/// The functions a load balancer's target groups or an HTTP API's routes
/// invoke: allowed when the function's resource policy lets the invoker's
/// service (Elastic Load Balancing, API Gateway) invoke it.
fn invoked_functions<'n>(
    ix: &Index,
    node: &Node,
    targets: impl Iterator<Item = &'n NodeId>,
    out: &mut Vec<InvocationVerdict>,
) {
    let api = node.tag() == KindTag::HttpApi;
    let principal = if api {
        "apigateway.amazonaws.com"
    } else {
        "elasticloadbalancing.amazonaws.com"
    };
    let mut seen: Vec<&NodeId> = Vec::new();
    for target in targets {
        let Some(function_node) = ix.node(target) else {
            continue;
        };
        let NodeKind::LambdaFunction(function) = &function_node.kind else {
            continue;
        };
        if seen.contains(&&function_node.id) {
            continue;
        }
        seen.push(&function_node.id);
        let link = Link {
            what: LinkKind::Invokes,
            from: node.id.clone(),
            to: function_node.id.clone(),
        };
        let allowed = function.invokers.contains(&node.id);
        let reason = if allowed {
            format!(
                "allowed by the resource policy of {:?}: {principal} may invoke it (lambda:InvokeFunction) for {:?}",
                function_node.name, node.name
            )
        } else {
            format!(
                "denied by the resource policy of {:?}: it does not let {principal} invoke it (lambda:InvokeFunction) for {:?}, so {}",
                function_node.name,
                node.name,
                if api {
                    "every request routed to it gets 500"
                } else {
                    "the target group cannot register it and requests get 502"
                }
            )
        };
        out.push(InvocationVerdict {
            link: link.key(),
            from: node.id.clone(),
            to: function_node.id.clone(),
            description: format!("{:?} invokes {:?}", node.name, function_node.name),
            allowed,
            reason,
        });
    }
}

/// The queues Lambda polls for a function: allowed by the function's role
/// (the exports grant it the queue), unless the queue would hand a message
/// to another consumer while the function may still be working on it,
/// which Lambda refuses.
fn polled_queues(
    ix: &Index,
    node: &Node,
    function: &LambdaFunction,
    out: &mut Vec<InvocationVerdict>,
) {
    for queue_id in &function.event_sources {
        let Some(queue_node) = ix.node(queue_id) else {
            continue;
        };
        let NodeKind::SqsQueue(queue) = &queue_node.kind else {
            continue;
        };
        let link = Link {
            what: LinkKind::EventSource,
            from: queue_node.id.clone(),
            to: node.id.clone(),
        };
        let visibility = queue.visibility_timeout_seconds;
        let timeout = u32::from(function.timeout_seconds);
        let (allowed, reason) = if visibility < timeout {
            (
                false,
                format!(
                    "denied by Lambda: the visibility timeout of {:?} ({visibility} s) is shorter than the timeout of {:?} ({timeout} s), so a message could reach another consumer while the function still works on it, and CreateEventSourceMapping fails",
                    queue_node.name, node.name
                ),
            )
        } else {
            (
                true,
                format!(
                    "allowed by the role of {:?}: it may receive, delete and change the visibility of the messages of {:?} (sqs:ReceiveMessage, sqs:DeleteMessage, sqs:GetQueueAttributes)",
                    node.name, queue_node.name
                ),
            )
        };
        out.push(InvocationVerdict {
            link: link.key(),
            from: queue_node.id.clone(),
            to: node.id.clone(),
            description: format!("{:?} triggers {:?}", queue_node.name, node.name),
            allowed,
            reason,
        });
    }
}

/// Whether SNS delivers the topic's messages to the queue, and why.
fn delivery(
    topic_node: &Node,
    topic: &SnsTopic,
    queue_node: &Node,
    queue: &SqsQueue,
    subscription: &QueueSubscription,
) -> (bool, String) {
    // SNS refuses the subscription itself: a standard topic does not keep
    // the order and deduplication a FIFO queue requires.
    if queue.fifo && !topic.fifo {
        return (
            false,
            format!(
                "denied by SNS: {:?} is a FIFO queue, which takes messages from FIFO topics only, and {:?} is a standard topic (Subscribe fails)",
                queue_node.name, topic_node.name
            ),
        );
    }
    if !subscription.queue_policy_allows {
        return (
            false,
            format!(
                "denied by the queue policy of {:?}: it does not let sns.amazonaws.com send messages (sqs:SendMessage) from {:?}, so SNS's deliveries are refused",
                queue_node.name, topic_node.name
            ),
        );
    }
    (
        true,
        format!(
            "allowed by the queue policy of {:?}: sns.amazonaws.com may send messages (sqs:SendMessage) when the source is {:?}",
            queue_node.name, topic_node.name
        ),
    )
}

/// VR-57 (SNS to SQS) and VR-59 (a load balancer or an HTTP API to Lambda): an
/// invocation that is denied, with the change that allows it.
pub fn diagnose(ix: &Index, verdicts: &[InvocationVerdict], out: &mut Vec<Diagnostic>) {
    for verdict in verdicts.iter().filter(|verdict| !verdict.allowed) {
        let (Some(topic), Some(queue)) = (ix.node(&verdict.from), ix.node(&verdict.to)) else {
            continue;
        };
        if let (NodeKind::SqsQueue(_), NodeKind::LambdaFunction(function)) =
            (&topic.kind, &queue.kind)
        {
            // VR-61: six times the function's timeout, as Lambda advises,
            // within SQS's twelve hours.
            let wanted = (u32::from(function.timeout_seconds) * 6).min(43_200);
            out.push(
                Diagnostic::error(
                    61,
                    vec![verdict.from.clone(), verdict.to.clone()],
                    format!("{} is {}", verdict.description, verdict.reason),
                )
                .with_fix(
                    format!("Make the visibility timeout of {:?} {wanted} s", topic.name),
                    replace_node(topic, |kind| {
                        if let NodeKind::SqsQueue(queue) = kind {
                            queue.visibility_timeout_seconds = wanted;
                        }
                    }),
                ),
            );
            continue;
        }
        if let NodeKind::LambdaFunction(_) = &queue.kind {
            let balancer = verdict.from.clone();
            out.push(
                Diagnostic::error(
                    59,
                    vec![verdict.to.clone(), verdict.from.clone()],
                    format!("{} is {}", verdict.description, verdict.reason),
                )
                .with_fix(
                    format!("Let {:?} invoke {:?}", topic.name, queue.name),
                    replace_node(queue, |kind| {
                        if let NodeKind::LambdaFunction(function) = kind {
                            function.invokers.push(balancer.clone());
                        }
                    }),
                ),
            );
            continue;
        }
        let diagnostic = Diagnostic::error(
            57,
            vec![verdict.to.clone(), verdict.from.clone()],
            format!("{} is {}", verdict.description, verdict.reason),
        );
        let fifo_mismatch = matches!(
            (&topic.kind, &queue.kind),
            (NodeKind::SnsTopic(t), NodeKind::SqsQueue(q)) if q.fifo && !t.fifo
        );
        let queue_id = verdict.to.clone();
        out.push(if fifo_mismatch {
            diagnostic.with_fix(
                format!("Make {:?} a FIFO topic", topic.name),
                replace_node(topic, |kind| {
                    if let NodeKind::SnsTopic(topic) = kind {
                        topic.fifo = true;
                    }
                }),
            )
        } else {
            diagnostic.with_fix(
                format!("Let {:?} send to {:?}", topic.name, queue.name),
                replace_node(topic, |kind| {
                    if let NodeKind::SnsTopic(topic) = kind {
                        for subscription in &mut topic.subscriptions {
                            if subscription.queue == queue_id {
                                subscription.queue_policy_allows = true;
                            }
                        }
                    }
                }),
            )
        });
    }
}
