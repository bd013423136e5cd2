//! IPv4 CIDR blocks as the user typed them.
//!
//! A block keeps its host bits (`10.2.0.1/16`) so that validation can point at the
//! mistake and offer the canonical form; `ipnet` accepts such text and this type
//! adds the comparisons it lacks (it has no overlap test).

use ipnet::Ipv4Net;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Cidr(Ipv4Net);

/// Why a text is not an IPv4 CIDR block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CidrError(pub String);

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Cidr {
    /// 0.0.0.0/0: every IPv4 address, the default route's destination.
    pub fn anywhere() -> Cidr {
        Cidr(Ipv4Net::default())
    }

    pub fn new(addr: Ipv4Addr, prefix_len: u8) -> Result<Self, CidrError> {
        Ipv4Net::new(addr, prefix_len)
            .map(Cidr)
            .map_err(|_| CidrError(format!("a prefix length is 0 to 32, not {prefix_len}")))
    }

    pub fn parse(text: &str) -> Result<Self, CidrError> {
        let text = text.trim();
        let Some((addr, prefix)) = text.split_once('/') else {
            return Err(CidrError(format!(
                "{text:?} is not a CIDR block: write an address and a prefix length, like 10.0.0.0/16"
            )));
        };
        let addr = Ipv4Addr::from_str(addr)
            .map_err(|_| CidrError(format!("{addr:?} is not an IPv4 address")))?;
        let prefix: u8 = prefix
            .parse()
            .map_err(|_| CidrError(format!("{prefix:?} is not a prefix length (0 to 32)")))?;
        Self::new(addr, prefix)
    }

    pub fn net(&self) -> Ipv4Net {
        self.0
    }

    pub fn addr(&self) -> Ipv4Addr {
        self.0.addr()
    }

    pub fn prefix_len(&self) -> u8 {
        self.0.prefix_len()
    }

    /// The block with its host bits cleared: `10.2.0.1/16` -> `10.2.0.0/16`.
    pub fn canonical(&self) -> Cidr {
        Cidr(self.0.trunc())
    }

    pub fn is_canonical(&self) -> bool {
        self.0.addr() == self.0.network()
    }

    /// First and last address of the block (host bits ignored), as integers.
    pub fn range(&self) -> (u32, u32) {
        (u32::from(self.0.network()), u32::from(self.0.broadcast()))
    }

    /// Number of addresses in the block.
    pub fn size(&self) -> u64 {
        1u64 << (32 - u32::from(self.prefix_len()))
    }

    /// Whether every address of `other` lies in this block.
    pub fn contains(&self, other: &Cidr) -> bool {
        let (start, end) = self.range();
        let (other_start, other_end) = other.range();
        start <= other_start && other_end <= end
    }

    pub fn contains_addr(&self, addr: Ipv4Addr) -> bool {
        let (start, end) = self.range();
        (start..=end).contains(&u32::from(addr))
    }

    /// Whether the two blocks share at least one address.
    pub fn overlaps(&self, other: &Cidr) -> bool {
        let (start, end) = self.range();
        let (other_start, other_end) = other.range();
        start <= other_end && other_start <= end
    }
}

/// Addresses AWS keeps in every subnet: network, router, DNS, future use and
/// broadcast (VPC user guide, "Subnet sizing").
pub const AWS_RESERVED_PER_SUBNET: u64 = 5;

impl Cidr {
    /// Addresses a subnet of this size offers to resources.
    pub fn usable_in_subnet(&self) -> u64 {
        self.size().saturating_sub(AWS_RESERVED_PER_SUBNET)
    }

    /// The first block of `prefix_len` inside one of `within` (in order) that
    /// overlaps none of `taken`; `None` when every such block is taken.
    pub fn next_free(within: &[Cidr], taken: &[Cidr], prefix_len: u8) -> Option<Cidr> {
        if prefix_len > 32 {
            return None;
        }
        let step = 1u64 << (32 - u32::from(prefix_len));
        let mut ranges: Vec<(u64, u64)> = taken
            .iter()
            .map(|block| {
                let (start, end) = block.range();
                (u64::from(start), u64::from(end))
            })
            .collect();
        crate::domain::sorting::sort(&mut ranges);
        for block in within {
            if block.prefix_len() > prefix_len {
                continue;
            }
            let (start, end) = block.range();
            let (start, end) = (u64::from(start), u64::from(end));
            let mut candidate = start;
            while candidate + step - 1 <= end {
                let candidate_end = candidate + step - 1;
                match ranges.iter().find(|(taken_start, taken_end)| {
                    *taken_start <= candidate_end && candidate <= *taken_end
                }) {
                    None => {
                        let addr = Ipv4Addr::from(u32::try_from(candidate).ok()?);
                        return Cidr::new(addr, prefix_len).ok();
                    }
                    // Skip past the block in the way, staying aligned.
                    Some((_, taken_end)) => candidate = (taken_end + 1).div_ceil(step) * step,
                }
            }
        }
        None
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.0.addr(), self.0.prefix_len())
    }
}

impl FromStr for Cidr {
    type Err = CidrError;
    fn from_str(text: &str) -> Result<Self, CidrError> {
        Cidr::parse(text)
    }
}

impl Serialize for Cidr {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cidr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Cidr::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// What the file format's JSON Schema accepts as a block: four octets of 0 to
/// 255 without leading zeros and a prefix of 0 to 32. Everything it accepts,
/// [`Cidr::parse`] reads; a test keeps the two in step.
pub const CIDR_PATTERN: &str = r"^(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}/(3[0-2]|[12]?[0-9])$";

#[cfg(not(target_arch = "wasm32"))]
impl schemars::JsonSchema for Cidr {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Cidr".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "An IPv4 CIDR block such as 10.2.0.0/16 (host bits are kept as typed).",
            "pattern": CIDR_PATTERN
        })
    }
}
