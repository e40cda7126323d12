// Proctor console: redraws the approvals inbox when the set of pending requests changes, without reloading the page.
// The poll asks only for the set's version (unrecorded); the page, a recorded read, is fetched only when it differs.
// The only script the console serves (CSP script-src 'self'); the console works without it, just without live updates.
"use strict";
(function () {
  const inbox = document.querySelector("[data-poll]");
  if (!inbox) return;
  async function poll() {
    try {
      const answer = await fetch(inbox.dataset.poll, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!answer.ok) return;
      const version = (await answer.json()).version;
      // Keep what the person is typing: fetch and redraw only when no reason field has focus.
      if (version === inbox.dataset.version || inbox.contains(document.activeElement)) return;
      const page = await fetch(window.location.pathname, { credentials: "same-origin" });
      if (!page.ok) return;
      const fresh = new DOMParser().parseFromString(await page.text(), "text/html").querySelector("[data-poll]");
      if (fresh && !inbox.contains(document.activeElement)) {
        inbox.replaceChildren(...fresh.childNodes);
        inbox.dataset.version = fresh.dataset.version;
      }
    } catch (e) {
      // The gateway restarting or the network dropping: try again on the next round.
    }
  }
  window.setInterval(poll, 3000);
})();
