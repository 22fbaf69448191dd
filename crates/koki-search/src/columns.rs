//! What the engine knows about every entry besides the tantivy index: facet values (for
//! filters and counts), the three sort orders, and the display records of the hits.
//!
//! A complete bundle derives all three from `records.json` when it is opened; a lazy index
//! ships the facet columns in its hot part and the sort orders and display records as parts
//! loaded on demand (see `chunked.rs`).

use std::collections::BTreeSet;

use crate::{analysis, Record, SearchError, EINWOHNER_BUCKETS, FACETS, RANGE_FACETS};

/// Facet names: [`FACETS`] then [`RANGE_FACETS`].
pub(crate) fn facet_names() -> Vec<&'static str> {
    FACETS.iter().chain(RANGE_FACETS.iter()).copied().collect()
}

fn range_value(facet: &str, r: &Record) -> Option<String> {
    match facet {
        "einwohner" => {
            let e = r.einwohner?;
            EINWOHNER_BUCKETS
                .iter()
                .rev()
                .find(|(_, _, lo)| e >= *lo)
                .map(|(id, _, _)| id.to_string())
        }
        "start_jahr" => r.start_year.map(|y| y.to_string()),
        _ => None,
    }
}

fn per_doc_values(r: &Record, f: &str) -> Vec<String> {
    if RANGE_FACETS.contains(&f) {
        range_value(f, r).into_iter().collect()
    } else {
        r.facets.get(f).cloned().unwrap_or_default()
    }
}

/// Every entry's facet values as numbers.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct FacetColumns {
    /// Per facet (in [`facet_names`] order): sorted distinct values.
    pub values: Vec<Vec<String>>,
    /// Global value number of facet `fi`'s value `vi`: `base[fi] + vi`.
    pub base: Vec<u32>,
    /// Per global value number: its facet index.
    pub value_facet: Vec<u8>,
    /// Facet values of all documents, flat, as global value numbers.
    pub entries: Vec<u32>,
    /// Document `d`'s entries are `entries[offsets[d]..offsets[d + 1]]`.
    pub offsets: Vec<u32>,
}

impl FacetColumns {
    pub fn from_records(records: &[Record]) -> Self {
        let names = facet_names();
        let values: Vec<Vec<String>> = names
            .iter()
            .map(|f| {
                let set: BTreeSet<String> =
                    records.iter().flat_map(|r| per_doc_values(r, f)).collect();
                set.into_iter().collect()
            })
            .collect();
        let (base, value_facet) = numbering(&values);
        let mut entries = Vec::new();
        let mut offsets = vec![0u32];
        for r in records {
            for (fi, f) in names.iter().enumerate() {
                for v in per_doc_values(r, f) {
                    if let Ok(vi) = values[fi].binary_search(&v) {
                        entries.push(base[fi] + vi as u32);
                    }
                }
            }
            offsets.push(entries.len() as u32);
        }
        FacetColumns {
            values,
            base,
            value_facet,
            entries,
            offsets,
        }
    }

    /// Number of documents.
    pub fn docs(&self) -> usize {
        self.offsets.len() - 1
    }

    /// `(values as JSON, the columns)`. Column-major: per facet, one LEB128 number per
    /// document (its value's index + 1, 0 for none) when no document has two values of it,
    /// otherwise per document a count then the value indexes. Column-major bytes compress to
    /// near the entropy of each facet (a document-major layout mixes their statistics).
    pub fn encode(&self) -> Result<(Vec<u8>, Vec<u8>), SearchError> {
        let json = serde_json::to_vec(&self.values)?;
        let nf = self.values.len();
        // Per facet and document: the value indexes, in the document's order.
        let mut per: Vec<Vec<Vec<u32>>> = vec![vec![Vec::new(); self.docs()]; nf];
        for (d, w) in self.offsets.windows(2).enumerate() {
            for &e in &self.entries[w[0] as usize..w[1] as usize] {
                let fi = self.value_facet[e as usize] as usize;
                per[fi][d].push(e - self.base[fi]);
            }
        }
        let mut bin = Vec::with_capacity(self.entries.len() + nf * self.docs());
        for column in &per {
            let single = column.iter().all(|v| v.len() <= 1);
            bin.push(u8::from(!single));
            for vals in column {
                if single {
                    put_varint(&mut bin, vals.first().map_or(0, |v| v + 1));
                } else {
                    put_varint(&mut bin, vals.len() as u32);
                    for &v in vals {
                        put_varint(&mut bin, v);
                    }
                }
            }
        }
        Ok((json, bin))
    }

    /// Reads what [`FacetColumns::encode`] wrote, checking every number.
    pub fn decode(json: &[u8], bin: &[u8], docs: usize) -> Result<Self, SearchError> {
        let values: Vec<Vec<String>> = serde_json::from_slice(json)?;
        if values.len() != facet_names().len() {
            return Err(SearchError::Bundle(format!(
                "facet columns have {} facets, expected {}",
                values.len(),
                facet_names().len()
            )));
        }
        let (base, value_facet) = numbering(&values);
        let bad = |m: &str| SearchError::Bundle(m.to_string());
        let mut pos = 0;
        // Per document: its global value numbers, facet by facet.
        let mut per_doc: Vec<Vec<u32>> = vec![Vec::new(); docs.min(bin.len())];
        if per_doc.len() != docs {
            return Err(bad("facet columns shorter than the entries"));
        }
        for (fi, vals) in values.iter().enumerate() {
            let multi = match bin.get(pos) {
                Some(0) => false,
                Some(1) => true,
                _ => return Err(bad("facet column without a valid mode")),
            };
            pos += 1;
            let value = |v: u32| -> Result<u32, SearchError> {
                if (v as usize) < vals.len() {
                    Ok(base[fi] + v)
                } else {
                    Err(bad("facet value number out of range"))
                }
            };
            for doc in per_doc.iter_mut() {
                if multi {
                    let n = get_varint(bin, &mut pos)?;
                    for _ in 0..n {
                        let v = get_varint(bin, &mut pos)?;
                        doc.push(value(v)?);
                    }
                } else {
                    let v = get_varint(bin, &mut pos)?;
                    if v > 0 {
                        doc.push(value(v - 1)?);
                    }
                }
            }
        }
        if pos != bin.len() {
            return Err(bad("trailing bytes after the facet columns"));
        }
        let mut entries = Vec::new();
        let mut offsets = Vec::with_capacity(docs + 1);
        offsets.push(0);
        for doc in per_doc {
            entries.extend(doc);
            offsets.push(entries.len() as u32);
        }
        Ok(FacetColumns {
            values,
            base,
            value_facet,
            entries,
            offsets,
        })
    }
}

fn numbering(values: &[Vec<String>]) -> (Vec<u32>, Vec<u8>) {
    let mut base = Vec::with_capacity(values.len());
    let mut value_facet = Vec::new();
    for (fi, vals) in values.iter().enumerate() {
        base.push(value_facet.len() as u32);
        value_facet.extend(std::iter::repeat_n(fi as u8, vals.len()));
    }
    (base, value_facet)
}

fn put_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn get_varint(bytes: &[u8], pos: &mut usize) -> Result<u32, SearchError> {
    let mut v: u32 = 0;
    for shift in (0..35).step_by(7) {
        let b = *bytes
            .get(*pos)
            .ok_or_else(|| SearchError::Bundle("truncated number".into()))?;
        *pos += 1;
        v |= u32::from(b & 0x7f)
            .checked_shl(shift)
            .ok_or_else(|| SearchError::Bundle("number too large".into()))?;
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(SearchError::Bundle("number too large".into()))
}

/// The sort orders other than relevance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RankOrder {
    Newest = 0,
    Name = 1,
    Population = 2,
}

/// Per order: each document's position in it.
pub(crate) fn ranks_from_records(records: &[Record]) -> [Vec<u32>; 3] {
    let name_keys: Vec<String> = records.iter().map(|r| analysis::fold(&r.title)).collect();
    let rank = |cmp: &dyn Fn(usize, usize) -> std::cmp::Ordering| -> Vec<u32> {
        let mut order: Vec<usize> = (0..records.len()).collect();
        order.sort_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
        let mut rank = vec![0u32; records.len()];
        for (pos, d) in order.into_iter().enumerate() {
            rank[d] = pos as u32;
        }
        rank
    };
    let name = rank(&|a, b| name_keys[a].cmp(&name_keys[b]));
    let newest = rank(&|a, b| {
        records[b]
            .erfasst_am
            .cmp(&records[a].erfasst_am)
            .then(name_keys[a].cmp(&name_keys[b]))
    });
    // Larger population first, entries without one last.
    let population = rank(&|a, b| {
        records[b]
            .einwohner
            .cmp(&records[a].einwohner)
            .then(name_keys[a].cmp(&name_keys[b]))
    });
    [newest, name, population]
}

/// A rank array as little-endian `u32`s.
pub(crate) fn encode_ranks(rank: &[u32]) -> Vec<u8> {
    rank.iter().flat_map(|r| r.to_le_bytes()).collect()
}

/// Reads [`encode_ranks`]' output for `docs` documents.
pub(crate) fn decode_ranks(bytes: &[u8], docs: usize) -> Result<Vec<u32>, SearchError> {
    if bytes.len() != docs * 4 {
        return Err(SearchError::Bundle(format!(
            "sort order has {} bytes, expected {}",
            bytes.len(),
            docs * 4
        )));
    }
    Ok(bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect())
}

/// A record with only what a hit shows (the facet and sort data live in the columns).
pub(crate) fn display_only(r: &Record) -> Record {
    Record {
        facets: Default::default(),
        einwohner: None,
        start_year: None,
        erfasst_am: String::new(),
        ..r.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facet_columns_roundtrip_and_reject_bad_numbers() {
        let mut r = Record {
            id: "a".into(),
            kind: "beispiel".into(),
            url: "beispiele/a/".into(),
            title: "A".into(),
            summary: String::new(),
            kommunen: vec![],
            key_facts: vec![],
            facets: Default::default(),
            einwohner: Some(300_000),
            start_year: Some(2021),
            erfasst_am: "2024-01-01".into(),
        };
        r.facets
            .insert("bundesland".into(), vec!["by".into(), "he".into()]);
        let mut r2 = r.clone();
        r2.facets.clear();
        r2.einwohner = None;
        let cols = FacetColumns::from_records(&[r, r2]);
        let (json, bin) = cols.encode().unwrap();
        assert_eq!(FacetColumns::decode(&json, &bin, 2).unwrap(), cols);
        assert!(FacetColumns::decode(&json, &bin[..bin.len() - 1], 2).is_err());
        let mut bad = bin.clone();
        bad[0] = 7;
        assert!(FacetColumns::decode(&json, &bad, 2).is_err());
        let mut bad = bin.clone();
        let last = bad.len() - 1;
        bad[last] = 0x7f;
        assert!(FacetColumns::decode(&json, &bad, 2).is_err());
        for v in [0, 1, 127, 128, 300, u32::MAX] {
            let mut b = Vec::new();
            put_varint(&mut b, v);
            assert_eq!(get_varint(&b, &mut 0).unwrap(), v);
        }
        assert!(get_varint(&[0xff; 6], &mut 0).is_err());
    }
}
