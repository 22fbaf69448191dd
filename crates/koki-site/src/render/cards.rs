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
        use rayon::prelude::*;
        if self.cache.card_html.get().is_none() {
            let html = self
                .catalog
                .examples
                .par_iter()
                .map(|e| self.render_card(&self.card(e)))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = self.cache.card_html.set(html);
        }
        if self.cache.scenario_card_html.get().is_none() {
            let html = self
                .catalog
                .scenarios
                .par_iter()
                .map(|s| self.render_card(&self.scenario_card(s)))
                .collect::<Result<Vec<_>, _>>()?;
            let _ = self.cache.scenario_card_html.set(html);
        }
        Ok(())
    }

    /// The pre-rendered cards of the examples at `positions`, as one Tera list.
    pub(crate) fn example_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, Error> {
        self.prepare_cards()?;
        let html = self.cache.card_html.get().map(Vec::as_slice).unwrap_or(&[]);
        Ok(tera::Value::from(
            positions
                .into_iter()
                .filter_map(|p| html.get(p).map(|h| h.get(level)))
                .collect::<Vec<_>>(),
        ))
    }

    /// The pre-rendered cards of the scenarios at `positions`, as one Tera list.
    pub(super) fn scenario_cards(
        &self,
        positions: impl IntoIterator<Item = usize>,
        level: CardLevel,
    ) -> Result<tera::Value, Error> {
        self.prepare_cards()?;
        let html = self
            .cache
            .scenario_card_html
            .get()
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        Ok(tera::Value::from(
            positions
                .into_iter()
                .filter_map(|p| html.get(p).map(|h| h.get(level)))
                .collect::<Vec<_>>(),
        ))
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
