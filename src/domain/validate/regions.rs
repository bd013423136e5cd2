//! The AWS regions the designer knows and the zone letters each offers: the
//! one table the validator (VR-3), the region picker and its zone remapping
//! (`edit::region`) read.
//! Zone letters map to physical zones per account; these are the letters an
//! account can be given (for ap-northeast-1, `b` is closed to new accounts).
//! Source: AWS's Global Infrastructure guide, "AWS Availability Zones"
//! (docs.aws.amazon.com/global-infrastructure/latest/regions/), written from
//! it in 2026-11; ca-central-1's letters (a, b, d; its third zone is `d`)
//! checked again on 2026-12-02, when moving a design between regions began
//! to depend on them.

const REGIONS: &[(&str, &str)] = &[
    ("us-east-1", "abcdef"),
    ("us-east-2", "abc"),
    ("us-west-1", "abc"),
    ("us-west-2", "abcd"),
    ("ca-central-1", "abd"),
    ("sa-east-1", "abc"),
    ("eu-west-1", "abc"),
    ("eu-west-2", "abc"),
    ("eu-west-3", "abc"),
    ("eu-central-1", "abc"),
    ("eu-central-2", "abc"),
    ("eu-north-1", "abc"),
    ("eu-south-1", "abc"),
    ("eu-south-2", "abc"),
    ("me-south-1", "abc"),
    ("me-central-1", "abc"),
    ("af-south-1", "abc"),
    ("ap-east-1", "abc"),
    ("ap-south-1", "abc"),
    ("ap-south-2", "abc"),
    ("ap-northeast-1", "acd"),
    ("ap-northeast-2", "abcd"),
    ("ap-northeast-3", "abc"),
    ("ap-southeast-1", "abc"),
    ("ap-southeast-2", "abc"),
    ("ap-southeast-3", "abc"),
    ("ap-southeast-4", "abc"),
];

pub fn is_known(region: &str) -> bool {
    REGIONS.iter().any(|(name, _)| *name == region)
}

/// The zone names of a known region, e.g. `ap-northeast-1a`.
pub fn zones(region: &str) -> Vec<String> {
    REGIONS
        .iter()
        .find(|(name, _)| *name == region)
        .map(|(name, letters)| {
            letters
                .chars()
                .map(|letter| format!("{name}{letter}"))
                .collect()
        })
        .unwrap_or_default()
}

/// Whether `zone` is one of a known region's zones, without writing them
/// out (the checks ask for every subnet); `None` for a region stackdraw
/// does not know.
pub fn has_zone(region: &str, zone: &str) -> Option<bool> {
    let (name, letters) = REGIONS.iter().find(|(name, _)| *name == region)?;
    Some(
        zone.strip_prefix(name)
            .is_some_and(|letter| letter.len() == 1 && letters.contains(letter)),
    )
}

pub fn all() -> impl Iterator<Item = &'static str> {
    REGIONS.iter().map(|(name, _)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_zone_is_had_exactly_when_it_is_written_out() {
        let candidates = [
            "",
            "a",
            "ab",
            "-1a",
            "us-east-1",
            "us-east-1a",
            "us-east-1g",
            "us-east-1aa",
        ];
        for region in all().chain(["mars-north-1"]) {
            let written = zones(region);
            let tried = written
                .iter()
                .cloned()
                .chain(candidates.iter().map(|c| c.to_string()));
            for zone in tried.chain(
                ["b", "e", "z", "ab", "bc"]
                    .iter()
                    .map(|l| format!("{region}{l}")),
            ) {
                let expected = (!written.is_empty()).then(|| written.contains(&zone));
                assert_eq!(has_zone(region, &zone), expected, "{region} {zone}");
            }
        }
    }
}
