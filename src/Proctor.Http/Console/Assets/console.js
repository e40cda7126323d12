// Proctor console: redraws the approvals inbox when the set of pending requests changes, without reloading the page.
// The only script the console serves (CSP script-src 'self'); the console works without it, just without live updates.
"use strict";
(function () {
  const inbox = document.querySelector("[data-poll]");
  if (!inbox) return;
  const ids = (root) => Array.from(root.querySelectorAll("article[data-id]"), (a) => a.dataset.id).sort().join(" ");
  async function poll() {
    try {
      const answer = await fetch(inbox.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!answer.ok) return;
      const pending = (await answer.json()).pending.slice().sort().join(" ");
      if (pending === ids(inbox)) return;
      const page = await fetch(window.location.pathname, { credentials: "same-origin" });
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html").querySelector("[data-poll]");
      // Keep what the person is typing: redraw only when no reason field has focus.
      if (fresh && !inbox.contains(document.activeElement)) inbox.replaceChildren(...fresh.childNodes);
    } catch (e) {
      // The gateway restarting or the network dropping: try again on the next round.
    }
  }
  window.setInterval(poll, 3000);
})();
