//! Unit tests.

use super::*;

#[test]
fn schemes_are_external() {
    assert!(has_scheme("https://x.example/"));
    assert!(has_scheme("mailto:a@b.example"));
    assert!(!has_scheme("/beispiele/a/"));
    assert!(!has_scheme("#daten"));
    assert!(!has_scheme("a/b:c"));
}

#[test]
fn similar_titles() {
    assert!(
        title_similarity(
            "Chatbot im Bürgerservice der Stadt Amberg",
            "Chatbot im Buergerservice der Stadt Amberg!"
        ) > 0.95
    );
    assert!(title_similarity("Amberg: Chatbot im Rathaus", "Chatbot im Rathaus in Amberg") > 0.9);
    assert!(
        title_similarity(
            "Chatbot auf der Website der Stadt Amberg",
            "Intelligente Straßenbeleuchtung in Amberg"
        ) < SIMILAR_TITLE_THRESHOLD
    );
}
