//! The build's tokenizer for text that is already analysed.

use tantivy::tokenizer::{Token as TvToken, TokenStream, Tokenizer};

#[cfg(doc)]
use crate::schema::PREPARED_TOKENIZER;
use crate::schema::TOKEN_SEPARATOR;

/// The tokenizer registered as [`PREPARED_TOKENIZER`] while building: the text is the
/// already analysed tokens joined by [`TOKEN_SEPARATOR`]. (tantivy turns pre-tokenized values
/// into JSON and back for every document; a plain string is much cheaper.)
#[derive(Clone, Default)]
pub(super) struct PreparedTokenizer {
    token: TvToken,
}

pub(super) struct PreparedTokens<'a> {
    tokens: Option<std::str::Split<'a, char>>,
    token: &'a mut TvToken,
}

impl Tokenizer for PreparedTokenizer {
    type TokenStream<'a> = PreparedTokens<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> PreparedTokens<'a> {
        self.token = TvToken::default();
        PreparedTokens {
            tokens: (!text.is_empty()).then(|| text.split(TOKEN_SEPARATOR)),
            token: &mut self.token,
        }
    }
}

impl TokenStream for PreparedTokens<'_> {
    fn advance(&mut self) -> bool {
        let Some(next) = self.tokens.as_mut().and_then(Iterator::next) else {
            return false;
        };
        self.token.position = self.token.position.wrapping_add(1);
        self.token.text.clear();
        self.token.text.push_str(next);
        true
    }

    fn token(&self) -> &TvToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TvToken {
        self.token
    }
}

/// Appends `token` to a [`PreparedTokenizer`] text.
pub(super) fn push_token(joined: &mut String, token: &str) {
    if !joined.is_empty() {
        joined.push(TOKEN_SEPARATOR);
    }
    joined.push_str(token);
}
