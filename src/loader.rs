//! Server data in signals: `load(fetch)` starts the request, `reload()` repeats it.
//!
//! A plain `spawn_local` into two signals rather than `LocalResource`, whose async-derived
//! machinery was monomorphized per use (~5 KiB of wasm each, measured with twiggy).

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use leptos::prelude::*;

use crate::api::ApiError;

type Fetch<T> = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, ApiError>>>>>;

/// The latest answer and the latest failure of one request.
pub struct Loaded<T: 'static> {
    pub data: RwSignal<Option<T>>,
    pub error: RwSignal<Option<ApiError>>,
    fetch: StoredValue<Fetch<T>, LocalStorage>,
}

impl<T: 'static> Clone for Loaded<T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T: 'static> Copy for Loaded<T> {}

/// Starts loading now.
pub fn load<T, F>(fetch: impl Fn() -> F + 'static) -> Loaded<T>
where
    T: Send + Sync + 'static,
    F: Future<Output = Result<T, ApiError>> + 'static,
{
    let fetch: Fetch<T> = Rc::new(move || Box::pin(fetch()));
    let loaded = Loaded { data: RwSignal::new(None), error: RwSignal::new(None), fetch: StoredValue::new_local(fetch) };
    loaded.reload();
    loaded
}

impl<T: Send + Sync + 'static> Loaded<T> {
    /// Asks again; the data stays on screen until the new answer replaces it.
    pub fn reload(&self) {
        let request = self.fetch.with_value(|fetch| fetch());
        let (data, error) = (self.data, self.error);
        leptos::task::spawn_local(async move {
            match request.await {
                Ok(value) => {
                    data.set(Some(value));
                    error.set(None);
                }
                Err(failure) => error.set(Some(failure)),
            }
        });
    }
}
