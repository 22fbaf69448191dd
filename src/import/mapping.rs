//! Mapping one CSV row to a draft example.

use super::*;

/// A row turned into an example plus everything the editor must know about it.
pub(super) struct Mapped {
    pub(super) id: String,
    pub(super) pstw: String,
    pub(super) example: Example,
    /// Comment lines to put above top-level keys of the front matter.
    pub(super) comments: BTreeMap<&'static str, Vec<String>>,
    pub(super) name: String,
    pub(super) description: String,
    /// Further PSTW facts for the editor (label, value).
    pub(super) facts: Vec<(&'static str, String)>,
    pub(super) todos: Vec<String>,
    pub(super) unmapped: Vec<Unmapped>,
}

impl Mapped {
    pub(super) fn comment(&mut self, key: &'static str, text: impl Into<String>) {
        self.comments.entry(key).or_default().push(text.into());
    }

    pub(super) fn unmapped(
        &mut self,
        line: u64,
        column: &str,
        value: &str,
        action: impl Into<String>,
    ) {
        self.unmapped.push(Unmapped {
            pstw: self.pstw.clone(),
            line,
            column: column.to_string(),
            value: value.to_string(),
            action: action.into(),
        });
    }
}

pub(super) fn map_row(row: &Row<'_>, pstw: &str, site: &Site, opts: &PstwOptions) -> Mapped {
    let name = collapse_ws(row.get(COL_NAME));
    let description = row
        .get(COL_DESCRIPTION)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    let mut m = Mapped {
        id: String::new(),
        pstw: pstw.to_string(),
        example: Example {
            titel: String::new(),
            kurzbeschreibung: String::new(),
            kommunen: Vec::new(),
            bundesland: String::new(),
            verwaltungsebene: String::new(),
            handlungsfeld: String::new(),
            handlungsfelder_weitere: Vec::new(),
            status: String::new(),
            status_grund: None,
            ki_technik: Vec::new(),
            quellen: Vec::new(),
            erfasst_am: opts.date.clone(),
            gemeindetyp: None,
            laendlichkeit: None,
            einwohner: None,
            anwendungstyp: Vec::new(),
            interaktion: Vec::new(),
            entscheidungsrolle: None,
            zeitraum: None,
            motivation: Vec::new(),
            motivation_erlaeuterung: None,
            finanzierung: Vec::new(),
            foerderprogramm: None,
            kosten: None,
            umsetzung: None,
            anbieter: None,
            open_source: None,
            personenbezogene_daten: None,
            ki_verordnung: None,
            beteiligung_beschaeftigte: None,
            beteiligung_buergerschaft: None,
            personalrat: None,
            stellenwirkung: None,
            evidenzgrad: None,
            uebertragbarkeit: None,
            sdgs: Vec::new(),
            zielgruppen: Vec::new(),
            kontakt: None,
            szenarien: Vec::new(),
            verwandte_beispiele: Vec::new(),
            fruehere_ids: Vec::new(),
            externe_ids: BTreeMap::from([("pstw".to_string(), pstw.to_string())]),
            redaktionsstatus: Some("eingereicht".into()),
            zuletzt_geprueft: None,
            lizenz: Some("CC-BY-4.0".into()),
            tags: Vec::new(),
            weitere: BTreeMap::new(),
        },
        comments: BTreeMap::new(),
        name: name.clone(),
        description: description.trim().to_string(),
        facts: Vec::new(),
        todos: Vec::new(),
        unmapped: Vec::new(),
    };
    let line = row.line;

    // Title and summary: English originals, to be translated.
    let title_src = if name.is_empty() {
        m.unmapped(line, COL_NAME, "", format!("Titel-Platzhalter „{pstw}“"));
        pstw.to_string()
    } else {
        name.clone()
    };
    m.example.titel = truncate_words(&title_src, crate::validate::MAX_TITLE_CHARS);
    m.comment(
        "titel",
        "TODO: auf Deutsch übersetzen (englischer Name aus PSTW)",
    );
    let summary_src = if m.description.is_empty() {
        m.unmapped(
            line,
            COL_DESCRIPTION,
            "",
            "Kurzbeschreibung aus dem Namen; bitte schreiben",
        );
        title_src.clone()
    } else {
        collapse_ws(&m.description)
    };
    m.example.kurzbeschreibung = truncate_summary(&summary_src, crate::validate::MAX_SUMMARY_CHARS);
    m.comment(
        "kurzbeschreibung",
        "TODO: auf Deutsch übersetzen und in einfacher Sprache zusammenfassen (englische PSTW-Beschreibung, gekürzt)",
    );
    m.todos
        .push("Titel und Kurzbeschreibung auf Deutsch schreiben".into());

    // Organisations → kommunen, verwaltungsebene; place names also help with the Bundesland.
    let org_raw = collapse_ws(row.get(COL_ORG));
    let category = collapse_ws(row.get(COL_ORG_CATEGORY));
    let orgs = parse_organisations(&org_raw);
    map_kommunen(&mut m, line, &org_raw, &orgs);
    map_verwaltungsebene(&mut m, line, &org_raw, &category, &orgs);
    map_bundesland(
        &mut m,
        line,
        row.get(COL_NUTS),
        &org_raw,
        &name,
        &orgs,
        site,
    );

    map_handlungsfeld(&mut m, row, site);
    map_status(&mut m, line, row.get(COL_STATUS), row.get(COL_END));
    map_zeitraum(&mut m, line, row.get(COL_START), row.get(COL_END));
    map_ki_technik(&mut m, row, site);
    map_quellen(
        &mut m,
        line,
        row.get(COL_WEBSITE),
        row.get(COL_SOURCE),
        &title_src,
        opts,
    );
    map_interaktion(&mut m, line, row.get(COL_INTERACTION), site);

    m.comment(
        "externe_ids",
        "Übernommen aus Public Sector Tech Watch (Europäische Kommission, JRC), CC BY 4.0",
    );
    m.comment(
        "redaktionsstatus",
        "Entwurf aus `koki import pstw`: erst nach redaktioneller Prüfung auf redaktionell_geprueft setzen",
    );

    for (label, col) in [
        ("Responsible organisation", COL_ORG),
        ("Responsible organisation category", COL_ORG_CATEGORY),
        ("COFOG", COL_COFOG1),
        ("COFOG II", COL_COFOG2),
        ("Status", COL_STATUS),
        ("NUTS 2021", COL_NUTS),
        ("AI classification", COL_AI_MAIN),
        ("AI keywords", COL_AI_KEYWORDS),
        ("Interaction", COL_INTERACTION),
        ("Date updated", COL_DATE_UPDATED),
    ] {
        let v = collapse_ws(row.get(col));
        if !v.is_empty() {
            m.facts.push((label, v));
        }
    }

    m.id = make_id(&m.example.kommunen, &orgs, &org_raw, &name, pstw);
    m
}
