//! The pages of examples, scenarios, action fields, free pages, the home page, redirects and the submission form.

use super::*;
use crate::Error;

impl<'a> Renderer<'a> {
    pub(super) fn render_example(&self, e: &Entry<Example>) -> Result<(), Error> {
        let c = self.catalog;
        let rel = paths::example(&e.id);
        // Rendered here, right before the page, and dropped with it: holding the HTML of every
        // body at once cost about 8 KB per example (400 MB at 50,000 examples).
        let body_html = markdown::render(&e.body, &c.base_path).html;
        let (facts, completeness) = self.facts(e);
        let facts = FactBox::from_rows(facts, |key| self.theme.ui(key));
        let scenarios = self.scenario_cards(c.scenario_positions_of(&e.id), CardLevel::H3)?;
        let related = self.example_cards(self.related_examples(e), CardLevel::H3)?;
        let mut ctx = self.context(&rel, &e.meta.titel, Some(&e.meta.kurzbeschreibung));
        ctx.insert(
            "e",
            &ExampleHead {
                titel: &e.meta.titel,
                kurzbeschreibung: &e.meta.kurzbeschreibung,
                status: &e.meta.status,
                quellen: &e.meta.quellen,
            },
        );
        ctx.insert("id", &e.id);
        ctx.insert_value("body", tera::Value::safe_string(&body_html));
        drop(body_html);
        ctx.insert("facts", &facts);
        ctx.insert("completeness", &completeness);
        ctx.insert_value("scenarios", scenarios);
        ctx.insert_value("related", related);
        ctx.insert("field", &self.field_link(&e.meta.handlungsfeld));
        ctx.insert("status_label", c.label("status", &e.meta.status));
        ctx.insert("report_url", &self.report_url(&e.id));
        ctx.insert(
            "json_ld",
            &crate::export::script_safe_json(&crate::export::example_json_ld(c, e)),
        );
        ctx.insert("freshness", &self.freshness(e, self.cache.reference_date));
        ctx.insert(
            "evidenz",
            &e.meta
                .evidenzgrad
                .as_deref()
                .map(|v| c.label("evidenzgrad", v)),
        );
        self.write_page(&rel, "beispiel.html", &ctx)
    }

    /// "Fehler melden / Ergänzung vorschlagen": the submission form, prefilled with the entry.
    pub(super) fn report_url(&self, id: &str) -> String {
        format!(
            "{}{}?korrektur={id}",
            self.catalog.base_path,
            crate::submit::FORM_DIR
        )
    }

    /// Declared related examples first, then examples of the same field with a similar
    /// municipality (same size class or Land), at most six, as positions in the catalog.
    ///
    /// Score: +2 same size class, +1 same Land, +1 a shared AI technique; ties by id (the
    /// catalog is sorted by id, so by position). Candidates come from precomputed tiers (same
    /// field and size class and Land, then same size class, then same Land, then the whole
    /// field), and the search stops as soon as the sixth best score beats anything a later tier
    /// could reach — the same result as scoring the whole field, without a scan of it per page.
    /// A later tier contains the earlier ones; their members are recognised by their size class
    /// and Land instead of a set of seen examples.
    pub(super) fn related_examples(&self, e: &Entry<Example>) -> Vec<usize> {
        let c = self.catalog;
        let m = &e.meta;
        let declared: Vec<usize> = m
            .verwandte_beispiele
            .iter()
            .filter_map(|id| c.example_pos(id))
            .collect();
        let need = 6usize.saturating_sub(m.verwandte_beispiele.len());
        let mut out: Vec<usize> = declared.iter().copied().take(6).collect();
        if need == 0 {
            return out;
        }
        let me_pos = c.example_pos(&e.id);
        let me = match me_pos.and_then(|p| self.cache.related_keys.get(p)) {
            Some(k) => k,
            None => return out,
        };
        let keys = &self.cache.related_keys;
        let score = |o: &RelatedKey| -> i32 {
            let mut score = 0;
            if o.gt.is_some() && o.gt == me.gt {
                score += 2;
            }
            if o.land == me.land {
                score += 1;
            }
            if o.tech.iter().any(|t| me.tech.contains(t)) {
                score += 1;
            }
            score
        };
        let field = m.handlungsfeld.as_str();
        let field_id = self.cache.interner.get(field);
        let empty: Vec<usize> = Vec::new();
        let tier = |gt: Option<u32>, land: Option<u32>| -> &Vec<usize> {
            field_id
                .and_then(|f| self.cache.related_tiers.get(&(f, gt, land)))
                .unwrap_or(&empty)
        };
        let same_gt = |o: &RelatedKey| me.gt.is_some() && o.gt == me.gt;
        let same_land = |o: &RelatedKey| o.land == me.land;
        // (candidate positions, already seen in an earlier tier, best score any example not
        // yet seen can still reach)
        type Seen<'f> = &'f dyn Fn(&RelatedKey) -> bool;
        let never = |_: &RelatedKey| false;
        let either = |o: &RelatedKey| same_gt(o) || same_land(o);
        let mut tiers: Vec<(&Vec<usize>, Seen, i32)> = Vec::new();
        if me.gt.is_some() {
            tiers.push((tier(me.gt, Some(me.land)), &never, 3));
            tiers.push((tier(me.gt, None), &same_land, 2));
            tiers.push((tier(None, Some(me.land)), &same_gt, 1));
        } else {
            tiers.push((tier(None, Some(me.land)), &never, 1));
        }
        tiers.push((
            self.cache.by_field.get(field).unwrap_or(&empty),
            if me.gt.is_some() { &either } else { &same_land },
            -1,
        ));
        let mut scored: Vec<(i32, usize)> = Vec::new();
        for (positions, seen, next_max) in tiers {
            for &p in positions {
                let o = &keys[p];
                if seen(o) || Some(p) == me_pos || declared.contains(&p) {
                    continue;
                }
                scored.push((-score(o), p));
            }
            // Only the best `need` so far can be in the result: keep those (selection, not a
            // sort of every candidate).
            if scored.len() > need {
                scored.select_nth_unstable(need - 1);
                scored.truncate(need);
            }
            if scored.len() >= need && -scored.iter().map(|s| s.0).max().unwrap_or(0) > next_max {
                break;
            }
        }
        scored.sort_unstable();
        out.extend(scored.into_iter().take(need).map(|(_, p)| p));
        out
    }

    pub(super) fn render_scenario(&self, s: &Entry<Scenario>) -> Result<(), Error> {
        let c = self.catalog;
        let rel = paths::scenario(&s.id);
        let body = markdown::render(&s.body, &c.base_path);
        let examples = self.example_cards(c.example_positions_of(&s.id), CardLevel::H3)?;
        let options: Vec<Value> = s
            .meta
            .handlungsoptionen_heute
            .iter()
            .map(|h| json!({"massnahme": h.massnahme, "aufwand": c.label("aufwand", &h.aufwand), "no_regret": h.no_regret}))
            .collect();
        let setting = s.meta.setting.as_ref().map(|st| {
            let parts: Vec<&str> = [
                st.gemeindetyp.as_deref().map(|g| c.label("gemeindetyp", g)),
                st.laendlichkeit
                    .as_deref()
                    .map(|l| c.label("laendlichkeit", l)),
            ]
            .into_iter()
            .flatten()
            .collect();
            parts.join(", ")
        });
        let mut ctx = self.context(&rel, &s.meta.titel, Some(&s.meta.kurzfassung));
        ctx.insert("s", &s.meta);
        ctx.insert("id", &s.id);
        ctx.insert("body", &body.html);
        ctx.insert_value("examples", examples);
        ctx.insert("options", &options);
        ctx.insert("setting", &setting);
        ctx.insert("typ_label", c.label("szenariotyp", &s.meta.szenariotyp));
        ctx.insert("field", &self.field_link(&s.meta.handlungsfeld));
        self.write_page(&rel, "szenario.html", &ctx)
    }

    pub(super) fn render_fields(&self) -> Result<(), Error> {
        let c = self.catalog;
        let mut overview = Vec::new();
        for f in &c.fields {
            let rel = paths::field(&f.id);
            let body = markdown::render(&f.body, &c.base_path);
            // Title order; ties keep catalog (id) order, as the title rank does.
            let mut examples: Vec<usize> =
                self.cache.by_field.get(&f.id).cloned().unwrap_or_default();
            examples.sort_by_key(|&p| self.cache.title_rank[p]);
            let example_count = examples.len();
            let examples = self.example_cards(examples, CardLevel::H3)?;
            let scenarios = self.scenario_cards(
                c.scenarios
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        s.meta.handlungsfeld == f.id
                            || s.meta.handlungsfelder_weitere.contains(&f.id)
                    })
                    .map(|(p, _)| p),
                CardLevel::H3,
            )?;
            overview.push(json!({
                "id": f.id, "titel": f.meta.titel, "kurz": f.meta.kurz, "url": self.url(&rel),
                "anzahl_beispiele": example_count, "anzahl_szenarien": scenarios.len().unwrap_or(0),
            }));
            let mut ctx = self.context(&rel, &f.meta.titel, Some(&f.meta.kurz));
            ctx.insert("f", &f.meta);
            ctx.insert("id", &f.id);
            ctx.insert("body", &body.html);
            ctx.insert_value("examples", examples);
            ctx.insert_value("scenarios", scenarios);
            self.write_page(&rel, "handlungsfeld.html", &ctx)?;
        }
        let mut ctx = self.context("handlungsfelder/", &self.theme.ui("handlungsfelder"), None);
        ctx.insert("fields", &overview);
        self.write_page("handlungsfelder/", "handlungsfelder.html", &ctx)?;
        Ok(())
    }

    /// The scenario list (the example lists and filter pages are in `browse`).
    pub(super) fn render_lists(&self) -> Result<(), Error> {
        let c = self.catalog;
        let scenarios = self.scenario_cards(0..c.scenarios.len(), CardLevel::H2)?;
        let mut ctx = self.context("szenarien/", &self.theme.ui("szenarien"), None);
        ctx.insert_value("scenarios", scenarios);
        self.write_page("szenarien/", "szenarien.html", &ctx)?;
        Ok(())
    }

    pub(super) fn render_pages(&self) -> Result<(), Error> {
        let c = self.catalog;
        for p in &c.pages {
            let rel = paths::page(&p.id);
            let body = markdown::render(&p.body, &c.base_path);
            let mut ctx = self.context(&rel, &p.meta.titel, p.meta.beschreibung.as_deref());
            ctx.insert("p", &p.meta);
            ctx.insert("body", &body.html);
            ctx.insert(
                "headings",
                &body
                    .headings
                    .iter()
                    .filter(|h| h.0 == 2)
                    .map(|h| json!({"id": h.1, "text": h.2}))
                    .collect::<Vec<_>>(),
            );
            self.write_page(&rel, "seite.html", &ctx)?;
        }
        Ok(())
    }

    pub(super) fn render_home(&self) -> Result<(), Error> {
        let c = self.catalog;
        let fields: Vec<Value> = c
            .fields
            .iter()
            .map(|f| json!({"titel": f.meta.titel, "kurz": f.meta.kurz, "url": self.url(&paths::field(&f.id)), "anzahl": self.cache.by_field.get(&f.id).map_or(0, Vec::len)}))
            .collect();
        // Newest first, ties by id (= position).
        let mut newest: Vec<usize> = (0..c.examples.len()).collect();
        newest.sort_by(|&a, &b| {
            (&c.examples[b].meta.erfasst_am, a).cmp(&(&c.examples[a].meta.erfasst_am, b))
        });
        newest.truncate(6);
        let newest = self.example_cards(newest, CardLevel::H3)?;
        let mut ctx = self.context("", &c.site.titel, None);
        ctx.insert("fields", &fields);
        ctx.insert_value("newest", newest);
        ctx.insert("counts", &json!({"beispiele": c.examples.len(), "szenarien": c.scenarios.len(), "handlungsfelder": c.fields.len()}));
        self.write_page("", "index.html", &ctx)?;
        if self.theme.has_template("suche.html") {
            let mut ctx = self.context("suche/", &self.theme.ui("suche"), None);
            ctx.insert("search_module", &crate::search::module_file_name());
            self.write_page("suche/", "suche.html", &ctx)?;
        }
        let ctx = self.context("404.html", &self.theme.ui("nicht_gefunden"), None);
        let html = self.theme.render("404.html", &ctx)?;
        self.out.write("404.html", html.as_bytes())?;
        Ok(())
    }

    /// A redirect page at each former address of an example (`fruehere_ids`): a meta
    /// refresh for browsers, a canonical link for search engines and a plain link for
    /// everyone else; left out of the sitemap. Themes without `weiterleitung.html` skip it.
    pub(super) fn render_redirects(&self) -> Result<(), Error> {
        if !self.theme.has_template("weiterleitung.html") {
            return Ok(());
        }
        for e in &self.catalog.examples {
            let target = paths::example(&e.id);
            for old in &e.meta.fruehere_ids {
                let rel = paths::example(old);
                let mut ctx = self.context(&target, &e.meta.titel, Some(&e.meta.kurzbeschreibung));
                ctx.insert(
                    "ziel",
                    &json!({"url": self.url(&target), "titel": e.meta.titel}),
                );
                let html = self.theme.render("weiterleitung.html", &ctx)?;
                self.out
                    .write_unlisted(&format!("{rel}index.html"), html.as_bytes())?;
            }
        }
        Ok(())
    }

    /// The submission form `einreichen/` (see [`crate::submit`]).
    pub(super) fn render_submission(&self) -> Result<(), Error> {
        if !self.theme.has_template("einreichen.html") {
            return Ok(());
        }
        let c = self.catalog;
        let mut ctx = self.context(
            crate::submit::FORM_DIR,
            &self.theme.ui("einreichen_titel"),
            None,
        );
        ctx.insert("steps", &crate::submit::steps(c, &self.theme.field_labels));
        ctx.insert("questions", &crate::submit::questions());
        ctx.insert("module_url", &self.url(&crate::submit::module_path()));
        ctx.insert(
            "context_url",
            &self.url(&format!("{}kontext.json", crate::submit::FORM_DIR)),
        );
        let terms = crate::schema::Terms::from_catalog(c);
        // The page shows placeholders instead of dates: a build date must not reach the output.
        let date = self.cache.reference_date;
        let template = crate::scaffold::template(
            crate::scaffold::EntryKind::Example,
            "Titel des Beispiels",
            date,
            Some(&terms),
        )
        .replace(&date.to_string(), "JJJJ-MM-TT")
        .replace(&format!("start: {}", date.format("%Y")), "start: JJJJ");
        ctx.insert("vorlage", &template);
        ctx.insert(
            "mitmachen_url",
            &c.pages
                .iter()
                .any(|p| p.id == "mitmachen")
                .then(|| self.url(&paths::page("mitmachen"))),
        );
        self.write_page(crate::submit::FORM_DIR, "einreichen.html", &ctx)
    }
}
