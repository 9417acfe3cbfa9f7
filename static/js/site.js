// Progressive enhancement only: every page works without this file.
"use strict";

(function () {
  // Votes: send the same form with fetch and update the score in place. Any answer we
  // cannot use (a login page, a network error) falls back to the ordinary form post.
  function showVoteError(box, message) {
    var slot = box.querySelector(".vote-error");
    if (!slot) return;
    slot.textContent = message;
    slot.hidden = false;
  }

  function applyVote(box, data) {
    var score = box.querySelector(".vote-score");
    if (score) score.textContent = String(data.score);
    box.querySelectorAll("[data-vote]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.dataset.vote === data.my_vote));
    });
    var slot = box.querySelector(".vote-error");
    if (slot) slot.hidden = true;
  }

  function submitVote(form) {
    var box = form.closest("[data-vote-box]");
    var token = form.querySelector("input[name=csrf_token]");
    var buttons = box.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json", "X-CSRFToken": token ? token.value : "" }
    })
      .then(function (response) {
        var type = response.headers.get("Content-Type") || "";
        if (type.indexOf("application/json") === -1) throw new Error("not json");
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      })
      .then(function (result) {
        if (result.ok && typeof result.data.score === "number") applyVote(box, result.data);
        else showVoteError(box, result.data.error || "Your vote was not saved. Please try again.");
      })
      .catch(function () { form.submit(); })
      .finally(function () { buttons.forEach(function (b) { b.disabled = false; }); });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    var question = form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    if (form.classList.contains("vote-form") && window.fetch && form.closest("[data-vote-box]")) {
      event.preventDefault();
      submitVote(form);
    }
  });
})();
