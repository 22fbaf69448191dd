//! The map of Germany (`karte/`): an SVG made at build time from the theme's outline of the
//! 16 Länder (`assets/germany.svg`, CC BY 4.0 MapSVG), each Land coloured by its number of
//! examples and linking to its filter page, municipalities with coordinates as points.

use crate::markdown::escape_inline as esc;
use crate::Error;
use std::collections::BTreeMap;

/// Width and height of the outline's viewBox (`0 0 586 793`).
pub const VIEW_W: f64 = 586.0;
pub const VIEW_H: f64 = 793.0;

/// One Land of the outline: its id (the `bundesland` vocabulary id), the original path data and
/// the absolute polygon rings (for point-in-polygon checks).
#[derive(Debug, Clone)]
pub struct LandShape {
    pub id: String,
    pub d: String,
    pub rings: Vec<Vec<(f64, f64)>>,
}

/// Read an attribute value (`name="…"`) from the text of one start tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let mut rest = tag;
    loop {
        let pos = rest.find(name)?;
        let before = rest[..pos].chars().last();
        let after = &rest[pos + name.len()..];
        let after_trim = after.trim_start();
        if before.is_some_and(char::is_whitespace) && after_trim.starts_with('=') {
            let v = after_trim[1..].trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = v[1..].find(quote)?;
                return Some(&v[1..1 + end]);
            }
            return None;
        }
        rest = after;
    }
}

/// Parse the outline: every `<path id="…" d="…">`.
pub fn parse_outline(svg: &str) -> Result<Vec<LandShape>, Error> {
    let mut shapes = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<path") {
        let after = &rest[start..];
        let end = after.find('>').unwrap_or(after.len());
        let tag = &after[..end];
        if let (Some(id), Some(d)) = (attr(tag, "id"), attr(tag, "d")) {
            let rings = parse_path(id, d)?;
            shapes.push(LandShape {
                id: id.to_string(),
                d: d.split_whitespace().collect::<Vec<_>>().join(" "),
                rings,
            });
        }
        rest = &after[end..];
    }
    shapes.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(shapes)
}

/// Parse SVG path data made of move/line/close commands (absolute or relative) into rings.
pub fn parse_path(id: &str, d: &str) -> Result<Vec<Vec<(f64, f64)>>, Error> {
    let bad = |near: &str| Error::MapPathData {
        id: id.to_string(),
        near: near.chars().take(20).collect(),
    };
    // Tokenise into commands and numbers.
    let mut tokens: Vec<Result<char, f64>> = Vec::new();
    let bytes = d.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if c.is_ascii_alphabetic() && c != 'e' && c != 'E' {
            tokens.push(Ok(c));
            i += 1;
        } else if c.is_ascii_digit() || c == '-' || c == '.' || c == '+' {
            let start = i;
            i += 1;
            while i < bytes.len() {
                let n = bytes[i] as char;
                let prev = bytes[i - 1] as char;
                if n.is_ascii_digit()
                    || n == '.'
                    || n == 'e'
                    || n == 'E'
                    || ((n == '-' || n == '+') && (prev == 'e' || prev == 'E'))
                {
                    i += 1;
                } else {
                    break;
                }
            }
            let num: f64 = d[start..i].parse().map_err(|_| bad(&d[start..]))?;
            tokens.push(Err(num));
        } else {
            i += 1;
        }
    }
    let mut rings = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let (mut x, mut y) = (0.0, 0.0);
    let (mut sx, mut sy) = (0.0, 0.0);
    let mut cmd = ' ';
    let mut t = 0;
    while t < tokens.len() {
        match tokens[t] {
            Ok(c) => {
                cmd = c;
                t += 1;
                if c == 'z' || c == 'Z' {
                    if !current.is_empty() {
                        rings.push(std::mem::take(&mut current));
                    }
                    x = sx;
                    y = sy;
                }
                continue;
            }
            Err(first) => {
                let next = |k: usize| -> Result<f64, Error> {
                    match tokens.get(k) {
                        Some(Err(n)) => Ok(*n),
                        _ => Err(bad(&format!("{cmd} {first}"))),
                    }
                };
                match cmd {
                    'm' | 'M' | 'l' | 'L' => {
                        let second = next(t + 1)?;
                        t += 2;
                        if cmd.is_ascii_lowercase() {
                            x += first;
                            y += second;
                        } else {
                            x = first;
                            y = second;
                        }
                        if cmd == 'm' || cmd == 'M' {
                            if !current.is_empty() {
                                rings.push(std::mem::take(&mut current));
                            }
                            sx = x;
                            sy = y;
                            // Further pairs after a move are line-tos.
                            cmd = if cmd == 'm' { 'l' } else { 'L' };
                        }
                        current.push((x, y));
                    }
                    'h' | 'H' | 'v' | 'V' => {
                        t += 1;
                        match cmd {
                            'h' => x += first,
                            'H' => x = first,
                            'v' => y += first,
                            _ => y = first,
                        }
                        current.push((x, y));
                    }
                    _ => return Err(bad(&format!("{cmd} {first}"))),
                }
            }
        }
    }
    if !current.is_empty() {
        rings.push(current);
    }
    Ok(rings)
}

/// Even-odd point-in-polygon test over all rings (holes and islands included).
pub fn contains(rings: &[Vec<(f64, f64)>], (px, py): (f64, f64)) -> bool {
    let mut inside = false;
    for ring in rings {
        let n = ring.len();
        for i in 0..n {
            let (x1, y1) = ring[i];
            let (x2, y2) = ring[(i + 1) % n];
            if (y1 > py) != (y2 > py) && px < (x2 - x1) * (py - y1) / (y2 - y1) + x1 {
                inside = !inside;
            }
        }
    }
    inside
}

// Calibration: the outline is a Mercator projection whose bounding box is Germany's extreme
// points (west: Selfkant 5.866° E at x 0.29; east: Neißeaue 15.042° E at x 585.24; north: List
// auf Sylt 55.058° N at y 0.28; south: Haldenwanger Eck 47.270° N at y 792.28). Checked by the
// tests with the capitals of all 16 Länder.
/// (coordinate in degrees, position in the viewBox) of each extreme point.
const WEST: (f64, f64) = (5.866, 0.29);
const EAST: (f64, f64) = (15.042, 585.24);
const NORTH: (f64, f64) = (55.058, 0.28);
const SOUTH: (f64, f64) = (47.270, 792.28);

fn mercator(lat: f64) -> f64 {
    (std::f64::consts::FRAC_PI_4 + lat.to_radians() / 2.0)
        .tan()
        .ln()
}

/// Project WGS 84 latitude/longitude into the outline's viewBox.
pub fn project(lat: f64, lon: f64) -> (f64, f64) {
    let (x0, x1) = (WEST.1, EAST.1);
    let x = x0 + (lon - WEST.0) / (EAST.0 - WEST.0) * (x1 - x0);
    let (north, south) = (mercator(NORTH.0), mercator(SOUTH.0));
    let (y0, y1) = (NORTH.1, SOUTH.1);
    let y = y0 + (north - mercator(lat)) / (north - south) * (y1 - y0);
    (x, y)
}

/// Sequential palette (light to dark blue) with its bucket bounds; white-ish for zero.
/// Every fill is distinguishable from its neighbours; counts are also in titles and the table.
pub const PALETTE: &[(usize, &str)] = &[
    (0, "#f2f2f2"),
    (1, "#deebf7"),
    (2, "#9ecae1"),
    (5, "#4292c6"),
    (10, "#2171b5"),
    (20, "#08306b"),
];

/// Fill colour for a count.
pub fn fill_for(count: usize) -> &'static str {
    PALETTE
        .iter()
        .rev()
        .find(|(min, _)| count >= *min)
        .map(|(_, c)| *c)
        .unwrap_or(PALETTE[0].1)
}

/// Legend entries: (label, colour), e.g. ("5–9", "#4292c6"). `open_end` labels the last,
/// open-ended class, with `{min}` for its lower bound (the theme's `karte_legende_ab`).
pub fn legend(open_end: &str) -> Vec<(String, &'static str)> {
    PALETTE
        .iter()
        .enumerate()
        .map(|(i, (min, colour))| {
            let label = match PALETTE.get(i + 1) {
                Some((next, _)) if next - 1 == *min => min.to_string(),
                Some((next, _)) => format!("{min}–{}", next - 1),
                None => open_end.replace("{min}", &min.to_string()),
            };
            (label, *colour)
        })
        .collect()
}

/// A Land as drawn on the map.
#[derive(Debug, Clone)]
pub struct LandView {
    pub id: String,
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// A point (one municipality) as drawn on the map.
#[derive(Debug, Clone)]
pub struct PointView {
    pub lat: f64,
    pub lon: f64,
    pub title: String,
    pub url: String,
    pub count: usize,
}

/// The map as inline SVG markup. Every text is escaped here; the result is safe to embed.
pub fn render_svg(
    shapes: &[LandShape],
    lands: &[LandView],
    points: &[PointView],
    title: &str,
    desc: &str,
) -> Result<String, Error> {
    let by_id: BTreeMap<&str, &LandShape> = shapes.iter().map(|s| (s.id.as_str(), s)).collect();
    let mut svg = format!(
        "<svg class=\"map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {VIEW_W} {VIEW_H}\" \
         aria-labelledby=\"karte-svg-titel karte-svg-desc\">\n<title id=\"karte-svg-titel\">{}</title>\n\
         <desc id=\"karte-svg-desc\">{}</desc>\n<g class=\"lands\">\n",
        esc(title),
        esc(desc)
    );
    for land in lands {
        let shape = by_id
            .get(land.id.as_str())
            .ok_or_else(|| Error::MapMissingLand(land.id.clone()))?;
        svg.push_str(&format!(
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><path id=\"land-{}\" class=\"land\" fill=\"{}\" d=\"{}\"/></a>\n",
            esc(&land.url),
            esc(&land.title),
            esc(&land.title),
            esc(&land.id),
            fill_for(land.count),
            esc(&shape.d),
        ));
    }
    svg.push_str("</g>\n<g class=\"points\">\n");
    for p in points {
        let (x, y) = project(p.lat, p.lon);
        let r = 3.5 + 1.5 * (p.count as f64).sqrt();
        svg.push_str(&format!(
            "<a href=\"{}\" aria-label=\"{}\"><title>{}</title><circle class=\"point\" cx=\"{x:.1}\" cy=\"{y:.1}\" r=\"{r:.1}\"/></a>\n",
            esc(&p.url),
            esc(&p.title),
            esc(&p.title),
        ));
    }
    svg.push_str("</g>\n</svg>\n");
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline() -> Vec<LandShape> {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../themes/default/assets/germany.svg"
        );
        parse_outline(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    fn outline_has_sixteen_lands() {
        let shapes = outline();
        assert_eq!(shapes.len(), 16);
        for s in &shapes {
            for ring in &s.rings {
                for &(x, y) in ring {
                    assert!((-1.0..=VIEW_W + 1.0).contains(&x), "{} x {x}", s.id);
                    assert!((-1.0..=VIEW_H + 1.0).contains(&y), "{} y {y}", s.id);
                }
            }
        }
    }

    #[test]
    fn capitals_land_in_their_land() {
        let shapes = outline();
        let cities = [
            ("Stuttgart", 48.775, 9.182, "bw"),
            ("München", 48.137, 11.575, "by"),
            ("Berlin", 52.52, 13.405, "be"),
            ("Potsdam", 52.391, 13.064, "bb"),
            ("Bremen", 53.079, 8.801, "hb"),
            ("Hamburg", 53.551, 9.993, "hh"),
            ("Wiesbaden", 50.082, 8.24, "he"),
            ("Hannover", 52.375, 9.732, "ni"),
            ("Schwerin", 53.629, 11.415, "mv"),
            ("Düsseldorf", 51.227, 6.773, "nw"),
            ("Mainz", 49.993, 8.247, "rp"),
            ("Saarbrücken", 49.234, 6.997, "sl"),
            ("Dresden", 51.05, 13.737, "sn"),
            ("Magdeburg", 52.12, 11.627, "st"),
            ("Kiel", 54.323, 10.123, "sh"),
            ("Erfurt", 50.978, 11.029, "th"),
            ("Aachen", 50.776, 6.084, "nw"),
            ("Görlitz", 51.15, 14.99, "sn"),
            ("Passau", 48.57, 13.43, "by"),
            ("Flensburg", 54.78, 9.43, "sh"),
            ("Freiburg", 47.999, 7.842, "bw"),
            ("Bremerhaven", 53.54, 8.58, "hb"),
        ];
        for (name, lat, lon, land) in cities {
            let shape = shapes.iter().find(|s| s.id == land).unwrap();
            let p = project(lat, lon);
            assert!(contains(&shape.rings, p), "{name} at {p:?} not in {land}");
        }
    }

    #[test]
    fn palette_buckets() {
        assert_eq!(fill_for(0), "#f2f2f2");
        assert_eq!(fill_for(1), "#deebf7");
        assert_eq!(fill_for(4), "#9ecae1");
        assert_eq!(fill_for(25), "#08306b");
        assert_eq!(legend("ab {min}")[1].0, "1");
        assert_eq!(legend("ab {min}")[2].0, "2–4");
        assert_eq!(legend("ab {min}")[5].0, "ab 20");
        assert_eq!(legend("{min} und mehr")[5].0, "20 und mehr");
    }

    #[test]
    fn svg_escapes_titles() {
        let shapes = outline();
        let lands = vec![LandView {
            id: "be".into(),
            title: "Berlin <script>".into(),
            url: "/filter/bundesland/be/".into(),
            count: 3,
        }];
        let svg = render_svg(&shapes, &lands, &[], "T&", "D").unwrap();
        assert!(svg.contains("Berlin &lt;script&gt;"));
        assert!(svg.contains("T&amp;"));
    }
}
