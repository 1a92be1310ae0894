//! The signed-in user's session: the tokens from sign-in, kept in `localStorage` so that a reload
//! or a new tab stays signed in.

use leptos::prelude::*;
use navigator_api_types::{Tokens, User};

use crate::storage;

const SESSION_KEY: &str = "navigator.session";

/// A handle on the session, shared through the context by the header, the pages and the API
/// client. `Copy`, so it moves freely into event handlers and futures.
#[derive(Debug, Clone, Copy)]
pub struct Session {
    tokens: RwSignal<Option<Tokens>>,
    /// The user alone: renewing the tokens changes `tokens` but not this, so what shows the user
    /// (the header, the account page) is not redrawn, and forms keep what was typed.
    user: Memo<Option<User>>,
    /// Set when the session ended by itself (the refresh token was refused), so that the sign-in
    /// page can say why the user has to sign in again.
    expired: RwSignal<bool>,
}

impl Session {
    /// The session saved by an earlier visit, if any. A saved value that no longer parses (an old
    /// format) is dropped: the user signs in again.
    pub fn restore() -> Session {
        let saved =
            storage::get(SESSION_KEY).and_then(|json| serde_json::from_str::<Tokens>(&json).ok());
        if saved.is_none() {
            storage::remove(SESSION_KEY);
        }
        let tokens = RwSignal::new(saved);
        Session {
            tokens,
            user: Memo::new(move |_| tokens.with(|t| t.as_ref().map(|t| t.user.clone()))),
            expired: RwSignal::new(false),
        }
    }

    /// The signed-in user (reactive).
    pub fn user(&self) -> Option<User> {
        self.user.get()
    }

    /// Whether someone is signed in (reactive).
    pub fn is_signed_in(&self) -> bool {
        self.user.with(Option::is_some)
    }

    /// Whether the last session ended because it expired (reactive).
    pub fn has_expired(&self) -> bool {
        self.expired.get()
    }

    pub fn access_token(&self) -> Option<String> {
        self.tokens
            .with_untracked(|tokens| tokens.as_ref().map(|t| t.access_token.clone()))
    }

    pub fn refresh_token(&self) -> Option<String> {
        self.tokens
            .with_untracked(|tokens| tokens.as_ref().map(|t| t.refresh_token.clone()))
    }

    /// Starts or renews the session with tokens from sign-in, registration or refresh.
    pub fn sign_in(&self, tokens: Tokens) {
        if let Ok(json) = serde_json::to_string(&tokens) {
            storage::set(SESSION_KEY, &json);
        }
        self.expired.set(false);
        self.tokens.set(Some(tokens));
    }

    /// Keeps the user's details current (a name changed elsewhere) without touching the tokens.
    pub fn update_user(&self, user: User) {
        let mut changed = None;
        self.tokens.maybe_update(|tokens| match tokens {
            Some(tokens) if tokens.user != user => {
                tokens.user = user;
                changed = serde_json::to_string(tokens).ok();
                true
            }
            _ => false,
        });
        if let Some(json) = changed {
            storage::set(SESSION_KEY, &json);
        }
    }

    /// Ends the session on this device (sign-out).
    pub fn forget(&self) {
        storage::remove(SESSION_KEY);
        self.tokens.set(None);
    }

    /// Ends a session the server no longer accepts.
    pub fn expire(&self) {
        self.forget();
        self.expired.set(true);
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
