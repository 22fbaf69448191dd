//! Cards: the short form of an example or scenario in lists, rendered once per build.

use super::*;
use crate::Error;

impl<'a> Renderer<'a> {
    /// The card of an example (from the cache when the example is in the catalog).
    pub fn card(&self, e: &Entry<Example>) -> Card {
        match self.catalog.example_pos(&e.id) {
            Some(i) if i < self.cache.cards.len() => self.cache.cards[i].clone(),
            _ => self.make_card(e),
        }
    }

    pub(super) fn make_card(&self, e: &Entry<Example>) -> Card {
        let c = self.catalog;
        let kommunen: Vec<&str> = e.meta.kommunen.iter().map(|k| k.name.as_str()).collect();
        Card {
            id: e.id.clone(),
            url: self.url(&paths::example(&e.id)),
            titel: e.meta.titel.clone(),
            kurz: e.meta.kurzbeschreibung.clone(),
            meta: vec![
                kommunen.join(", "),
                c.label("bundesland", &e.meta.bundesland).to_string(),
                c.label("status", &e.meta.status).to_string(),
            ],
        }
    }

    /// Render `card` with `macros-card.html` at both heading levels.
    pub(super) fn render_card(&self, card: &Card) -> Result<CardHtml, Error> {
        let mut ctx = tera::Context::new();
        ctx.insert("card", card);
        ctx.insert("card_level", &2);
        let h2 = self.theme.render("macros-card.html", &ctx)?;
        ctx.insert("card_level", &3);
        let h3 = self.theme.render("macros-card.html", &ctx)?;
        Ok(CardHtml {
            h2: tera::Value::safe_string(&h2),
            h3: tera::Value::safe_string(&h3),
        })
    }

    /// Render every example's and scenario's card once (in parallel).
    pub(super) fn prepare_cards(&self) -> Result<(), Error> {
        let c = self.catalog;
        render_once(&self.cache.card_html, &c.examples, |e| self.card(e), self)?;
        render_once(
            &self.cache.scenario_card_html,
            &c.scenarios,
            |s| self.scenario_card(s),
            self,
        )
    }

    /// The pre-rendered cards of the examples at `positions`, as one Tera list.
    pub(crate) fn example_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, Error> {
        self.prepare_cards()?;
        Ok(cards_at(&self.cache.card_html, positions, level))
    }

    /// The pre-rendered cards of the scenarios at `positions`, as one Tera list.
    pub(super) fn scenario_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, Error> {
        self.prepare_cards()?;
        Ok(cards_at(&self.cache.scenario_card_html, positions, level))
    }

    pub(super) fn scenario_card(&self, s: &Entry<Scenario>) -> Card {
        let c = self.catalog;
        Card {
            id: s.id.clone(),
            url: self.url(&paths::scenario(&s.id)),
            titel: s.meta.titel.clone(),
            kurz: s.meta.kurzfassung.clone(),
            meta: vec![
                format!("{} {}", self.theme.ui("zeithorizont"), s.meta.zeithorizont),
                c.label("szenariotyp", &s.meta.szenariotyp).to_string(),
            ],
        }
    }
}

/// Fill `cell` with the rendered card of each of `items` unless it is filled already.
fn render_once<T: Sync>(
    cell: &std::sync::OnceLock<Vec<CardHtml>>,
    items: &[T],
    card: impl Fn(&T) -> Card + Sync,
    renderer: &Renderer<'_>,
) -> Result<(), Error> {
    use rayon::prelude::*;
    if cell.get().is_none() {
        let html = items
            .par_iter()
            .map(|item| renderer.render_card(&card(item)))
            .collect::<Result<Vec<_>, _>>()?;
        let _ = cell.set(html);
    }
    Ok(())
}

/// The cards in `cell` at `positions` (an unknown position is skipped), as one Tera list.
fn cards_at(
    cell: &std::sync::OnceLock<Vec<CardHtml>>,
    positions: impl IntoIterator<Item = usize>,
    level: CardLevel,
) -> tera::Value {
    let html = cell.get().map(Vec::as_slice).unwrap_or(&[]);
    tera::Value::from(
        positions
            .into_iter()
            .filter_map(|p| html.get(p).map(|h| h.get(level)))
            .collect::<Vec<_>>(),
    )
}
