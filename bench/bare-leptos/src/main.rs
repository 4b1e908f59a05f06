//! One button that counts its clicks: what any Leptos CSR page must load before it can answer.

use leptos::prelude::*;

fn main() {
    mount_to_body(|| {
        let clicks = RwSignal::new(0);
        view! {
            <main>
                <h1>"Bare Leptos page"</h1>
                <button id="bare" on:click=move |_| clicks.update(|count| *count += 1)>
                    "Clicked " {move || clicks.get()} " times"
                </button>
            </main>
        }
    });
}
