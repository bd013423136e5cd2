//! Reading a `.zip` of a module's folder (what a user drops in the app),
//! defensively: an archive is refused, with the reason, when its entries
//! would unpack to more than the import's size limit (a zip bomb), when a
//! path leaves the archive's folder (`../`, an absolute path), or when it
//! is not a zip archive. Format: PKWARE's APPNOTE.TXT (the central
//! directory, local headers, methods 0 "stored" and 8 "deflated").

/// Entries read from an archive at most.
const MAX_ENTRIES: usize = 4096;

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    Some(u16::from_le_bytes(bytes.get(at..at + 2)?.try_into().ok()?) as usize)
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// Whether a path stays inside the archive's folder.
fn inside(path: &str) -> bool {
    !path.starts_with('/')
        && !path.starts_with('\\')
        && !path.contains(':')
        && path.split(['/', '\\']).all(|part| part != "..")
}

/// The files of an archive whose names `wanted` accepts, with their
/// contents as text; the whole unpacked at most `limit` bytes.
pub fn files(
    bytes: &[u8],
    limit: usize,
    wanted: impl Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, String> {
    // The end of central directory record: its signature, searched from
    // the end (a comment may follow it).
    let end = (0..bytes.len().saturating_sub(21))
        .rev()
        .take(65_557)
        .find(|&at| bytes[at..].starts_with(&[0x50, 0x4b, 0x05, 0x06]))
        .ok_or("this is not a zip archive (no central directory)")?;
    let count = u16_at(bytes, end + 10).ok_or("the archive is cut short")?;
    let mut at = u32_at(bytes, end + 16).ok_or("the archive is cut short")?;
    if count > MAX_ENTRIES {
        return Err(format!(
            "the archive holds {count} entries, more than {MAX_ENTRIES}"
        ));
    }
    let mut out = Vec::new();
    let mut unpacked = 0usize;
    for _ in 0..count {
        let short = || "the archive's directory is cut short".to_string();
        if !bytes
            .get(at..)
            .is_some_and(|b| b.starts_with(&[0x50, 0x4b, 0x01, 0x02]))
        {
            return Err(short());
        }
        let method = u16_at(bytes, at + 10).ok_or_else(short)?;
        let packed = u32_at(bytes, at + 20).ok_or_else(short)?;
        let size = u32_at(bytes, at + 24).ok_or_else(short)?;
        let name_len = u16_at(bytes, at + 28).ok_or_else(short)?;
        let extra_len = u16_at(bytes, at + 30).ok_or_else(short)?;
        let comment_len = u16_at(bytes, at + 32).ok_or_else(short)?;
        let local = u32_at(bytes, at + 42).ok_or_else(short)?;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .ok_or_else(short)?;
        at += 46 + name_len + extra_len + comment_len;
        if !inside(&name) {
            return Err(format!("the path {name:?} leaves the archive's folder"));
        }
        if name.ends_with('/') || !wanted(&name) {
            continue;
        }
        unpacked = unpacked.saturating_add(size);
        if unpacked > limit {
            return Err(format!(
                "the archive unpacks to more than the {limit} bytes allowed"
            ));
        }
        let cut = || format!("{name} is cut short");
        let local_name = u16_at(bytes, local + 26).ok_or_else(cut)?;
        let local_extra = u16_at(bytes, local + 28).ok_or_else(cut)?;
        let start = local + 30 + local_name + local_extra;
        let data = bytes
            .get(start..start.saturating_add(packed))
            .ok_or_else(cut)?;
        let contents = match method {
            0 => data.to_vec(),
            // At most what the directory says: a bomb that lies about its
            // size stops there.
            8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, size)
                .map_err(|_| format!("{name} does not inflate to the size the archive gives"))?,
            other => {
                return Err(format!(
                    "{name} is compressed with method {other}, which is not read"
                ))
            }
        };
        let text = String::from_utf8(contents).map_err(|_| format!("{name} is not UTF-8 text"))?;
        out.push((name, text));
    }
    Ok(out)
}
