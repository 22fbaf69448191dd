//! Search core (placeholder, filled by the search issue).
