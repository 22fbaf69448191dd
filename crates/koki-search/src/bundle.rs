//! The single-file container that ships the index to the browser.
//!
//! Layout (all integers little-endian):
//! ```text
//! magic    8 bytes  "KOKIIDX1"
//! count    u32      number of sections
//! section  count ×  { name_len u16, name (UTF-8), data_len u32, data }
//! ```
//! Sections: `info.json` (format version, compound mode, counts), `records.json` (compact
//! display and facet records, one per entry, in document order), `labels.json` (facet → id →
//! German label), `dict.txt` (compound dictionary, one folded word per line) and
//! `tantivy/<file>` (the files of one merged tantivy segment plus `meta.json`).

use crate::SearchError;

/// Magic bytes at the start of every bundle.
pub const MAGIC: &[u8; 8] = b"KOKIIDX1";

/// Encodes named sections into one byte buffer (order is kept as given).
pub fn encode(sections: &[(String, Vec<u8>)]) -> Vec<u8> {
    let total: usize = sections.iter().map(|(n, d)| 6 + n.len() + d.len()).sum();
    let mut out = Vec::with_capacity(12 + total);
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(sections.len() as u32).to_le_bytes());
    for (name, data) in sections {
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(data);
    }
    out
}

/// Decodes a bundle into its sections.
pub fn decode(bytes: &[u8]) -> Result<Vec<(String, &[u8])>, SearchError> {
    let bad = |m: &str| SearchError::Bundle(m.to_string());
    if bytes.len() < 12 || &bytes[..8] != MAGIC {
        return Err(bad("not a koki search bundle (wrong magic bytes)"));
    }
    let count = u32::from_le_bytes(bytes[8..12].try_into().unwrap()) as usize;
    let mut pos = 12;
    // Every section takes at least 6 bytes, so a forged count cannot reserve more than the
    // input could hold.
    let mut out = Vec::with_capacity(count.min((bytes.len() - 12) / 6));
    for _ in 0..count {
        let take = |pos: &mut usize, n: usize| -> Result<&[u8], SearchError> {
            let end = pos.checked_add(n).filter(|&e| e <= bytes.len());
            let end = end.ok_or_else(|| bad("truncated bundle"))?;
            let s = &bytes[*pos..end];
            *pos = end;
            Ok(s)
        };
        let nl = u16::from_le_bytes(take(&mut pos, 2)?.try_into().unwrap()) as usize;
        let name = std::str::from_utf8(take(&mut pos, nl)?)
            .map_err(|_| bad("section name is not UTF-8"))?
            .to_string();
        let dl = u32::from_le_bytes(take(&mut pos, 4)?.try_into().unwrap()) as usize;
        out.push((name, take(&mut pos, dl)?));
    }
    if pos != bytes.len() {
        return Err(bad("trailing bytes after the last section"));
    }
    Ok(out)
}

/// FNV-1a 64-bit hash as 16 hex digits; used for content-hashed file names and stamps.
pub fn content_hash(bytes: &[u8]) -> String {
    let mut h = Fnv::new();
    h.write(bytes);
    h.hex()
}

/// Incremental FNV-1a 64-bit hasher.
#[derive(Debug, Clone, Copy)]
pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Self::new()
    }
}

impl Fnv {
    /// A fresh hasher.
    pub fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    /// Feeds bytes.
    pub fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
    /// The hash.
    pub fn value(&self) -> u64 {
        self.0
    }
    /// The hash as 16 lower-case hex digits.
    pub fn hex(&self) -> String {
        format!("{:016x}", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roundtrip() {
        let s = vec![("a".to_string(), vec![1, 2, 3]), ("bb".to_string(), vec![])];
        let enc = encode(&s);
        let dec = decode(&enc).unwrap();
        assert_eq!(dec.len(), 2);
        assert_eq!(dec[0].0, "a");
        assert_eq!(dec[0].1, &[1, 2, 3]);
        assert!(decode(&enc[..enc.len() - 1]).is_err());
    }

    #[test]
    fn forged_section_count_is_rejected_without_allocating_for_it() {
        let mut enc = encode(&[]);
        enc[8..12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(decode(&enc), Err(SearchError::Bundle(_))));
    }
}
