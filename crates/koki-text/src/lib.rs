//! Text folding, slugs and sort keys: the one definition koki uses wherever text is compared,
//! turned into an id or an anchor, or sorted.
//!
//! - [`fold`]: lower-case, German umlauts and ß spelled out (ä→ae, ß→ss), other Latin
//!   diacritics stripped (é→e). The search index, the place lookup and did-you-mean hints
//!   compare folded text.
//! - [`slugify`]: [`fold`], then every run of other characters becomes one hyphen. Entry ids,
//!   heading anchors, scaffold and import file names are slugs.
//! - [`cut_at_hyphen`]: a slug shortened to a length limit at a word boundary.
//! - [`sort_key`]: the German dictionary order (DIN 5007, variant 1: ä sorts as a), which is
//!   deliberately *not* [`fold`] (that would sort "Ärger" after "Adler" as "aerger").
//!
//! This crate has no dependencies and no I/O; the model, the site and the browser modules use it.

/// Lower-cases and folds German and other Latin special characters to ASCII.
pub fn fold(word: &str) -> String {
    let mut out = String::with_capacity(word.len() + 2);
    fold_into(word, &mut out);
    out
}

/// [`fold`] appending to a buffer (no allocation per word when the buffer is reused).
pub fn fold_into(word: &str, out: &mut String) {
    for c in word.chars().flat_map(char::to_lowercase) {
        match c {
            'ä' | 'æ' => out.push_str("ae"),
            'ö' | 'œ' => out.push_str("oe"),
            'ü' => out.push_str("ue"),
            'ß' => out.push_str("ss"),
            'à' | 'á' | 'â' | 'ã' | 'å' | 'ā' | 'ă' | 'ą' => out.push('a'),
            'ç' | 'ć' | 'č' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => out.push('i'),
            'ł' | 'ľ' | 'ĺ' => out.push('l'),
            'ñ' | 'ń' | 'ň' => out.push('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ø' | 'ō' | 'ő' => out.push('o'),
            'ř' | 'ŕ' => out.push('r'),
            'ś' | 'š' | 'ş' => out.push('s'),
            'ť' | 'ţ' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ū' | 'ů' | 'ű' | 'ų' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            c => out.push(c),
        }
    }
}

/// Whether `id` is a valid slug: lowercase ASCII letters, digits and single inner hyphens.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && !id.starts_with('-')
        && !id.ends_with('-')
        && !id.contains("--")
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `text` as a slug: [`fold`]ed, every run of anything but ASCII letters and digits one
/// hyphen, no hyphen at either end. Empty when `text` holds no letter or digit.
pub fn slugify(text: &str) -> String {
    let folded = fold(text);
    let mut out = String::with_capacity(folded.len());
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// `slug` cut to at most `max` bytes at a hyphen; a first word longer than `max` is cut inside.
pub fn cut_at_hyphen(slug: &str, max: usize) -> String {
    if slug.len() <= max {
        return slug.to_string();
    }
    let mut out = String::new();
    for part in slug.split('-') {
        let extra = part.len() + usize::from(!out.is_empty());
        if out.len() + extra > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(part);
    }
    if out.is_empty() {
        // Slugs are ASCII, so any byte index is a character boundary.
        slug[..max.min(slug.len())]
            .trim_end_matches('-')
            .to_string()
    } else {
        out
    }
}

/// Sort key for German titles and names: case-insensitive, umlauts as their base letters
/// (DIN 5007 variant 1, the order of dictionaries and of most municipal lists).
pub fn sort_key(title: &str) -> String {
    title
        .to_lowercase()
        .replace('ä', "a")
        .replace('ö', "o")
        .replace('ü', "u")
        .replace('ß', "ss")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_spells_out_umlauts_and_strips_accents() {
        assert_eq!(fold("Größe Ärger Café"), "groesse aerger cafe");
    }

    #[test]
    fn slugs_are_valid_ids() {
        assert_eq!(
            slugify("KI im Bürgerbüro: Öffnungszeiten!"),
            "ki-im-buergerbuero-oeffnungszeiten"
        );
        assert_eq!(slugify("  --Café  Łódź-- "), "cafe-lodz");
        assert_eq!(slugify("§§"), "");
        for text in ["Ärger", "a--b", "-x-", "Straße 12", "ÉCOLE", "日本"] {
            let s = slugify(text);
            assert!(s.is_empty() || is_slug(&s), "{text} → {s}");
        }
    }

    #[test]
    fn cut_keeps_whole_words_within_the_limit() {
        assert_eq!(
            cut_at_hyphen("landkreis-cham-ki-bauantrag", 14),
            "landkreis-cham"
        );
        assert_eq!(cut_at_hyphen("kurz", 10), "kurz");
        assert_eq!(cut_at_hyphen("donaudampfschifffahrt-ki", 6), "donaud");
        assert_eq!(cut_at_hyphen("ab-cd", 3), "ab");
    }

    #[test]
    fn german_sort_order_puts_umlauts_with_their_base_letter() {
        let mut words = ["Bau", "Ärger", "Adler", "Zoo", "Öl"];
        words.sort_by_key(|w| sort_key(w));
        assert_eq!(words, ["Adler", "Ärger", "Bau", "Öl", "Zoo"]);
    }
}
