//! What the importer reads from the site: vocabularies and action fields.

use super::*;

/// What the importer needs from the site.
pub(super) struct Site {
    /// NUTS level-1 code (`DE1`) → bundesland id.
    pub(super) nuts: BTreeMap<String, String>,
    pub(super) bundeslaender: BTreeSet<String>,
    /// Action fields in display order: (id, cofog codes, reihenfolge).
    pub(super) fields: Vec<(String, Vec<String>, i32)>,
    /// Vocabulary ids per vocabulary, for checking table targets.
    pub(super) vocab: BTreeMap<String, BTreeSet<String>>,
}

impl Site {
    pub(super) fn load(root: &Path) -> Result<Site, Error> {
        let (loaded, diags) = load::load(root);
        let Some(vocab) = loaded.vocab else {
            return Err(Error::ImportSite {
                root: root.to_path_buf(),
                message: format!(
                    "`content/vokabular.yaml` fehlt oder ist fehlerhaft ({})",
                    diags.summary()
                ),
            });
        };
        let mut nuts = BTreeMap::new();
        let mut bundeslaender = BTreeSet::new();
        if let Some(bl) = vocab.meta.get("bundesland") {
            for (id, e) in bl {
                bundeslaender.insert(id.clone());
                if let Some(code) = e.mappings.get("nuts") {
                    nuts.insert(code.trim().to_uppercase(), id.clone());
                }
            }
        }
        let mut fields: Vec<(String, Vec<String>, i32)> = loaded
            .fields
            .iter()
            .map(|f| (f.id.clone(), f.meta.cofog.clone(), f.meta.reihenfolge))
            .collect();
        fields.sort_by(|a, b| a.2.cmp(&b.2).then_with(|| a.0.cmp(&b.0)));
        if fields.is_empty() || bundeslaender.is_empty() {
            return Err(Error::ImportSite {
                root: root.to_path_buf(),
                message: "keine Handlungsfelder oder kein Vokabular `bundesland` gefunden".into(),
            });
        }
        let vocab = vocab
            .meta
            .iter()
            .map(|(name, entries)| (name.clone(), entries.keys().cloned().collect()))
            .collect();
        Ok(Site {
            nuts,
            bundeslaender,
            fields,
            vocab,
        })
    }

    pub(super) fn has(&self, vocabulary: &str, id: &str) -> bool {
        self.vocab.get(vocabulary).is_some_and(|s| s.contains(id))
    }
}
