//! A quick hasher for the maps the checks build from one diagram, keyed by
//! its ids.
//!
//! The standard maps hash with SipHash-1-3, which spends some forty cycles
//! on a short id: at 5,000 nodes hashing ids was a sixth of the checks'
//! time. This one reads eight bytes at a time, each folded in with one wide
//! multiply whose high half is folded back into the low (the step of
//! wyhash and foldhash), and mixes the result once at the end (MurmurHash3's
//! finaliser), so both the low bits a map picks its bucket by and the high
//! bits it tags entries with depend on every byte. (A plain multiply per
//! word, as the "Fx" hash does, let ids that differ in two words collide:
//! 300 of 12,000 alike ids did.)
//!
//! It is not keyed: a file built to collide could slow the maps down, but
//! only for the person who opens it, in their own tab, and no worse than
//! quadratic in its size. Iteration order is deterministic, which no output
//! relies on either way (every output is sorted).

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Odd, with its bits spread (the multiplier of the Fx hash).
const SPREAD: u64 = 0x517c_c1b7_2722_0a95;

#[derive(Default, Clone, Copy)]
pub struct QuickHasher(u64);

impl QuickHasher {
    fn add(&mut self, word: u64) {
        let wide = u128::from(self.0 ^ word) * u128::from(SPREAD);
        self.0 = (wide as u64) ^ ((wide >> 64) as u64);
    }
}

impl Hasher for QuickHasher {
    fn write(&mut self, bytes: &[u8]) {
        // The length first: a last word padded with zeros then never reads
        // as a longer text's last word.
        self.add(bytes.len() as u64);
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            let mut eight = [0u8; 8];
            eight.copy_from_slice(word);
            self.add(u64::from_le_bytes(eight));
        }
        let rest = words.remainder();
        if !rest.is_empty() {
            let mut eight = [0u8; 8];
            eight[..rest.len()].copy_from_slice(rest);
            self.add(u64::from_le_bytes(eight));
        }
    }

    fn write_u8(&mut self, byte: u8) {
        self.add(u64::from(byte));
    }

    fn write_u32(&mut self, value: u32) {
        self.add(u64::from(value));
    }

    fn write_u64(&mut self, value: u64) {
        self.add(value);
    }

    fn write_usize(&mut self, value: usize) {
        self.add(value as u64);
    }

    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

pub type QuickState = BuildHasherDefault<QuickHasher>;
pub type QuickMap<K, V> = HashMap<K, V, QuickState>;
pub type QuickSet<K> = HashSet<K, QuickState>;

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::{BuildHasher, Hash};

    fn hash_of(value: &impl Hash) -> u64 {
        QuickState::default().hash_one(value)
    }

    /// Ids as the app writes them and as imports bring them: a shared
    /// prefix, a counter, some long.
    fn ids() -> Vec<String> {
        let mut ids = Vec::new();
        for n in 0..4_000 {
            ids.push(format!("subnet-{n}"));
            ids.push(format!("AppServiceSecurityGroup{n}"));
            ids.push(format!("aws_route_table_association.private_{n}"));
        }
        ids
    }

    /// How full the fullest of `buckets` is, over the average.
    fn worst_over_average(hashes: &[u64], bucket_of: impl Fn(u64) -> usize, buckets: usize) -> f64 {
        let mut counts = vec![0usize; buckets];
        for hash in hashes {
            counts[bucket_of(*hash)] += 1;
        }
        let worst = counts.iter().copied().max().unwrap_or(0) as f64;
        worst / (hashes.len() as f64 / buckets as f64)
    }

    #[test]
    fn similar_ids_spread_over_low_and_high_bits() {
        let hashes: Vec<u64> = ids().iter().map(hash_of).collect();
        let distinct: QuickSet<u64> = hashes.iter().copied().collect();
        // Ids a word apart in length, whose padded last words read alike
        // ("..._100" and "..._1008") among them.
        assert_eq!(distinct.len(), hashes.len(), "no two ids share a hash");
        // A map's bucket: the low bits.
        let low = worst_over_average(&hashes, |h| (h & 1023) as usize, 1024);
        assert!(
            low < 3.0,
            "fullest of 1,024 buckets holds {low:.1}x the average"
        );
        // A map's tag for each entry: the top seven bits.
        let high = worst_over_average(&hashes, |h| (h >> 57) as usize, 128);
        assert!(
            high < 1.5,
            "fullest of 128 tags holds {high:.1}x the average"
        );
    }

    #[test]
    fn a_trailing_zero_byte_changes_the_hash() {
        let bytes = |b: &[u8]| {
            let mut hasher = QuickHasher::default();
            hasher.write(b);
            hasher.finish()
        };
        assert_ne!(bytes(b"ab"), bytes(b"ab\0"));
        assert_ne!(bytes(b"abcdefgh"), bytes(b"abcdefgh\0"));
        assert_ne!(bytes(b""), bytes(b"\0"));
    }

    #[test]
    fn a_quick_map_finds_what_it_holds() {
        let ids = ids();
        let map: QuickMap<&str, usize> = ids
            .iter()
            .enumerate()
            .map(|(n, id)| (id.as_str(), n))
            .collect();
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(map.get(id.as_str()), Some(&n));
        }
        assert_eq!(map.get("subnet-4000"), None);
    }
}
