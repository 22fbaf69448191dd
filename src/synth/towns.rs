//! Synthetic municipalities: names, Länder, keys, coordinates.

use super::*;

#[derive(Clone)]
pub(super) struct Town {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) land: String,
    pub(super) ags: String,
    pub(super) einwohner: u64,
    pub(super) gemeindetyp: &'static str,
    pub(super) laendlichkeit: &'static str,
    pub(super) lat: f64,
    pub(super) lon: f64,
}

/// An 8-digit key whose first five digits are a real Kreis of the Land (so the build can
/// derive Kreis facts), followed by an invented three-digit Gemeinde number.
pub(super) fn synthetic_gemeinde_key(land_key: &str, i: usize, rng: &mut Rng) -> String {
    let kreise: Vec<&str> = crate::places::all()
        .iter()
        .map(|k| k.ags.as_str())
        .filter(|ags| ags.starts_with(land_key))
        .collect();
    let kreis = kreise[rng.below(kreise.len())];
    format!("{kreis}{:03}", (i * 7919 + rng.below(997)) % 1_000)
}

pub(super) fn town(seed: u64, i: usize) -> Town {
    let mut rng = Rng::derive(seed, 1, i as u64);
    let prefix = *rng.pick(TOWN_PREFIX);
    let root = *rng.pick(TOWN_ROOT);
    let suffix = *rng.pick(TOWN_SUFFIX);
    let root = if prefix.is_empty() || prefix.ends_with(' ') {
        root.to_string()
    } else {
        root.to_lowercase()
    };
    let mut name = format!("{prefix}{root}{suffix}");
    if rng.chance(0.12) {
        name = format!("{name} {}", rng.pick(RIVERS));
    }
    // Every Land occurs (the first 16 towns); city states are rare, the rest is uniform.
    let (land, key) = if i < LAND_KEYS.len() {
        LAND_KEYS[i]
    } else {
        loop {
            let (l, k) = *rng.pick(LAND_KEYS);
            if !matches!(l, "be" | "hh" | "hb") || rng.chance(0.15) {
                break (l, k);
            }
        }
    };
    let ags = synthetic_gemeinde_key(key, i, &mut rng);
    // Log-uniform population: many small municipalities, few big cities.
    let einwohner = (800f64 * (1_500_000f64 / 800f64).powf(rng.unit())) as u64;
    let gemeindetyp = match einwohner {
        n if n >= 100_000 => "grossstadt",
        n if n >= 20_000 => "mittelstadt",
        n if n >= 5_000 => "kleinstadt",
        _ => "landgemeinde",
    };
    let laendlichkeit = match gemeindetyp {
        "grossstadt" => "nicht_laendlich",
        "mittelstadt" => *rng.pick(&["nicht_laendlich", "eher_laendlich"]),
        _ => *rng.pick(&["eher_laendlich", "sehr_laendlich"]),
    };
    Town {
        slug: slugify(&name),
        name,
        land: land.to_string(),
        ags,
        einwohner,
        gemeindetyp,
        laendlichkeit,
        lat: ((47.5 + rng.unit() * 7.3) * 1000.0).round() / 1000.0,
        lon: ((6.2 + rng.unit() * 8.6) * 1000.0).round() / 1000.0,
    }
}
