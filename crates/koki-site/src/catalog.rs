//! The validated catalog: one value that every output (pages, search index, exports) reads.
//! Built only from content that passed validation; holds the derived links both ways.

use crate::load::{Entry, Loaded};
use crate::model::{ActionField, Example, Page, Scenario, SiteConfig, Vocabularies};
use std::collections::{BTreeMap, BTreeSet, HashMap};

#[derive(Debug)]
pub struct Catalog {
    pub site: SiteConfig,
    /// Absolute base URL, always ending in `/` (e.g. `https://example.org/katalog/`).
    pub base_url: String,
    /// Path part of the base URL, always starting and ending in `/` (e.g. `/katalog/`).
    pub base_path: String,
    pub vocab: Vocabularies,
    /// The fields of examples: what the fact box, the CSV, the facets and the search show.
    pub registry: std::sync::Arc<koki_model::fields::Registry>,
    /// Sorted by `reihenfolge`, then id.
    pub fields: Vec<Entry<ActionField>>,
    /// Sorted by id.
    pub examples: Vec<Entry<Example>>,
    /// Sorted by id.
    pub scenarios: Vec<Entry<Scenario>>,
    /// Sorted by `reihenfolge`, then id.
    pub pages: Vec<Entry<Page>>,
    /// example id -> scenario ids linked from either side.
    pub scenarios_of_example: BTreeMap<String, BTreeSet<String>>,
    /// scenario id -> example ids linked from either side.
    pub examples_of_scenario: BTreeMap<String, BTreeSet<String>>,
    example_index: HashMap<String, usize>,
    scenario_index: HashMap<String, usize>,
    field_index: HashMap<String, usize>,
    page_index: HashMap<String, usize>,
}

fn index_of<T>(entries: &[Entry<T>]) -> HashMap<String, usize> {
    entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.clone(), i))
        .collect()
}

/// Normalise a base URL to end in `/`, and extract its path.
pub fn split_base_url(base_url: &str) -> (String, String) {
    let mut full = base_url.trim().to_string();
    if !full.ends_with('/') {
        full.push('/');
    }
    let path = match url::Url::parse(&full) {
        Ok(u) => u.path().to_string(),
        Err(_) => "/".to_string(),
    };
    let path = if path.ends_with('/') {
        path
    } else {
        format!("{path}/")
    };
    (full, path)
}

impl Catalog {
    /// Assemble the catalog from validated content. `base_url` overrides `site.yaml`.
    /// Panics never: missing site/vocab mean validation failed, which callers check first.
    pub fn from_loaded(loaded: Loaded, base_url: Option<&str>) -> Option<Catalog> {
        let registry = loaded.registry();
        let site = loaded.site?.meta;
        let mut vocab = loaded.vocab?.meta;
        crate::places::add_settlement_vocabulary(&mut vocab);
        let (base_url, base_path) = split_base_url(base_url.unwrap_or(&site.base_url));
        let mut fields = loaded.fields;
        fields.sort_by(|a, b| (a.meta.reihenfolge, &a.id).cmp(&(b.meta.reihenfolge, &b.id)));
        let mut examples = loaded.examples;
        examples.sort_by(|a, b| a.id.cmp(&b.id));
        let mut scenarios = loaded.scenarios;
        scenarios.sort_by(|a, b| a.id.cmp(&b.id));
        let mut pages = loaded.pages;
        pages.sort_by(|a, b| (a.meta.reihenfolge, &a.id).cmp(&(b.meta.reihenfolge, &b.id)));

        let mut scenarios_of_example: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut examples_of_scenario: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        let mut link = |example: &str, scenario: &str| {
            scenarios_of_example
                .entry(example.to_string())
                .or_default()
                .insert(scenario.to_string());
            examples_of_scenario
                .entry(scenario.to_string())
                .or_default()
                .insert(example.to_string());
        };
        for s in &scenarios {
            for e in &s.meta.vorboten {
                link(e, &s.id);
            }
        }
        for e in &examples {
            for s in &e.meta.szenarien {
                link(&e.id, s);
            }
        }
        Some(Catalog {
            example_index: index_of(&examples),
            scenario_index: index_of(&scenarios),
            field_index: index_of(&fields),
            page_index: index_of(&pages),
            site,
            base_url,
            base_path,
            vocab,
            registry,
            fields,
            examples,
            scenarios,
            pages,
            scenarios_of_example,
            examples_of_scenario,
        })
    }

    /// Drop the YAML text each entry keeps for diagnostics (positions and source lines): a
    /// build that has validated the content needs only the parsed values.
    pub fn release_sources(&mut self) {
        fn clear<T>(entries: &mut [crate::load::Entry<T>]) {
            for e in entries {
                e.source.yaml = String::new();
            }
        }
        clear(&mut self.fields);
        clear(&mut self.examples);
        clear(&mut self.scenarios);
        clear(&mut self.pages);
    }

    /// German label of a vocabulary value; the id itself if unknown.
    pub fn label<'a>(&'a self, vocabulary: &str, id: &'a str) -> &'a str {
        self.vocab
            .get(vocabulary)
            .and_then(|v| v.get(id))
            .map(|e| e.label.as_str())
            .unwrap_or(id)
    }

    pub fn example(&self, id: &str) -> Option<&Entry<Example>> {
        self.example_index.get(id).map(|&i| &self.examples[i])
    }

    /// Position of an example in [`Catalog::examples`].
    pub fn example_pos(&self, id: &str) -> Option<usize> {
        self.example_index.get(id).copied()
    }

    pub fn scenario_pos(&self, id: &str) -> Option<usize> {
        self.scenario_index.get(id).copied()
    }

    /// Positions in [`Catalog::scenarios`] of the scenarios that name `example_id`.
    pub fn scenario_positions_of(&self, example_id: &str) -> impl Iterator<Item = usize> + '_ {
        linked_positions(&self.scenarios_of_example, example_id, &self.scenario_index)
    }

    /// Positions in [`Catalog::examples`] of the examples a scenario is linked with.
    pub fn example_positions_of(&self, scenario_id: &str) -> impl Iterator<Item = usize> + '_ {
        linked_positions(&self.examples_of_scenario, scenario_id, &self.example_index)
    }

    pub fn scenario(&self, id: &str) -> Option<&Entry<Scenario>> {
        self.scenario_index.get(id).map(|&i| &self.scenarios[i])
    }

    pub fn field(&self, id: &str) -> Option<&Entry<ActionField>> {
        self.field_index.get(id).map(|&i| &self.fields[i])
    }

    pub fn page(&self, id: &str) -> Option<&Entry<Page>> {
        self.page_index.get(id).map(|&i| &self.pages[i])
    }

    /// Examples whose primary or further action field is `field`.
    pub fn examples_in_field<'a>(
        &'a self,
        field: &'a str,
    ) -> impl Iterator<Item = &'a Entry<Example>> + 'a {
        in_field(&self.examples, field)
    }

    /// Scenarios whose primary or further action field is `field`.
    pub fn scenarios_in_field<'a>(
        &'a self,
        field: &'a str,
    ) -> impl Iterator<Item = &'a Entry<Scenario>> + 'a {
        in_field(&self.scenarios, field)
    }
}

/// An entry that belongs to one primary and any number of further action fields.
trait InFields {
    fn primary_field(&self) -> &str;
    fn further_fields(&self) -> &[String];
}

impl InFields for Example {
    fn primary_field(&self) -> &str {
        &self.handlungsfeld
    }
    fn further_fields(&self) -> &[String] {
        &self.handlungsfelder_weitere
    }
}

impl InFields for Scenario {
    fn primary_field(&self) -> &str {
        &self.handlungsfeld
    }
    fn further_fields(&self) -> &[String] {
        &self.handlungsfelder_weitere
    }
}

/// The entries of `entries` whose primary or further action field is `field`.
fn in_field<'a, T: InFields>(
    entries: &'a [Entry<T>],
    field: &'a str,
) -> impl Iterator<Item = &'a Entry<T>> + 'a {
    entries.iter().filter(move |e| {
        e.meta.primary_field() == field || e.meta.further_fields().iter().any(|f| f == field)
    })
}

/// The positions (by `index`) of the ids `links` holds for `id`, in id order.
fn linked_positions<'a>(
    links: &'a BTreeMap<String, BTreeSet<String>>,
    id: &str,
    index: &'a HashMap<String, usize>,
) -> impl Iterator<Item = usize> + 'a {
    links
        .get(id)
        .into_iter()
        .flatten()
        .filter_map(|linked| index.get(linked).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_is_normalised() {
        assert_eq!(
            split_base_url("https://a.example"),
            ("https://a.example/".into(), "/".into())
        );
        assert_eq!(
            split_base_url("https://a.example/katalog"),
            ("https://a.example/katalog/".into(), "/katalog/".into())
        );
    }
}
