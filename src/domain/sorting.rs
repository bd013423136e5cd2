//! Sorting with one shared routine for every element type.
//!
//! The standard library's sorts are generic: each element type and each
//! comparison gets its own copy of the whole algorithm (a few kilobytes of
//! WebAssembly each), and so does every `collect()` into a `BTreeSet` or
//! `BTreeMap`, which sorts before it builds. The app's module had twenty of
//! them. These helpers sort positions (`u32`) through one non-generic routine
//! and then move the elements into place; the sets and maps are built by
//! inserting. Results are the same: sorts are stable, sets and maps equal.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

/// Stable sort by `compare`.
pub fn sort_by<T>(items: &mut Vec<T>, compare: impl Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut order, &mut |a, b| {
        compare(&items[*a as usize], &items[*b as usize])
    });
    put_in_order(items, order);
}

/// Stable sort by a key, each item's key worked out once (not twice per
/// comparison: the scene sorts containers by a depth it walks up to find).
pub fn sort_by_key<T, K: Ord>(items: &mut Vec<T>, key: impl Fn(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(key).collect();
    let mut order: Vec<u32> = (0..items.len() as u32).collect();
    sort_positions(&mut order, &mut |a, b| {
        keys[*a as usize].cmp(&keys[*b as usize])
    });
    put_in_order(items, order);
}

/// Moves the items into the order of their former positions.
fn put_in_order<T>(items: &mut Vec<T>, order: Vec<u32>) {
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(
        order
            .into_iter()
            .filter_map(|position| slots[position as usize].take()),
    );
}

/// Stable sort in the items' own order.
pub fn sort<T: Ord>(items: &mut Vec<T>) {
    sort_by(items, T::cmp);
}

/// The one monomorphic sort every helper above goes through.
#[inline(never)]
fn sort_positions(order: &mut [u32], compare: &mut dyn FnMut(&u32, &u32) -> Ordering) {
    order.sort_by(compare);
}

/// A set of the items, built without sorting them first.
pub fn set_of<T: Ord>(items: impl IntoIterator<Item = T>) -> BTreeSet<T> {
    let mut set = BTreeSet::new();
    for item in items {
        set.insert(item);
    }
    set
}

/// A map of the pairs (a later key replaces an earlier one, as `collect`
/// does), built without sorting them first.
pub fn map_of<K: Ord, V>(pairs: impl IntoIterator<Item = (K, V)>) -> BTreeMap<K, V> {
    let mut map = BTreeMap::new();
    for (key, value) in pairs {
        map.insert(key, value);
    }
    map
}

/// Where the item whose key is `key` stands in `items`: looked for first at
/// `guess` (after an edit, where the item before it was found, shifted as
/// that one was), then through the list. Lists kept in the same order
/// across an edit find each item at once, without building a map (each map
/// type costs the app's module kilobytes of WebAssembly).
pub fn find_near<T, K: PartialEq + ?Sized>(
    items: &[T],
    guess: usize,
    key: &K,
    key_of: impl Fn(&T) -> &K,
) -> Option<usize> {
    if items.get(guess).is_some_and(|item| key_of(item) == key) {
        return Some(guess);
    }
    items.iter().position(|item| key_of(item) == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_stably_like_the_standard_library() {
        let mut state = 0x2545_f491_u32;
        let mut random = || {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state
        };
        for length in [0, 1, 2, 3, 17, 100, 1_000] {
            let items: Vec<(u32, u32)> = (0..length).map(|i| (random() % 10, i)).collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut theirs = items.clone();
            theirs.sort_by_key(|item| item.0);
            assert_eq!(ours, theirs, "length {length}");
            let mut whole = items.clone();
            sort(&mut whole);
            let mut expected = items;
            expected.sort();
            assert_eq!(whole, expected);
        }
    }

    #[test]
    fn sets_and_maps_equal_collected_ones() {
        let pairs = [(3, "c"), (1, "a"), (3, "z"), (2, "b")];
        assert_eq!(map_of(pairs), pairs.into_iter().collect::<BTreeMap<_, _>>());
        assert_eq!(
            set_of(pairs.map(|p| p.0)),
            pairs.map(|p| p.0).into_iter().collect::<BTreeSet<_>>()
        );
    }
}
