//! Moving a design to another region, as one undoable step.
//!
//! Zone names are the region's name and a letter (`ap-northeast-1a`); a
//! subnet keeps its letter, so a design spread over zones a and c stays
//! spread over a and c. Where the new region has no zone of that letter the
//! move is refused, naming the subnets to move first. Certificates follow
//! what uses them: a load balancer's certificate must be in the load
//! balancer's region and moves with the design; CloudFront only uses
//! certificates in us-east-1, so those stay there.

use super::Command;
use crate::domain::model::{Diagram, NodeKind};
use crate::domain::validate::regions;

/// What a region change does, beside the command that does it.
#[derive(Debug, Clone, PartialEq)]
pub struct RegionChange {
    pub command: Command,
    /// What did not follow the design, and why (shown to the user).
    pub stays: Vec<String>,
}

/// The change that moves `diagram` to `region`, or why it cannot move.
pub fn change_region(diagram: &Diagram, region: &str) -> Result<RegionChange, String> {
    if !regions::is_known(region) {
        return Err(format!("{region:?} is not a region stackdraw knows"));
    }
    if diagram.region == region {
        return Err(format!("The diagram is already in {region}"));
    }
    let zones = regions::zones(region);
    let mut commands = vec![Command::SetRegion {
        region: region.to_string(),
    }];
    let mut without_zone: Vec<String> = Vec::new();
    let mut stays = Vec::new();
    for node in &diagram.nodes {
        match &node.kind {
            NodeKind::Subnet(subnet) => {
                let Some(letter) = zone_letter(&subnet.az, &diagram.region) else {
                    // A zone of another region is already an error (VR-3);
                    // it stays as it is for the user to correct.
                    continue;
                };
                let az = format!("{region}{letter}");
                if !zones.contains(&az) {
                    without_zone.push(format!("{:?} ({})", node.name, subnet.az));
                    continue;
                }
                let mut moved = node.clone();
                if let NodeKind::Subnet(subnet) = &mut moved.kind {
                    subnet.az = az;
                }
                commands.push(Command::ReplaceNode { node: moved });
            }
            NodeKind::AcmCertificate(certificate) => {
                let for_cloudfront = diagram.nodes.iter().any(|user| match &user.kind {
                    NodeKind::CloudFront(cdn) => cdn.certificate.as_ref() == Some(&node.id),
                    _ => false,
                });
                if for_cloudfront {
                    stays.push(format!(
                        "Certificate {:?} stays in {} because CloudFront uses it, and CloudFront only uses certificates in us-east-1.",
                        node.name, certificate.region
                    ));
                } else if certificate.region == diagram.region {
                    let mut moved = node.clone();
                    if let NodeKind::AcmCertificate(certificate) = &mut moved.kind {
                        certificate.region = region.to_string();
                    }
                    commands.push(Command::ReplaceNode { node: moved });
                }
            }
            _ => {}
        }
    }
    if !without_zone.is_empty() {
        let offered: Vec<String> = zones.iter().map(|zone| zone_suffix(zone, region)).collect();
        return Err(format!(
            "{region} has no zone for {}; it offers zones {}. Move those subnets to one of them first.",
            without_zone.join(", "),
            offered.join(", ")
        ));
    }
    Ok(RegionChange {
        command: Command::Batch(commands),
        stays,
    })
}

/// The zone letter of `az` in `region` (`c` of `ap-northeast-1c`).
fn zone_letter<'a>(az: &'a str, region: &str) -> Option<&'a str> {
    az.strip_prefix(region)
        .filter(|letter| letter.len() == 1 && letter.chars().all(|c| c.is_ascii_lowercase()))
}

fn zone_suffix(zone: &str, region: &str) -> String {
    zone.strip_prefix(region).unwrap_or(zone).to_string()
}
