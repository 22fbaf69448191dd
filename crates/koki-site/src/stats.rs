//! Statistics (`statistik/`): horizontal SVG bar charts made at build time. Each bar is a link
//! to its filter page; each chart has a `<title>`/`<desc>` and the page shows the same numbers
//! as a table.

use crate::markdown::escape_inline as esc;

/// One bar: label, count and the page it links to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Bar {
    pub label: String,
    pub count: usize,
    pub url: String,
}

const WIDTH: f64 = 360.0;
const ROW: f64 = 44.0;
const LABEL_Y: f64 = 15.0;
const BAR_Y: f64 = 21.0;
const BAR_H: f64 = 16.0;
/// Room right of the longest bar for the count.
const COUNT_ROOM: f64 = 40.0;

/// A horizontal bar chart: label above each bar, the count right of it. `id` must be unique
/// on the page (used for `aria-labelledby`). All texts are escaped here.
pub fn bar_chart(id: &str, title: &str, desc: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let height = (bars.len() as f64 * ROW).max(ROW);
    let mut svg = format!(
        "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {WIDTH} {height}\" \
         width=\"{WIDTH}\" height=\"{height}\" aria-labelledby=\"{id}-titel {id}-desc\">\n\
         <title id=\"{id}-titel\">{}</title>\n<desc id=\"{id}-desc\">{}</desc>\n",
        esc(title),
        esc(desc)
    );
    for (i, bar) in bars.iter().enumerate() {
        let y = i as f64 * ROW;
        let w = if bar.count == 0 {
            0.0
        } else {
            (bar.count as f64 / max * (WIDTH - COUNT_ROOM)).max(2.0)
        };
        let name = format!("{}: {}", bar.label, bar.count);
        svg.push_str(&format!(
            "<a href=\"{url}\"><title>{name}</title>\
             <rect class=\"hit\" x=\"0\" y=\"{y0:.1}\" width=\"{WIDTH}\" height=\"{ROW}\"/>\
             <text class=\"label\" x=\"0\" y=\"{ly:.1}\">{label}</text>\
             <rect class=\"bar\" x=\"0\" y=\"{by:.1}\" width=\"{w:.1}\" height=\"{BAR_H}\"/>\
             <text class=\"value\" x=\"{vx:.1}\" y=\"{vy:.1}\">{count}</text></a>\n",
            url = esc(&bar.url),
            name = esc(&name),
            y0 = y,
            ly = y + LABEL_Y,
            label = esc(&bar.label),
            by = y + BAR_Y,
            vx = w + 6.0,
            vy = y + BAR_Y + BAR_H - 3.0,
            count = bar.count,
        ));
    }
    svg.push_str("</svg>\n");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chart_has_one_link_per_bar_and_escapes() {
        let bars = vec![
            Bar {
                label: "A & B".into(),
                count: 3,
                url: "/x/?a=1&b=2".into(),
            },
            Bar {
                label: "C".into(),
                count: 0,
                url: "/y/".into(),
            },
        ];
        let svg = bar_chart("c1", "Titel", "Beschreibung", &bars);
        assert_eq!(svg.matches("<a href=").count(), 2);
        assert!(svg.contains("A &amp; B: 3"));
        assert!(svg.contains("href=\"/x/?a=1&amp;b=2\""));
        assert!(svg.contains("width=\"0.0\""));
    }
}
