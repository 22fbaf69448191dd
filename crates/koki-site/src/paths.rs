//! Site-relative paths of the generated pages (each ending in `/`), defined once. Rendering,
//! the browse pages, the exports (feed, JSON-LD, sitemap) and the search records all link
//! with these, so this module depends on nothing else of the crate.

pub fn example(id: &str) -> String {
    format!("beispiele/{id}/")
}
pub fn scenario(id: &str) -> String {
    format!("szenarien/{id}/")
}
pub fn field(id: &str) -> String {
    format!("handlungsfelder/{id}/")
}
pub fn page(id: &str) -> String {
    format!("seiten/{id}/")
}
pub fn filter(facet: &str, value: &str) -> String {
    format!("filter/{facet}/{value}/")
}
pub fn filter_overview(facet: &str) -> String {
    format!("filter/{facet}/")
}

/// The examples overview sorted by newest (also the feed's HTML alternate).
pub const SORT_NEWEST: &str = "beispiele/neueste/";
