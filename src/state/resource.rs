//! What a page shows of a read (`LocalResource`): the last answer, kept on screen while the read
//! is asked again and after a failed reload, and the failure while the latest answer is one.

use leptos::prelude::*;

use crate::api::ApiError;

/// The read's last successful answer (`None` until the first); pages may also set it, say to
/// the voucher a change answered.
pub fn last_answer<T: Clone + Send + Sync + 'static>(read: LocalResource<Result<T, ApiError>>) -> RwSignal<Option<T>> {
    let kept = RwSignal::new(None);
    Effect::new(move || {
        if let Some(Ok(value)) = read.get() {
            kept.set(Some(value));
        }
    });
    kept
}

/// The read's failure, while its latest answer is one.
pub fn failure_of<T: Send + Sync + 'static>(read: LocalResource<Result<T, ApiError>>) -> Signal<Option<ApiError>> {
    Signal::derive(move || read.with(|answer| answer.as_ref().and_then(|answer| answer.as_ref().err().cloned())))
}

/// Runs one submission of a form at a time, `pending` true while it runs. The job is boxed, so
/// every form shares this code (an `Action` per form compiled its own machinery: kilobytes of
/// wasm each, which the account pages could not afford within the app's size budget).
pub fn submit(pending: RwSignal<bool>, job: std::pin::Pin<Box<dyn std::future::Future<Output = ()>>>) {
    if pending.get_untracked() {
        return;
    }
    pending.set(true);
    leptos::task::spawn_local(async move {
        job.await;
        pending.set(false);
    });
}
