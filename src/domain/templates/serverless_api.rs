//! A serverless API: an HTTP API invoking a Lambda function that keeps
//! orders in DynamoDB and queues their processing in SQS, a worker function
//! the queue triggers, and a pipeline that deploys both functions' code. No
//! VPC: the functions call AWS's APIs from Lambda's own network.

use super::build::*;
use crate::domain::model::*;

pub fn serverless_api() -> Diagram {
    let mut b = Builder::new("Serverless API", "ap-northeast-1");
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(40.0, 200.0),
    );
    b.drawn(
        "api",
        "Orders API",
        NodeKind::HttpApi(HttpApi {
            api_name: "orders-api".into(),
            routes: vec![ApiRoute {
                route_key: "ANY /orders/{proxy+}".into(),
                target: id("orders-fn"),
            }],
            vpc_link_subnets: Vec::new(),
            vpc_link_security_groups: Vec::new(),
        }),
        icon(220.0, 200.0),
    );
    b.drawn(
        "orders-fn",
        "Orders function",
        NodeKind::LambdaFunction(LambdaFunction {
            function_name: "orders-api-handler".into(),
            runtime: LambdaRuntime::Nodejs22,
            memory_mb: 512,
            timeout_seconds: 10,
            subnets: Vec::new(),
            security_groups: Vec::new(),
            invokers: ids(&["api"]),
            event_sources: Vec::new(),
        }),
        icon(400.0, 200.0),
    );
    b.drawn(
        "orders",
        "Orders table",
        NodeKind::DynamodbTable(DynamodbTable {
            table_name: "orders".into(),
            partition_key: KeyAttribute {
                name: "customer_id".into(),
                attribute_type: KeyType::String,
            },
            sort_key: Some(KeyAttribute {
                name: "order_id".into(),
                attribute_type: KeyType::String,
            }),
            point_in_time_recovery: true,
        }),
        icon(600.0, 120.0),
    );
    b.drawn(
        "jobs",
        "Order jobs",
        NodeKind::SqsQueue(SqsQueue {
            queue_name: "order-jobs".into(),
            fifo: false,
            // Six times the function's timeout, as Lambda advises for a
            // queue a function later consumes.
            visibility_timeout_seconds: 60,
            message_retention_seconds: 345_600,
        }),
        icon(600.0, 280.0),
    );
    b.drawn(
        "worker",
        "Jobs worker",
        NodeKind::LambdaFunction(LambdaFunction {
            function_name: "orders-jobs-worker".into(),
            runtime: LambdaRuntime::Nodejs22,
            memory_mb: 512,
            timeout_seconds: 10,
            subnets: Vec::new(),
            security_groups: Vec::new(),
            invokers: Vec::new(),
            event_sources: ids(&["jobs"]),
        }),
        icon(800.0, 280.0),
    );
    b.drawn(
        "pipeline",
        "CircleCI",
        NodeKind::Pipeline(Pipeline {
            branch: "main".into(),
            context: "orders-deploy".into(),
            auth: PipelineAuth::OidcRole("orders-circleci-deploy".into()),
            deploys: ids(&["orders-fn", "worker"]),
            frontend: None,
        }),
        icon(400.0, 40.0),
    );
    b.edge("e-clients", "internet", "api", 443)
        .edge("e-orders", "orders-fn", "orders", 443)
        .edge("e-jobs", "orders-fn", "jobs", 443)
        .edge("e-worker", "worker", "orders", 443);
    b.finish()
}
