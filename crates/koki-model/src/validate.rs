//! Validation of the loaded content: formats, lengths, vocabulary membership and every cross
//! reference. All problems are collected; only a fully valid catalog is turned into a
//! `Catalog` (in the `koki` crate).

use crate::diagnostics::{did_you_mean, one_of, Diagnostic, Diagnostics};
use crate::entry::{Entry, Loaded, Source};
use crate::fields::{vocab_values, Kind, Registry};
use crate::model::{Example, Quelle, Scenario, Vocabularies};
use crate::yaml::{Seg, YamlSource};
use koki_text::is_slug as is_valid_id;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

pub const MAX_TITLE_CHARS: usize = 100;
pub const MAX_SUMMARY_CHARS: usize = 400;

/// Vocabularies of nested example fields and of scenarios (the example fields' vocabularies
/// come from the field registry).
const OTHER_VOCABULARIES: &[&str] = &["rolle", "uebertragbarkeit", "szenariotyp", "aufwand"];

/// Vocabularies the model refers to, in registry order: `vokabular.yaml` must define each.
pub fn required_vocabularies(registry: &Registry) -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    let written = registry.fields().iter().filter(|f| f.is_written());
    for name in written
        .filter_map(|f| f.vocabulary_name())
        .chain(OTHER_VOCABULARIES.iter().copied())
    {
        if !out.contains(&name) {
            out.push(name);
        }
    }
    out
}

/// Ids known across the catalog, for reference checks.
struct Known<'a> {
    vocab: &'a Vocabularies,
    /// The example fields; their vocabulary fields are checked from it.
    registry: Arc<Registry>,
    fields: BTreeSet<&'a str>,
    examples: BTreeSet<&'a str>,
    scenarios: BTreeSet<&'a str>,
    pages: BTreeSet<&'a str>,
    /// Each former id (`fruehere_ids`) with the first example, in file order, that claims it.
    former_ids: BTreeMap<&'a str, &'a str>,
}

/// A checker bound to one file.
struct Check<'a, 'k> {
    src: YamlSource<'a>,
    known: &'k Known<'k>,
    out: &'a mut Diagnostics,
}

/// The kind of entry a reference list names.
#[derive(Clone, Copy)]
enum Target {
    Example,
    Scenario,
}

impl<'a, 'k> Check<'a, 'k> {
    /// The checker of one entry's file.
    fn of(source: &'a Source, known: &'k Known<'k>, out: &'a mut Diagnostics) -> Check<'a, 'k> {
        Check {
            src: source.yaml_source(),
            known,
            out,
        }
    }
}

fn path(parts: &[&str]) -> Vec<Seg> {
    parts.iter().map(|p| Seg::Key((*p).to_string())).collect()
}

fn with_index(mut p: Vec<Seg>, i: usize) -> Vec<Seg> {
    p.push(Seg::Index(i));
    p
}

fn with_key(mut p: Vec<Seg>, k: &str) -> Vec<Seg> {
    p.push(Seg::Key(k.to_string()));
    p
}

/// `YYYY-MM-DD` that is a real calendar date.
pub fn is_date(s: &str) -> bool {
    s.len() == 10 && chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()
}

/// Absolute http(s) URL with a host.
pub fn is_http_url(s: &str) -> bool {
    match url::Url::parse(s) {
        Ok(u) => {
            (u.scheme() == "http" || u.scheme() == "https")
                && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

impl<'a, 'k> Check<'a, 'k> {
    fn error(&mut self, p: &[Seg], at_value: bool, message: String) -> &mut Diagnostic {
        let d = self.src.error_at(p, at_value, message);
        self.out.push(d);
        self.out.items.last_mut().expect("just pushed")
    }

    fn text(&mut self, p: Vec<Seg>, value: &str, max: usize) {
        let chars = value.chars().count();
        if value.trim().is_empty() {
            self.error(&p, true, "darf nicht leer sein".into()).expected = Some("ein Text".into());
        } else if chars > max {
            let d = self.error(&p, true, format!("ist zu lang ({chars} Zeichen)"));
            d.expected = Some(format!("höchstens {max} Zeichen"));
            d.hint = Some(format!("kürzen Sie um {} Zeichen", chars - max));
        }
    }

    fn vocab(&mut self, p: Vec<Seg>, value: &str, vocabulary: &str) {
        let Some(entries) = self.known.vocab.get(vocabulary) else {
            return;
        };
        if entries.contains_key(value) {
            return;
        }
        let ids: Vec<&str> = entries.keys().map(String::as_str).collect();
        // A label instead of an id is a common mistake: suggest the id.
        let by_label = entries
            .iter()
            .find(|(_, e)| e.label.eq_ignore_ascii_case(value))
            .map(|(id, _)| format!("meinten Sie `{id}`? (Werte sind ids, nicht Beschriftungen)"));
        let hint = by_label.or_else(|| did_you_mean(value, ids.iter().copied()));
        let d = self.error(
            &p,
            true,
            format!("`{value}` ist kein Wert des Vokabulars `{vocabulary}`"),
        );
        d.expected = Some(one_of(value, &ids, "content/vokabular.yaml"));
        d.hint = hint;
    }

    /// Every vocabulary field of the registry: each value must be an id of its vocabulary.
    fn vocabulary_fields(&mut self, m: &Example) {
        let registry = self.known.registry.clone();
        for f in registry.fields() {
            let (many, vocabulary) = match f.kind {
                Kind::Vocab(v) => (false, v),
                Kind::VocabList(v) => (true, v),
                Kind::Derived(_) | Kind::Structured => continue,
            };
            for (i, value) in vocab_values(m, f.key).into_iter().enumerate() {
                let p = if many {
                    with_index(path(&[f.key]), i)
                } else {
                    path(&[f.key])
                };
                self.vocab(p, value, vocabulary);
            }
        }
    }

    fn opt_vocab(&mut self, p: Vec<Seg>, value: &Option<String>, vocabulary: &str) {
        if let Some(v) = value {
            self.vocab(p, v, vocabulary);
        }
    }

    fn reference(&mut self, p: Vec<Seg>, value: &str, kind: &str, set: &BTreeSet<&str>, dir: &str) {
        if set.contains(value) {
            return;
        }
        let hint = did_you_mean(value, set.iter().copied())
            .unwrap_or_else(|| format!("die Datei `content/{dir}/{value}.md` existiert nicht"));
        let d = self.error(&p, true, format!("{kind} `{value}` gibt es nicht"));
        d.expected = Some(format!(
            "die Kennung (Dateiname ohne Endung) einer Datei in `content/{dir}/`"
        ));
        d.hint = Some(hint);
    }

    /// Each id of the list `key` names an existing entry of kind `to`; `own` (the entry's own
    /// id) may not be among them.
    fn references(&mut self, key: &str, ids: &[String], to: Target, own: Option<&str>) {
        let known = self.known;
        let (kind, set, dir) = match to {
            Target::Example => ("das Beispiel", &known.examples, "beispiele"),
            Target::Scenario => ("das Szenario", &known.scenarios, "szenarien"),
        };
        for (i, id) in ids.iter().enumerate() {
            let p = with_index(path(&[key]), i);
            if Some(id.as_str()) == own {
                self.error(
                    &p,
                    true,
                    "ein Beispiel kann nicht mit sich selbst verwandt sein".into(),
                );
            } else {
                self.reference(p, id, kind, set, dir);
            }
        }
    }

    /// A former id of the example `own`: a valid id that no other example uses now (its
    /// address gets a redirect page) and that no other example claims as its former id.
    fn former_id(&mut self, p: Vec<Seg>, old: &str, own: &str) {
        if old == own {
            self.error(
                &p,
                true,
                format!("`{old}` ist die aktuelle Kennung dieses Beispiels"),
            )
            .hint = Some("tragen Sie hier nur frühere Kennungen ein".into());
        } else if !is_valid_id(old) {
            let d = self.error(&p, true, format!("`{old}` ist keine gültige Kennung"));
            d.expected = Some("Kleinbuchstaben a–z, Ziffern und Bindestriche, wie ein Dateiname in `content/beispiele/`".into());
            d.hint = Some(format!("meinten Sie `{}`?", koki_text::slugify(old)));
        } else if self.known.examples.contains(old) {
            let d = self.error(
                &p,
                true,
                format!("`{old}` ist die Kennung eines bestehenden Beispiels"),
            );
            d.expected = Some("eine Kennung, die kein Beispiel mehr trägt".into());
            d.hint = Some(format!(
                "löschen oder benennen Sie `content/beispiele/{old}.md` um, bevor seine Adresse hierher weiterleitet"
            ));
        } else if let Some(other) = self.known.former_ids.get(old).filter(|o| **o != own) {
            let d = self.error(
                &p,
                true,
                format!("die frühere Kennung `{old}` beansprucht schon das Beispiel `{other}`"),
            );
            d.hint = Some("eine alte Adresse kann nur zu einem Beispiel weiterleiten".into());
        }
    }

    /// The primary action field and the further ones (examples and scenarios alike).
    fn action_fields(&mut self, primary: &str, further: &[String]) {
        let fields = &self.known.fields;
        self.reference(
            path(&["handlungsfeld"]),
            primary,
            "das Handlungsfeld",
            fields,
            "handlungsfelder",
        );
        for (i, f) in further.iter().enumerate() {
            self.reference(
                with_index(path(&["handlungsfelder_weitere"]), i),
                f,
                "das Handlungsfeld",
                fields,
                "handlungsfelder",
            );
        }
    }

    fn date(&mut self, p: Vec<Seg>, value: &str) {
        if !is_date(value) {
            let d = self.error(&p, true, format!("`{value}` ist kein gültiges Datum"));
            d.expected = Some("ein Datum im Format JJJJ-MM-TT, z. B. `2026-03-04`".into());
        }
    }

    fn url(&mut self, p: Vec<Seg>, value: &str) {
        if !is_http_url(value) {
            let d = self.error(&p, true, format!("`{value}` ist keine gültige Webadresse"));
            d.expected = Some("eine vollständige Adresse mit `https://` oder `http://`".into());
            if !value.contains("://") && value.contains('.') {
                d.hint = Some(format!("meinten Sie `https://{value}`?"));
            }
        }
    }

    fn sources(&mut self, base: &str, quellen: &[Quelle], required: bool) {
        if required && quellen.is_empty() {
            self.error(
                &path(&[base]),
                false,
                "mindestens eine Quelle ist nötig".into(),
            )
            .hint =
                Some("ergänzen Sie `- titel: …`, `url: https://…`, `abgerufen: JJJJ-MM-TT`".into());
        }
        for (i, q) in quellen.iter().enumerate() {
            let p = with_index(path(&[base]), i);
            self.text(with_key(p.clone(), "titel"), &q.titel, 300);
            self.url(with_key(p.clone(), "url"), &q.url);
            if let Some(d) = &q.abgerufen {
                self.date(with_key(p, "abgerufen"), d);
            }
        }
    }
}

fn check_example(e: &Entry<Example>, known: &Known<'_>, out: &mut Diagnostics) {
    let m = &e.meta;
    let mut c = Check::of(&e.source, known, out);
    c.text(path(&["titel"]), &m.titel, MAX_TITLE_CHARS);
    c.text(
        path(&["kurzbeschreibung"]),
        &m.kurzbeschreibung,
        MAX_SUMMARY_CHARS,
    );
    if m.kommunen.is_empty() {
        c.error(
            &path(&["kommunen"]),
            false,
            "mindestens eine Kommune ist nötig".into(),
        )
        .hint = Some("ergänzen Sie `- name: …` mit `rolle: federfuehrend`".into());
    }
    for (i, k) in m.kommunen.iter().enumerate() {
        let p = with_index(path(&["kommunen"]), i);
        c.text(with_key(p.clone(), "name"), &k.name, 150);
        if let Some(ags) = &k.ags {
            if !(ags.len() == 8 || ags.len() == 5) || !ags.bytes().all(|b| b.is_ascii_digit()) {
                let d = c.error(
                    &with_key(p.clone(), "ags"),
                    true,
                    format!("`{ags}` ist kein gültiger Gemeindeschlüssel"),
                );
                d.expected = Some("8 Ziffern (Amtlicher Gemeindeschlüssel) oder 5 Ziffern (Kreisschlüssel), in Anführungszeichen".into());
                if ags.len() == 7 && ags.bytes().all(|b| b.is_ascii_digit()) {
                    d.hint = Some(format!("fehlt die führende Null? `\"0{ags}\"`"));
                }
            } else if let Err(err) = crate::places::kreis_of(ags) {
                let d = c.error(&with_key(p.clone(), "ags"), true, err.to_string());
                d.expected = Some(
                    "ein Schlüssel, dessen erste fünf Ziffern ein Kreis oder eine kreisfreie Stadt sind"
                        .into(),
                );
                d.hint = Some(match crate::places::suggestion_for(&k.name) {
                    Some(s) => format!("meinten Sie {s}?"),
                    None => {
                        "den Schlüssel nennt das Gemeindeverzeichnis des Statistischen Bundesamts"
                            .into()
                    }
                });
            }
        }
        c.opt_vocab(with_key(p.clone(), "rolle"), &k.rolle, "rolle");
        if let Some(pt) = k.koordinaten {
            if !(47.0..=55.2).contains(&pt.lat) || !(5.8..=15.1).contains(&pt.lon) {
                let d = c.error(
                    &with_key(p, "koordinaten"),
                    false,
                    format!(
                        "Koordinaten {}, {} liegen nicht in Deutschland",
                        pt.lat, pt.lon
                    ),
                );
                d.expected =
                    Some("lat zwischen 47 und 55,2; lon zwischen 5,8 und 15,1 (WGS 84)".into());
                d.hint = Some("sind `lat` und `lon` vertauscht?".into());
            }
        }
    }
    c.action_fields(&m.handlungsfeld, &m.handlungsfelder_weitere);
    if m.status == "eingestellt"
        && m.status_grund
            .as_deref()
            .is_none_or(|s| s.trim().is_empty())
    {
        c.error(
            &path(&["status"]),
            true,
            "bei `status: eingestellt` fehlt `status_grund`".into(),
        )
        .hint =
            Some("erläutern Sie in `status_grund: …`, warum das Vorhaben eingestellt wurde".into());
    }
    if m.ki_technik.is_empty() {
        c.error(
            &path(&["ki_technik"]),
            false,
            "mindestens eine KI-Technik ist nötig".into(),
        );
    }
    c.vocabulary_fields(m);
    c.sources("quellen", &m.quellen, true);
    c.date(path(&["erfasst_am"]), &m.erfasst_am);
    if let Some(d) = &m.zuletzt_geprueft {
        c.date(path(&["zuletzt_geprueft"]), d);
    }
    if let Some(z) = m.zeitraum {
        if !(1950..=2100).contains(&z.start) {
            c.error(
                &path(&["zeitraum", "start"]),
                true,
                format!("Startjahr {} ist unplausibel", z.start),
            )
            .expected = Some("eine Jahreszahl zwischen 1950 und 2100".into());
        }
        if let Some(ende) = z.ende {
            if ende < z.start {
                c.error(
                    &path(&["zeitraum", "ende"]),
                    true,
                    format!("Endjahr {ende} liegt vor dem Startjahr {}", z.start),
                )
                .expected = Some("ein Jahr ≥ `start`".into());
            }
        }
    }
    if let Some(os) = &m.open_source {
        if let Some(u) = &os.code_url {
            c.url(path(&["open_source", "code_url"]), u);
        }
    }
    if let Some(u) = &m.uebertragbarkeit {
        c.opt_vocab(
            path(&["uebertragbarkeit", "einschaetzung"]),
            &u.einschaetzung,
            "uebertragbarkeit",
        );
    }
    for (i, s) in m.sdgs.iter().enumerate() {
        if !(1..=17).contains(s) {
            c.error(
                &with_index(path(&["sdgs"]), i),
                true,
                format!("SDG {s} gibt es nicht"),
            )
            .expected = Some("Nummern der Nachhaltigkeitsziele von 1 bis 17".into());
        }
    }
    if let Some(k) = &m.kontakt {
        if let Some(mail) = &k.funktionspostfach {
            if !mail.contains('@') || mail.contains(' ') {
                c.error(
                    &path(&["kontakt", "funktionspostfach"]),
                    true,
                    format!("`{mail}` ist keine E-Mail-Adresse"),
                )
                .expected =
                    Some("die Adresse eines Funktionspostfachs, z. B. `ki@stadt.example`".into());
            }
        }
        if let Some(u) = &k.url {
            c.url(path(&["kontakt", "url"]), u);
        }
    }
    c.references("szenarien", &m.szenarien, Target::Scenario, None);
    c.references(
        "verwandte_beispiele",
        &m.verwandte_beispiele,
        Target::Example,
        Some(&e.id),
    );
    for (i, old) in m.fruehere_ids.iter().enumerate() {
        c.former_id(with_index(path(&["fruehere_ids"]), i), old, &e.id);
    }
    c.opt_vocab(
        path(&["redaktionsstatus"]),
        &m.redaktionsstatus,
        "redaktionsstatus",
    );
}

fn check_scenario(e: &Entry<Scenario>, known: &Known<'_>, out: &mut Diagnostics) {
    let m = &e.meta;
    let mut c = Check::of(&e.source, known, out);
    c.text(path(&["titel"]), &m.titel, MAX_TITLE_CHARS);
    c.text(path(&["kurzfassung"]), &m.kurzfassung, MAX_SUMMARY_CHARS);
    c.action_fields(&m.handlungsfeld, &m.handlungsfelder_weitere);
    if !(2000..=2200).contains(&m.zeithorizont) {
        c.error(
            &path(&["zeithorizont"]),
            true,
            format!("Zeithorizont {} ist unplausibel", m.zeithorizont),
        )
        .expected = Some("eine Jahreszahl in der Zukunft, z. B. `2035`".into());
    }
    c.vocab(path(&["szenariotyp"]), &m.szenariotyp, "szenariotyp");
    if let Some(s) = &m.setting {
        c.opt_vocab(
            path(&["setting", "gemeindetyp"]),
            &s.gemeindetyp,
            "gemeindetyp",
        );
        c.opt_vocab(
            path(&["setting", "laendlichkeit"]),
            &s.laendlichkeit,
            "laendlichkeit",
        );
    }
    c.references("vorboten", &m.vorboten, Target::Example, None);
    for (i, h) in m.handlungsoptionen_heute.iter().enumerate() {
        c.vocab(
            with_key(with_index(path(&["handlungsoptionen_heute"]), i), "aufwand"),
            &h.aufwand,
            "aufwand",
        );
    }
    c.sources("quellen", &m.quellen, false);
    c.date(path(&["erstellt_am"]), &m.erstellt_am);
}

fn check_vocabularies(loaded: &Loaded, out: &mut Diagnostics) {
    let Some(v) = &loaded.vocab else { return };
    let src = v.source.yaml_source();
    for name in required_vocabularies(&loaded.registry()) {
        if !v.meta.contains_key(name) {
            out.push(
                src.error_at(&[], false, format!("das Vokabular `{name}` fehlt"))
                    .hint(format!(
                        "ergänzen Sie `{name}:` mit seinen Werten (id: {{ label: … }})"
                    )),
            );
        }
    }
    for (name, entries) in &v.meta {
        for id in entries.keys() {
            if id.is_empty()
                || !id
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
            {
                out.push(
                    src.error_at(
                        &[Seg::Key(name.clone()), Seg::Key(id.clone())],
                        false,
                        format!("ungültige Vokabular-id `{id}`"),
                    )
                    .expected("Kleinbuchstaben a–z, Ziffern und `_`"),
                );
            }
        }
    }
}

fn check_site(loaded: &Loaded, known: &Known<'_>, out: &mut Diagnostics) {
    let Some(site) = &loaded.site else { return };
    let mut c = Check::of(&site.source, known, out);
    c.text(path(&["titel"]), &site.meta.titel, 120);
    c.url(path(&["base_url"]), &site.meta.base_url);
    if let Some(r) = &site.meta.repository {
        c.url(path(&["repository"]), r);
    }
    if let Some(u) = &site.meta.herausgeber.url {
        c.url(path(&["herausgeber", "url"]), u);
    }
    let legal = &site.meta.rechtliches;
    for (key, value) in [
        ("impressum", &legal.impressum),
        ("datenschutz", &legal.datenschutz),
        ("barrierefreiheit", &legal.barrierefreiheit),
    ] {
        if let Some(id) = value {
            c.reference(
                path(&["rechtliches", key]),
                id,
                "die Seite",
                &known.pages,
                "seiten",
            );
        }
    }
    for (i, n) in site.meta.navigation.iter().enumerate() {
        if n.pfad.contains("://") || n.pfad.contains("..") {
            c.error(
                &with_key(with_index(path(&["navigation"]), i), "pfad"),
                true,
                format!("`{}` ist kein Pfad innerhalb der Site", n.pfad),
            )
            .expected = Some("ein Pfad relativ zur Site, z. B. `beispiele/`".into());
        }
    }
}

fn check_fields(loaded: &Loaded, known: &Known<'_>, out: &mut Diagnostics) {
    for f in &loaded.fields {
        let mut c = Check::of(&f.source, known, out);
        c.text(path(&["titel"]), &f.meta.titel, MAX_TITLE_CHARS);
        c.text(path(&["kurz"]), &f.meta.kurz, MAX_SUMMARY_CHARS);
        for (i, code) in f.meta.cofog.iter().enumerate() {
            let ok = code.len() >= 2
                && code
                    .split('.')
                    .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                && code.split('.').count() <= 3;
            if !ok {
                c.error(
                    &with_index(path(&["cofog"]), i),
                    true,
                    format!("`{code}` ist kein COFOG-Code"),
                )
                .expected =
                    Some("ein COFOG-Code wie `04` oder `04.5`, in Anführungszeichen".into());
            }
        }
    }
    for p in &loaded.pages {
        let mut c = Check::of(&p.source, known, out);
        c.text(path(&["titel"]), &p.meta.titel, MAX_TITLE_CHARS);
    }
}

/// Each former id with the first example (in file order) that lists it; claims of examples
/// known from elsewhere ([`Loaded::former_ids_elsewhere`]) come first.
fn former_ids(loaded: &Loaded) -> BTreeMap<&str, &str> {
    let mut owners = BTreeMap::new();
    for (old, owner) in &loaded.former_ids_elsewhere {
        owners.entry(old.as_str()).or_insert(owner.as_str());
    }
    for e in &loaded.examples {
        for old in &e.meta.fruehere_ids {
            owners.entry(old.as_str()).or_insert(e.id.as_str());
        }
    }
    owners
}

/// Check everything in `loaded` that parsing alone cannot catch; append findings to `out`.
pub fn validate(loaded: &Loaded, out: &mut Diagnostics) {
    let empty = Vocabularies::default();
    // Files that failed to parse still exist: count their ids as known, so one broken file does
    // not cause a cascade of "does not exist" errors elsewhere.
    fn ids<'a, T>(
        entries: &'a [Entry<T>],
        loaded: &'a Loaded,
        section: &'a str,
    ) -> BTreeSet<&'a str> {
        entries
            .iter()
            .map(|e| e.id.as_str())
            .chain(loaded.unparsed_ids(section))
            .collect()
    }
    let known = Known {
        vocab: loaded.vocab.as_ref().map(|v| &v.meta).unwrap_or(&empty),
        fields: ids(&loaded.fields, loaded, "handlungsfelder"),
        examples: ids(&loaded.examples, loaded, "beispiele"),
        scenarios: ids(&loaded.scenarios, loaded, "szenarien"),
        pages: ids(&loaded.pages, loaded, "seiten"),
        former_ids: former_ids(loaded),
        registry: loaded.registry(),
    };
    check_vocabularies(loaded, out);
    check_site(loaded, &known, out);
    check_fields(loaded, &known, out);
    for e in &loaded.examples {
        check_example(e, &known, out);
    }
    for s in &loaded.scenarios {
        check_scenario(s, &known, out);
    }
    if loaded.fields.is_empty() {
        out.push(
            Diagnostic::error("content/handlungsfelder", "es gibt kein Handlungsfeld")
                .hint("legen Sie mindestens eine Datei `content/handlungsfelder/<id>.md` an"),
        );
    }
}
