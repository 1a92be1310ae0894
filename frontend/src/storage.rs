//! The browser's `localStorage`, where the session and the chosen language survive reloads.
//!
//! Storage can be missing or refuse writes (private browsing, quotas, disabled cookies): the app
//! then works for the current page only, so failures are ignored rather than shown.

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

pub fn get(key: &str) -> Option<String> {
    local_storage()?.get_item(key).ok()?
}

pub fn set(key: &str, value: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(key, value);
    }
}

pub fn remove(key: &str) {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(key);
    }
}
