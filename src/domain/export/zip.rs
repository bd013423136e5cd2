//! A minimal ZIP writer (stored entries, no compression) for downloading an
//! export as one file. Stored entries keep this small and dependency-free;
//! text exports are a few hundred kilobytes at most.

/// CRC-32 (IEEE 802.3), as ZIP requires.
pub fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

fn u16_le(out: &mut Vec<u8>, value: u16) {
    out.extend_from_slice(&value.to_le_bytes());
}

fn u32_le(out: &mut Vec<u8>, value: u32) {
    out.extend_from_slice(&value.to_le_bytes());
}

/// A ZIP archive of `(path, contents)` entries, in the given order. Dates are
/// fixed (1980-01-01) so the same files always give the same bytes.
pub fn archive(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    // 1980-01-01: year 0 (since 1980) in bits 9+, month 1 in bits 5+, day 1.
    const DOS_DATE: u16 = (1 << 5) | 1;
    const UTF8_NAMES: u16 = 1 << 11;
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (path, contents) in entries {
        let offset = out.len() as u32;
        let crc = crc32(contents);
        let size = contents.len() as u32;
        let name = path.as_bytes();
        // Local file header.
        u32_le(&mut out, 0x0403_4b50);
        u16_le(&mut out, 20);
        u16_le(&mut out, UTF8_NAMES);
        u16_le(&mut out, 0);
        u16_le(&mut out, 0);
        u16_le(&mut out, DOS_DATE);
        u32_le(&mut out, crc);
        u32_le(&mut out, size);
        u32_le(&mut out, size);
        u16_le(&mut out, name.len() as u16);
        u16_le(&mut out, 0);
        out.extend_from_slice(name);
        out.extend_from_slice(contents);
        // Central directory entry.
        u32_le(&mut central, 0x0201_4b50);
        u16_le(&mut central, 20);
        u16_le(&mut central, 20);
        u16_le(&mut central, UTF8_NAMES);
        u16_le(&mut central, 0);
        u16_le(&mut central, 0);
        u16_le(&mut central, DOS_DATE);
        u32_le(&mut central, crc);
        u32_le(&mut central, size);
        u32_le(&mut central, size);
        u16_le(&mut central, name.len() as u16);
        u16_le(&mut central, 0);
        u16_le(&mut central, 0);
        u16_le(&mut central, 0);
        u16_le(&mut central, 0);
        u32_le(&mut central, 0o100_644 << 16);
        u32_le(&mut central, offset);
        central.extend_from_slice(name);
    }
    let central_offset = out.len() as u32;
    let central_size = central.len() as u32;
    out.extend_from_slice(&central);
    // End of central directory.
    u32_le(&mut out, 0x0605_4b50);
    u16_le(&mut out, 0);
    u16_le(&mut out, 0);
    u16_le(&mut out, entries.len() as u16);
    u16_le(&mut out, entries.len() as u16);
    u32_le(&mut out, central_size);
    u32_le(&mut out, central_offset);
    u16_le(&mut out, 0);
    out
}
