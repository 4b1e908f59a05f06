// The one script an embedding page loads (type="module"). It defines <planning-widget>, starts
// fetching the wasm at once, and hands each element's shadow root to the wasm renderer.
// scripts/build-widget rewrites the import below to the content-hashed file name.
import init, { render } from "./planning-widget-core.js";

const ready = init();

class PlanningWidget extends HTMLElement {
  static get observedAttributes() {
    return ["kind", "api", "token", "lang", "voucher", "partner"];
  }

  connectedCallback() {
    this.schedule();
  }

  attributeChangedCallback() {
    if (this.isConnected) this.schedule();
  }

  // Several attribute changes in one task (an upgrade reports every attribute) render once.
  schedule() {
    if (this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
      ready.then(
        () => render(this, root),
        () => {
          root.textContent = "The widget could not start. / 위젯을 시작할 수 없습니다.";
        },
      );
    });
  }
}

if (!customElements.get("planning-widget")) {
  customElements.define("planning-widget", PlanningWidget);
}
